"""The payments module's settings, resolved by its app when Django loads it.

STRIPE_* and DJSTRIPE_* are read from the environment as before (settings.stripe_settings)
and set as defaults: a project's settings.py that assigns one wins
(quickscale_core.app_settings). The checks (checks.py) read the result, so
``manage.py check --deploy`` with DEBUG off still names each missing key.
"""

from __future__ import annotations

import os
from typing import Any

from quickscale_modules.payments.settings import stripe_settings


def defaults(settings: Any) -> dict[str, Any]:
    return stripe_settings(os.environ)
