from django.contrib import admin
from quickscale_modules.billing.models import Entitlement, Plan, Subscription


class EntitlementInline(admin.TabularInline):
    model = Entitlement
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "amount", "currency", "interval", "is_default", "active"]
    inlines = [EntitlementInline]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "status", "current_period_end", "cancel_at_period_end"]
    list_filter = ["status", "plan"]
    readonly_fields = ["stripe_customer_id", "stripe_subscription_id", "stripe_item_id"]
