"""Include at "accounts/", outside the language prefixes (the manifest's
``localized = false``): each social provider's login and callback (github_login,
github_callback, ...), as allauth.urls builds them. A provider was given the callback's
address when the app was registered with it: that address never moves under /es/....
Empty while social login is off.
"""

from allauth import app_settings as allauth_settings
from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
if allauth_settings.SOCIALACCOUNT_ENABLED:
    from allauth.urls import build_provider_urlpatterns

    urlpatterns = build_provider_urlpatterns()
