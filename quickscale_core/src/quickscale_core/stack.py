"""Core's apps and middleware, in order, as plain data.

Core's settings start from these lists, and generation reads them (without loading
Django's settings) to place each component's apps and middleware by the constraints
its manifest declares, writing the result into the project's settings.py.
"""

from __future__ import annotations

#: Django's own apps; django.contrib.admin first, so an admin skin can go before it.
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

APPS = [
    *DJANGO_APPS,
    "axes",  # django-axes: rate limit of the admin login (see "Login rate limits")
    "csp",  # django-csp: its system checks catch settings of the pre-4.0 format
    "quickscale_core",
]

#: Core's middleware up to Django's authentication: a component's middleware that needs
#: to know the user goes right after it.
MIDDLEWARE_TO_AUTHENTICATION = [
    # First: every log line of the request, the other middleware's too, carries its id.
    "quickscale_core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Absolute links from QUICKSCALE_SITE_URL, not from the Host header.
    "quickscale_core.site.SiteURLMiddleware",
    # Outside WhiteNoise, so static files get these headers too.
    "quickscale_core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's order): the URL prefix, the
    # cookie or the browser's languages pick the request's language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
MIDDLEWARE_AFTER_AUTHENTICATION = [
    # A logged-in user's stored language, when neither the URL nor the cookie names one.
    "quickscale_core.i18n.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
MIDDLEWARE = [
    *MIDDLEWARE_TO_AUTHENTICATION,
    *MIDDLEWARE_AFTER_AUTHENTICATION,
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]
