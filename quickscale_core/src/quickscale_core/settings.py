"""Base Django settings every QuickScale project starts from.

A project's settings.py does ``from quickscale_core.settings import *`` and overrides.
Everything that differs between machines is read from the environment, and the
defaults are the production-safe ones: DEBUG is off unless DJANGO_DEBUG says otherwise,
and with DEBUG off the HTTPS and cookie hardening of ``manage.py check --deploy`` is on.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from quickscale_core import stack
from quickscale_core.site import parse_site_url

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [],
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The site's address, which every absolute link (password-reset and verification mails,
# OAuth callbacks, payment return URLs) starts with, never the request's Host header.
# Unset: https:// and the first exact name of ALLOWED_HOSTS with DEBUG off; with DEBUG on
# the development server's own address. quickscale_core.site has the rules;
# `manage.py check --deploy` refuses a wildcard ALLOWED_HOSTS.
QUICKSCALE_SITE_URL = parse_site_url(env.str("DJANGO_SITE_URL", default=""))

# Core's apps and middleware (quickscale_core.stack); a project's settings.py lists its
# own, these plus its components', in the order generation computed.
DJANGO_APPS = list(stack.DJANGO_APPS)  # a project's lists spread these three
MIDDLEWARE_TO_AUTHENTICATION = list(stack.MIDDLEWARE_TO_AUTHENTICATION)
MIDDLEWARE_AFTER_AUTHENTICATION = list(stack.MIDDLEWARE_AFTER_AUTHENTICATION)
INSTALLED_APPS = list(stack.APPS)
MIDDLEWARE = list(stack.MIDDLEWARE)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quickscale_core.context_processors.quickscale",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = env.str("DJANGO_LANGUAGE_CODE", default="en")
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# The languages the site offers (the switcher lists them): a project sets its own in
# settings.py. Every QuickScale component ships English and Spanish complete.
LANGUAGES = [("en", "English")]
# Off: a page's URL is the same in every language (the cookie, the user's stored
# language or the browser's choose). On: /es/... (the default language unprefixed);
# health checks, webhooks and OAuth callbacks stay unprefixed either way.
QUICKSCALE_LANGUAGE_PREFIXES = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "static/"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files served by WhiteNoise from the image, so any number of
    # identical web workers can serve them (run collectstatic at build time).
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# In development WhiteNoise serves files straight from the finders (no collectstatic).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# --- Redis: switched on by REDIS_URL (e.g. redis://redis:6379/0). It becomes the cache
# (below) and Celery's broker (further below); without it nothing else needs to run.
REDIS_URL = env.str("REDIS_URL", default="")

# The cache holds the login rate limits, so in production every worker and container
# must share it. Precedence: CACHE_URL (any django-environ cache URL, e.g.
# dbcache://my_table, for which run `manage.py createcachetable`), then REDIS_URL
# (Django's own Redis backend), then, with DEBUG off, Django's database cache in the
# table quickscale_core's migration creates (plain `migrate`), and with DEBUG on local
# memory (one runserver process). `manage.py check --deploy` refuses a per-process
# cache (local memory, dummy) when DEBUG is off. max_entries: an attacker must not be
# able to evict the counters by filling the cache.
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": env.cache_url_config(
            "locmemcache://" if DEBUG else "dbcache://quickscale_cache?max_entries=50000"
        )
    }

# Sessions in the database (the default). With a shared cache, "cached_db" serves them
# from it and keeps them in the database; "cache" keeps them in the cache only (lost
# when Redis evicts or restarts).
SESSION_ENGINE = "django.contrib.sessions.backends." + env.str(
    "DJANGO_SESSION_BACKEND", default="db"
)

# --- Security: strict unless DEBUG. Each can be relaxed by its environment variable.
# Reverse proxies you run in front of the site (a TLS-terminating load balancer: 1);
# 0 when clients connect directly. Only behind trusted proxies are X-Forwarded-Proto
# (is the request https?) and X-Forwarded-For (the client address, for rate limits)
# believed; otherwise any client could claim them. Behind a TLS proxy, 0 makes every
# request look like plain http: the HTTPS redirect then loops (docs/security.md).
QUICKSCALE_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
if QUICKSCALE_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 or more")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if QUICKSCALE_TRUSTED_PROXY_COUNT else None
)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe over plain HTTP: the health URL must answer, not redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)?$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Login rate limits, on every login form (the admin's included), counted in the
# shared cache or database so that they hold across workers. After
# QUICKSCALE_LOGIN_FAILURE_LIMIT failed logins for one account, or from one client
# address, further attempts are refused, even with the right password, until
# QUICKSCALE_LOGIN_LOCKOUT_SECONDS have passed. A login module applies them to its own
# forms; without one, django-axes guards the admin login with them.
QUICKSCALE_LOGIN_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
QUICKSCALE_LOGIN_LOCKOUT_SECONDS = env.int("DJANGO_LOGIN_LOCKOUT_SECONDS", default=300)
if QUICKSCALE_LOGIN_FAILURE_LIMIT < 1 or QUICKSCALE_LOGIN_LOCKOUT_SECONDS < 1:
    raise ImproperlyConfigured(
        "DJANGO_LOGIN_FAILURE_LIMIT and DJANGO_LOGIN_LOCKOUT_SECONDS must be 1 or more"
    )
# AUTHENTICATION_BACKENDS: core's app (quickscale_core.apps) puts django-axes' first,
# which refuses locked-out attempts, when axes is installed (a login module replaces it).
AXES_FAILURE_LIMIT = QUICKSCALE_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=QUICKSCALE_LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one locks
AXES_CLIENT_IP_CALLABLE = "quickscale_core.security.client_ip"
AXES_VERBOSE = False  # no start-up banner on every manage.py command
# Failed attempts (address and login) are kept for the lockout window only; a successful
# login leaves no row with the client's address (docs/security.md, "Client addresses").
AXES_DISABLE_ACCESS_LOG = True

# Content-Security-Policy (django-csp), the same in development and production so the
# browser tests run under it: scripts and styles come only from the site's static files,
# or inline with the request's nonce (nonce="{{ request.csp_nonce }}"); no eval. A
# component adds exact origins through its manifest ([tool.quickscale.csp]), which
# generation merges in with quickscale_core.csp_policy.extend_policy; never a wildcard.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# --- Media (uploaded files) on S3-compatible object storage, switched on by
# AWS_STORAGE_BUCKET_NAME: django-storages' S3 backend, so every web process and worker
# sees the same files (the local disk is per container). Credentials come from the
# environment as boto3 reads them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or the
# machine's role). Another provider (MinIO, Cloudflare R2, Scaleway, …): its
# AWS_S3_ENDPOINT_URL. Files are private and served by signed, expiring URLs unless
# AWS_QUERYSTRING_AUTH=false (a public bucket, or one behind AWS_S3_CUSTOM_DOMAIN, a
# CDN). The origin the URLs point at joins the CSP's img-src. Static files stay on
# WhiteNoise.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
    AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="") or None
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=True)
    AWS_DEFAULT_ACL = None  # the bucket's own policy decides
    AWS_S3_FILE_OVERWRITE = False  # a second upload of a name gets a name of its own
    if AWS_S3_CUSTOM_DOMAIN:
        QUICKSCALE_MEDIA_ORIGIN = f"https://{AWS_S3_CUSTOM_DOMAIN.split('/')[0]}"
    elif AWS_S3_ENDPOINT_URL:
        _endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
        QUICKSCALE_MEDIA_ORIGIN = f"{_endpoint.scheme}://{_endpoint.netloc}"
        if AWS_S3_ADDRESSING_STYLE != "path":  # virtual-hosted: <bucket>.<endpoint host>
            QUICKSCALE_MEDIA_ORIGIN = (
                f"{_endpoint.scheme}://{AWS_STORAGE_BUCKET_NAME}.{_endpoint.netloc}"
            )
    else:
        _region = f".{AWS_S3_REGION_NAME}" if AWS_S3_REGION_NAME else ""
        QUICKSCALE_MEDIA_ORIGIN = f"https://{AWS_STORAGE_BUCKET_NAME}.s3{_region}.amazonaws.com"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(QUICKSCALE_MEDIA_ORIGIN)

# Sent by quickscale_core.middleware.SecurityHeadersMiddleware, which also marks every
# response to a logged-in user Cache-Control: no-store. A feature a page needs is
# allowed here, e.g. "payment": ["self", "https://pay.example.com"].
QUICKSCALE_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# same-origin: other sites cannot embed this site's responses (pages, static files).
# Serving static files from another origin (a CDN host) needs "same-site" or "cross-origin".
QUICKSCALE_CROSS_ORIGIN_RESOURCE_POLICY = env.str(
    "DJANGO_CROSS_ORIGIN_RESOURCE_POLICY", default="same-origin"
)

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="webmaster@localhost")

# Logs go to standard output, for the container runtime to collect. In production one
# JSON object per line (python-json-logger), each with the request's id ("request_id",
# also sent as the X-Request-ID response header) and, for the line every request
# writes, its method, path, status and duration; in development plain text.
# DJANGO_LOG_FORMAT=plain|json overrides.
QUICKSCALE_LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "quickscale_core.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "timestamp": True,  # ISO 8601, UTC
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": QUICKSCALE_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- Background tasks: Celery. The broker is CELERY_BROKER_URL, else REDIS_URL; with
# neither, a task runs in-process when it is queued (eager), so a project with nothing
# else running keeps working. The project's <name>/celery.py reads these CELERY_*
# settings; run workers with `celery -A <name> worker` and the schedule with
# `celery -A <name> beat`.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# In-process as in a worker: a task's retries run, and its final failure is logged
# rather than raised into the request that queued it.
CELERY_TASK_EAGER_PROPAGATES = False
# A task is acknowledged when it has finished, not when a worker takes it, and a worker
# killed in the middle (SIGKILL, out of memory, a lost machine) hands it back: it runs
# again, so every task must be safe to run twice (idempotent). With Redis an
# unacknowledged task comes back after the visibility timeout: longer than the longest
# task's run, or it runs twice while the first is still going.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True  # no result backend: tasks report through the database
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING above
# Periodic tasks (backups, retention, …) for `celery -A <name> beat`: name -> {"task":
# dotted name, "schedule": seconds or celery.schedules.crontab(...)}. A module's app adds
# its own entries when it loads; an entry of the same name set here or in the project wins.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}


def database(default_url: str) -> dict[str, object]:
    """DATABASE_URL's database (``default_url`` when unset), its connections kept open
    DJANGO_CONN_MAX_AGE seconds (default 60) and checked before each request reuses one."""
    config: dict[str, object] = env.db("DATABASE_URL", default=default_url)
    config["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    return config


def frontend_dirs(frontend: Path, variant: str) -> tuple[list[Path], list[Path]]:
    """Template and static directories for a directory frontend and its variant.

    Order matters: the variant overrides custom_frontend/, which overrides the apps.
    A variant that has no folder is a configuration error, reported at start-up rather
    than as a half-styled site.
    """
    variant_dir = frontend / "variants" / variant
    if not variant_dir.is_dir():
        available = sorted(p.name for p in (frontend / "variants").glob("*") if p.is_dir())
        raise ImproperlyConfigured(
            f"Frontend variant '{variant}' has no folder {variant_dir}; "
            f"set QUICKSCALE_VARIANT (or frontend.variant) to one of: {', '.join(available)}"
        )
    templates = [variant_dir / "templates", frontend / "templates"]
    static = [p for p in (variant_dir / "static", frontend / "static") if p.is_dir()]
    return templates, static
