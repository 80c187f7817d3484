"""The auth module's test project with social login on (settings.py with QS_AUTH_SOCIAL)
under a generated project's strict Content-Security-Policy, whose form-action also names
the local OpenID Connect provider, as the manifest's csp-origin adds a real issuer's.
test_social.py runs social_browser_suite.py with these settings in a subprocess.

The local provider is http://127.0.0.1:PORT, which a manifest may not declare (https
and a host name only), so its origin is written here by hand.
"""

import os
from urllib.parse import urlsplit

from quickscale_testing.modules import middleware, strict_csp
from settings import *  # noqa: F403
from settings import INSTALLED_APPS

from quickscale_modules.auth import settings as qs_auth

INSTALLED_APPS = [*INSTALLED_APPS, "csp"]
MIDDLEWARE = middleware(last=qs_auth.MIDDLEWARE, csp=True)

_IDP = urlsplit(os.environ["QS_AUTH_OIDC_URL"])
IDP_ORIGIN = f"{_IDP.scheme}://{_IDP.netloc}"

CONTENT_SECURITY_POLICY = strict_csp(form_action=[IDP_ORIGIN])
