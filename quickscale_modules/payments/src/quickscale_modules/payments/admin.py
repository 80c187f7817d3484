"""Read-only admin: payments change only through Stripe's webhook, so the admin shows
them (and the events behind them) but does not edit them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from quickscale_modules.payments.models import ProviderWebhookEvent, Transaction
from quickscale_modules.payments.money import format_price


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProviderWebhookEvent
    fields = ["stripe_event_id", "type", "outcome", "attempts", "received_at", "processed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Transaction)
class TransactionAdmin(_ReadOnly):
    list_display = ["pk", "user", "price", "status", "refunded", "created"]
    list_filter = ["status", "currency", "livemode"]
    search_fields = [
        "description",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
        "stripe_charge_id",
    ]
    date_hierarchy = "created"
    inlines = [EventInline]

    # In the reader's format: a bare 12.500 reads as twelve thousand five hundred in Spanish.
    @admin.display(description=_("amount"), ordering="amount")
    def price(self, transaction: Transaction) -> str:
        return format_price(transaction.amount, transaction.currency)

    @admin.display(description=_("amount refunded"), ordering="amount_refunded")
    def refunded(self, transaction: Transaction) -> str:
        return format_price(transaction.amount_refunded, transaction.currency)


@admin.register(ProviderWebhookEvent)
class ProviderWebhookEventAdmin(_ReadOnly):
    list_display = ["stripe_event_id", "type", "outcome", "attempts", "received_at"]
    list_filter = ["outcome", "type", "livemode"]
    search_fields = ["stripe_event_id", "type"]
    date_hierarchy = "received_at"
