"""The auth module's test project with MFA on, as the options `mfa: [totp, webauthn]`
and `mfa_required: staff` set it up; test_mfa.py runs its suite with these settings in
a subprocess (INSTALLED_APPS is fixed at start-up). The pages are served inside the
starter theme's layout, under the strict Content-Security-Policy of a generated project.
"""

from csp.constants import NONCE, NONE, SELF
from quickscale_testing.modules import middleware
from settings import *  # noqa: F403
from settings import INSTALLED_APPS, TEMPLATES

from quickscale_modules.auth import mfa as qs_mfa
from quickscale_modules.auth import settings as qs_auth

INSTALLED_APPS = [*INSTALLED_APPS, qs_mfa.MFA_APP, "quickscale_themes.starter", "csp"]
MIDDLEWARE = middleware(
    last=[*qs_auth.MIDDLEWARE, "quickscale_modules.auth.mfa.StaffMFAMiddleware"], csp=True
)
QUICKSCALE_AUTH_MFA = ["totp", "webauthn"]
QUICKSCALE_AUTH_MFA_REQUIRED = "staff"
QUICKSCALE_SITE_NAME = "Acme"
# One TOTP step either side, so a step boundary between the test computing a code and
# the server checking it never fails the test (allauth's default, 0, stays in projects).
MFA_TOTP_TOLERANCE = 1

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

# The strict policy every page of a generated project has (quickscale_core.settings).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
