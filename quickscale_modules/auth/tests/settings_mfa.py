"""The auth module's test project with MFA on, as the options `mfa: [totp, webauthn]`
and `mfa_required: staff` set it up; test_mfa.py runs its suite with these settings in
a subprocess (INSTALLED_APPS is fixed at start-up). The pages are served inside the
starter theme's layout, under the strict Content-Security-Policy of a generated project
(settings_themed).
"""

from quickscale_testing.modules import middleware
from settings_themed import *  # noqa: F403
from settings_themed import INSTALLED_APPS

from quickscale_modules.auth import mfa as qs_mfa
from quickscale_modules.auth import settings as qs_auth

INSTALLED_APPS = [*INSTALLED_APPS, qs_mfa.MFA_APP]
MIDDLEWARE = middleware(
    last=[*qs_auth.MIDDLEWARE, "quickscale_modules.auth.mfa.StaffMFAMiddleware"], csp=True
)
QUICKSCALE_AUTH_MFA = ["totp", "webauthn"]
QUICKSCALE_AUTH_MFA_REQUIRED = "staff"
# One TOTP step either side, so a step boundary between the test computing a code and
# the server checking it never fails the test (allauth's default, 0, stays in projects).
MFA_TOTP_TOLERANCE = 1
