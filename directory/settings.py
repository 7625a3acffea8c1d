"""One settings module for every deployment, driven by environment variables.

Development needs no configuration (SQLite, a throwaway secret key). Production
sets DJANGO_DEBUG=0, a real DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS, and a
PostgreSQL DATABASE_URL; the helpers below fail loudly on malformed values.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from directory.env import env_bool, env_float, env_int, env_list, env_networks

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# Production turns on HTTPS hardening and hashed static files, and demands a secret.
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)

_DEV_SECRET = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # The admin with the editors' site: its header, dashboard and 403 page.
    "editorial.apps.EditorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # SearchVectorField (catalog.Tool.search_vector) requires it; inert on SQLite.
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "reversion",
    "import_export",
    "axes",
    "catalog",
    "editorial",
]

MIDDLEWARE = [
    "directory.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "directory.health.HealthCheckMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "catalog.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "catalog.middleware.CatalogueConditionalGetMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "directory.urls"
WSGI_APPLICATION = "directory.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The hot fragments (cards, facet sidebar, results, pagination): see catalog/jinja.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "catalog.jinja.environment",
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Bounded waits: for an unreachable server, and for any one statement. A runaway
    # query is cancelled (the visitor gets the 503 page) well before gunicorn's
    # timeout would kill the worker and leave the query running in PostgreSQL.
    _pg = DATABASES["default"].setdefault("OPTIONS", {})
    _pg.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
    _statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT", 15 if PRODUCTION else 0)
    if _statement_timeout:
        _timeout = f"-c statement_timeout={_statement_timeout}s"
        _pg["options"] = f"{_pg['options']} {_timeout}" if _pg.get("options") else _timeout
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "directory",
        # Rate-limit counters, one per client address: 300 (the default) would
        # forget busy clients early.
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        # Degrades to "no cache" when Redis is down, slow or hung instead of failing
        # or stalling pages; one command waits at most these many seconds.
        "BACKEND": "directory.cache.ResilientRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {
            "socket_connect_timeout": env_float("REDIS_CONNECT_TIMEOUT", 0.25),
            "socket_timeout": env_float("REDIS_TIMEOUT", 0.25),
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "directory.storage.ManifestStaticStorage"
            if PRODUCTION
            else "directory.storage.StaticStorage"
        )
    },
}

# Outside production, serve static files straight from the source folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"

# The admin lives at a deployment-chosen path ("backstage-7f3a/"), so scanners
# that hammer /admin/ find nothing; brute force against it is locked out below.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/") or "//" in ADMIN_URL:
    raise ImproperlyConfigured(f"DJANGO_ADMIN_URL must look like 'path/', got {ADMIN_URL!r}")

# django-axes: five wrong passwords for one username from one address lock that
# pair out for a while; its backend must come first to see every attempt.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The visitor's address behind the proxy, as everywhere else (directory/client.py).
AXES_CLIENT_IP_CALLABLE = "directory.client.client_address"
# Attempts refused during a lockout are not counted: otherwise anyone who knows
# an editor's username could keep restarting the cool-off and lock them out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The 429 page with Retry-After (directory/errors.py).
AXES_LOCKOUT_CALLABLE = "directory.errors.lockout"
# Our own 403 page for CSRF failures, in the site's style and without internals.
CSRF_FAILURE_VIEW = "directory.errors.csrf_failure"

# Strict CSP: scripts and styles only from our own static files, no inline code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# HTTPS hardening is on in production unless explicitly disabled.
_HTTPS = env_bool("DJANGO_HTTPS", PRODUCTION)
SECURE_SSL_REDIRECT = _HTTPS and env_bool("DJANGO_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
if _HTTPS:
    # __Host- cookies are only accepted over HTTPS, for path "/" and no domain:
    # no subdomain or plain-HTTP page can set or shadow them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Load balancers and monitoring probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/deps)?$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
# The proxies whose X-Forwarded-For names the client (directory/client.py).
# gunicorn takes X-Forwarded-Proto from these same addresses only (gunicorn.conf.py),
# which is how Django learns a request came over HTTPS; nobody else can claim it.
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES", ["127.0.0.1", "::1"])

# Mail (editors' password resets): printed to the console in development; SMTP in
# production, configured from the environment.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE = "django.core.mail.backends.console.EmailBackend"
_MAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", _SMTP if PRODUCTION else _CONSOLE)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
            }
            if _MAIL_BACKEND == _SMTP
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Toolfinder <editors@localhost>")
if env_bool("EMAIL_USE_TLS", False) and env_bool("EMAIL_USE_SSL", False):
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")

# django-import-export: importing needs the add permission, exporting the view one.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# A tool counts as stale once no editor has checked it against the vendor's page for this long.
CATALOG_STALE_AFTER_DAYS = env_int("CATALOG_STALE_AFTER_DAYS", 180)
# Seconds a browser or proxy may reuse an anonymous page before revalidating it
# (a revalidation costs one query and answers 304 when nothing changed).
CATALOG_PUBLIC_MAX_AGE = env_int("CATALOG_PUBLIC_MAX_AGE", 5)

# Every log line names the request it came from (the X-Request-ID header) and the
# client's address.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "directory.request_id.RequestIdFilter"}},
    "formatters": {
        "request": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(client_address)s]"
            " %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "request",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes announces itself at every start; its lockouts are warnings and still show.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}
