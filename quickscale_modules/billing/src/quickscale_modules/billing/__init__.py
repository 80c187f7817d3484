"""QuickScale billing: plans from quickscale.yml, Stripe Billing subscriptions and
entitlements.

The public surface is :mod:`quickscale_modules.billing.services` (plus the view
decorator in ``decorators`` and the ``billing`` template tag library).
"""
