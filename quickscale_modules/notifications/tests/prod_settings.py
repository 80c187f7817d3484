"""Production-like settings as a generated project writes them; loaded in a subprocess.

The provider comes from QS_TEST_PROVIDER so one file covers every start-up case.
"""

import os

from quickscale_modules.notifications.settings import email_settings
from settings import *  # noqa: F403  (test base settings)

DEBUG = False
globals().update(
    email_settings(
        provider=os.environ.get("QS_TEST_PROVIDER", "sendgrid"), env=os.environ, debug=DEBUG
    )
)
