"""The test project's URLs as a generated project's urls.py lays them out: core's and the
module's includes in the manifest's order, through quickscale_core.i18n.language_patterns,
the providers' include named unprefixed (its manifest entry says ``localized = false``).
Imported under QUICKSCALE_LANGUAGE_PREFIXES on (test_languages.py's fixture)."""

from django.contrib import admin
from django.urls import include, path
from quickscale_core.i18n import language_patterns
from urls import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("quickscale_core.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("quickscale_modules.auth.provider_urls")),
    path("accounts/", include("quickscale_modules.auth.urls")),
]
UNPREFIXED = ["quickscale_modules.auth.provider_urls"]
urlpatterns = language_patterns(urlpatterns, unprefixed=UNPREFIXED)
