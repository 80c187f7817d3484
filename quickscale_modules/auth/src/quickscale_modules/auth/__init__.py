"""QuickScale auth: django-allauth wired for email login, verification and rate limits."""
