"""The auth module's test project inside the starter theme's layout (light and dark),
under a generated project's strict Content-Security-Policy: the base of the settings
with which the MFA and sessions suites run their browser walks in a subprocess.
"""

from quickscale_testing.modules import strict_csp
from settings import *  # noqa: F403
from settings import INSTALLED_APPS, TEMPLATES

INSTALLED_APPS = [*INSTALLED_APPS, "quickscale_themes.starter", "csp"]
QUICKSCALE_SITE_NAME = "Acme"

# The theme's layout, not the tests' bare base.html (whose folder also holds the home
# page: log out lands on the login page instead).
ACCOUNT_LOGOUT_REDIRECT_URL = "/accounts/login/"
TEMPLATES = [{**TEMPLATES[0], "DIRS": []}]
TEMPLATES[0]["OPTIONS"] = {
    "context_processors": [
        *TEMPLATES[0]["OPTIONS"]["context_processors"],
        "quickscale_themes.starter.context_processors.site",
    ]
}

CONTENT_SECURITY_POLICY = strict_csp()
