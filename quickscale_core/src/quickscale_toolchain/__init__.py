"""QuickScale's toolchain: config, generator, distribution and deploy.

Only the quickscale CLI runs this package; a project's web and worker processes import
``quickscale_core`` (the Django runtime) and never this. It owns Jinja2, PyYAML and
jsonschema (the ``toolchain`` extra of the quickscale-core distribution) and imports no
Django at import time.
"""
