"""``python -m quickscale_cli``: the same as the ``quickscale`` console script."""

from quickscale_cli import entry

entry()
