"""QuickScale core: the generator, config and the Django base every project shares."""

__version__ = "0.1.0"
