"""The auth module's test project with the sessions feature on, as the option
`session_activity: true` sets it up (allauth.usersessions and its middleware, last seen
tracked), inside the starter theme's layout and under the strict Content-Security-Policy
of a generated project (settings_themed). test_sessions.py runs sessions_suite.py with
these settings in a subprocess (INSTALLED_APPS is fixed at start-up).
"""

from quickscale_testing.modules import middleware
from settings_themed import *  # noqa: F403
from settings_themed import INSTALLED_APPS

from quickscale_modules.auth import settings as qs_auth

INSTALLED_APPS = [*INSTALLED_APPS, "allauth.usersessions"]
MIDDLEWARE = middleware(
    last=[*qs_auth.MIDDLEWARE, "allauth.usersessions.middleware.UserSessionsMiddleware"],
    csp=True,
)
USERSESSIONS_TRACK_ACTIVITY = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
