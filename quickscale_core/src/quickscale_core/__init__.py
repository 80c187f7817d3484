"""QuickScale core: the Django runtime every project shares (settings base, middleware,
security, views). The toolchain the CLI runs lives beside it in ``quickscale_toolchain``."""

__version__ = "0.3.0.dev0"
