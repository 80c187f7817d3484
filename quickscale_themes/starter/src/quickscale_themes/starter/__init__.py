"""QuickScale starter theme: the foundation a client's business app inherits from.

Projects subclass the abstract models in :mod:`.models` and the service class in
:mod:`.business`; they override templates under ``quickscale_starter/`` from their own
template directories. Nothing here is meant to be edited in place.
"""

__version__ = "0.2.0"
