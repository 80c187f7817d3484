"""QuickScale todo theme: a complete reference app built on the starter theme.

Read it as the worked example of the house style: models that only model, business rules
and ownership checks in ``services``/``selectors``, thin views that answer htmx requests
with partials and everything else with full pages.
"""

__version__ = "0.2.0"
