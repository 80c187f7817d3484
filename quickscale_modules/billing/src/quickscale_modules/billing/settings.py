"""What a project's settings.py needs for billing (the rest is payments')."""

#: INSTALLED_APPS entries the module adds, after payments' (dj-stripe, payments).
INSTALLED_APPS = ["quickscale_modules.billing"]

#: The setting naming the JSON file of plans that ``quickscale generate`` writes from
#: quickscale.yml (``modules: billing: plans:``).
PLANS_FILE_SETTING = "QUICKSCALE_BILLING_PLANS_FILE"
