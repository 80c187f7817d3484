"""Include at "billing/": the pricing page and "my subscription" (HTML, no API),
reversed as "quickscale_billing:pricing", ":subscription", ":detail", ..."""

from django.urls import path

from quickscale_modules.billing import views

app_name = "quickscale_billing"

urlpatterns = [
    path("", views.pricing, name="pricing"),
    path("subscribe/<slug:key>/", views.subscribe, name="subscribe"),
    path("subscription/", views.subscription, name="subscription"),
    path("subscriptions/<int:pk>/", views.detail, name="detail"),
    path("subscriptions/<int:pk>/change/", views.change, name="change"),
    path("subscriptions/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("subscriptions/<int:pk>/portal/", views.portal, name="portal"),
]
