from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from quickscale_modules.billing.models import Entitlement, Plan, Subscription
from quickscale_modules.payments.services import format_price


class EntitlementInline(admin.TabularInline):
    model = Entitlement
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "price", "interval", "is_default", "active"]
    inlines = [EntitlementInline]

    @admin.display(description=_("price"), ordering="amount")
    def price(self, plan: Plan) -> str:
        """In the reader's format: a bare 9.000 reads as nine thousand in Spanish."""
        return format_price(plan.amount, plan.currency) if plan.currency else "—"


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "status", "current_period_end", "cancel_at_period_end"]
    list_filter = ["status", "plan"]
    readonly_fields = ["stripe_customer_id", "stripe_subscription_id", "stripe_item_id"]
