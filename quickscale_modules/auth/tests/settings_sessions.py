"""The auth module's test project with the sessions feature on, as the option
`session_activity: true` sets it up (allauth.usersessions and its middleware, last seen
tracked), inside the starter theme's layout and under the strict Content-Security-Policy
of a generated project. test_sessions.py runs sessions_suite.py with these settings in a
subprocess (INSTALLED_APPS is fixed at start-up).
"""

from csp.constants import NONCE, NONE, SELF
from quickscale_testing.modules import middleware
from settings import *  # noqa: F403
from settings import INSTALLED_APPS, TEMPLATES

from quickscale_modules.auth import settings as qs_auth

INSTALLED_APPS = [*INSTALLED_APPS, "allauth.usersessions", "quickscale_themes.starter", "csp"]
MIDDLEWARE = middleware(
    last=[*qs_auth.MIDDLEWARE, "allauth.usersessions.middleware.UserSessionsMiddleware"],
    csp=True,
)
USERSESSIONS_TRACK_ACTIVITY = True
QUICKSCALE_SITE_NAME = "Acme"
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The theme's layout, not the tests' bare base.html.
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
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
