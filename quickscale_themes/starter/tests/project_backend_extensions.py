"""Stands in for a generated ``<project>/backend_extensions.py`` (business part)."""

from __future__ import annotations

from quickscale_themes.starter import business as starter_business


class ExtendedBusinessLogic(starter_business.StarterBusiness):
    """Custom rules on top of the theme's, via super()."""

    def process_order(self, order: starter_business.Order) -> starter_business.OrderResult:
        result = super().process_order(order)
        return result.with_note("acme rules applied")


class NotABusiness:
    pass
