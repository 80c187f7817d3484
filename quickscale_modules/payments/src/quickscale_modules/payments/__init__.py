"""QuickScale payments: one-off Stripe payments and refunds on dj-stripe.

The public surface is :mod:`quickscale_modules.payments.services`.
"""
