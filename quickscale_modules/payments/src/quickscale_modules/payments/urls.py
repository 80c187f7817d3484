"""Include at "payments/": the inbound Stripe webhook and the Checkout return pages,
reversed as "quickscale_payments:webhook", ":success" and ":cancel"."""

from django.urls import path

from quickscale_modules.payments import views

app_name = "quickscale_payments"

urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
    path("success/", views.success, name="success"),
    path("cancel/", views.cancel, name="cancel"),
]
