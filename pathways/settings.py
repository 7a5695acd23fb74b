"""Settings, read from environment variables with defaults that work on a fresh clone.

Development defaults: DEBUG on, an SQLite file in the project folder. Production (DEBUG off)
must set DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS, or start-up fails with a clear message.
PostgreSQL is used whenever DATABASE_URL is set (postgres://user:pass@host:port/name).
"""

import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pathways.cache_url import caches_from_url
from pathways.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)
# The demo accounts' published password signs in only on a development installation. Fixed
# here from DJANGO_DEBUG (not read from settings.DEBUG at request time, which the test
# runner switches off), so browser tests against a development set-up can still use them.
# DJANGO_DEMO_LOGINS lets them in with DEBUG off, for `make serve`'s local trial of the
# production set-up only: never on a site anyone else can reach.
DEMO_LOGINS_ALLOWED = DEBUG or env_bool("DJANGO_DEMO_LOGINS", default=False)

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-not-for-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=[])
    if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver leaves static files to WhiteNoise too, as gunicorn does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "pathways.background",
    "pathways.generic_model",
    "pathways.programs",
    "pathways.versions",
    "pathways.review",
    "pathways.pdf",
    "pathways.word",
    "pathways.fhir",
    "pathways.public",
    "pathways.derivation",
    "pathways.catalogue",
    "pathways.backup",
]

MIDDLEWARE = [
    "pathways.observability.RequestIdMiddleware",  # first: its id covers everything below
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, before sessions and the rest
    "pathways.security.headers.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pathways.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pathways.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "pathways.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two people saving at the same moment must not get "database is locked": WAL lets
    # readers run beside the writer, IMMEDIATE takes the write lock when a transaction
    # starts (no failed upgrade from a read lock midway), and a writer waits up to 20 s.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Behind a reverse proxy every request comes from the proxy's address: the rate limits then
# read the client's from X-Forwarded-For, but only when the connection comes from one of
# these addresses or networks (pathways/security/counters.py). Empty: REMOTE_ADDR as it is.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network."
        ) from None

# Shared by every process on every host (a login limit must hold across them): the database
# cache by default, Redis when CACHE_URL is redis://… (pathways/cache_url.py). `migrate`
# creates the cache table (pathways/background/apps.py).
CACHES = caches_from_url(env_str("CACHE_URL", default=""))

# The step pages and the review screen are kept rendered per process until their program
# changes (pathways/programs/page_cache.py). Off by default with DEBUG on, where a template
# edited under runserver must show at once. The tests turn it on with PAGE_CACHE_VERIFY:
# every kept page served is compared with a fresh rendering.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", default=not DEBUG)
PAGE_CACHE_VERIFY = False

# Background work (PDF rendering, e-mail) is queued in the database and run by
# `manage.py run_worker`; with no worker running it happens in the request instead
# (pathways/background/dispatch.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A worker writes a heartbeat this often; three missed beats and it counts as gone.
WORKER_HEARTBEAT_SECONDS = int(env_str("WORKER_HEARTBEAT_SECONDS", default="10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A part step with many transitions and a long actor list posts several hundred fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Danish first; English available through the language switcher.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `collectstatic` copies them here; WhiteNoise serves them from here when DEBUG is off.
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
if not DEBUG:
    # Compressed (gzip, Brotli) copies with a hash of the content in each name, so browsers
    # and proxies may keep them for a year (WhiteNoise sends such files as immutable).
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
# In development WhiteNoise reads the source folders on each request. Fixed from DJANGO_DEBUG
# like DEMO_LOGINS_ALLOWED (the test runner switches DEBUG off, and tests run uncollected).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
# Bootstrap comes from the npm registry (package.json, package-lock.json) and is served by us.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    # Fonts for the PDF, from the npm package of Adobe's Source Sans 3 (OFL).
    ("vendor/source-sans", BASE_DIR / "node_modules" / "source-sans" / "TTF"),
]
# Only the files of those packages the site uses (pathways/vendor_static.py).
STATICFILES_FINDERS = [
    "pathways.vendor_static.UsedFilesFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

# Required fields say so to screen readers, also in formsets (pathways/form_rendering.py).
FORM_RENDERER = "pathways.form_rendering.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "programs:list"
LOGOUT_REDIRECT_URL = "home"

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = int(env_str("DJANGO_EMAIL_PORT", default="25"))
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
# A consultation party's personal link keeps working this many days after the deadline (to
# read what it answered, or to give a late answer an editor admits).
CONSULTATION_LINK_GRACE_DAYS = 14
# Reminder mail goes to parties that have not answered this many days before the deadline.
CONSULTATION_REMINDER_DAYS = 3
# A new round's deadline unless the editor sets another: four weeks, a usual høringsfrist.
CONSULTATION_DEFAULT_DAYS = 28
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", default="forloebsprogrammer@localhost")
# Links in e-mail must be absolute and a mail has no request to take the host from.
SITE_URL = env_str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("DJANGO_SITE_URL must start with http:// or https://.")

# Logs go to the console (stderr), in production too, each line with the request's id (the
# 500 page shows it). Server errors come from django.request with their traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pathways.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # No handlers of their own: records reach the console through the root logger once.
        # A filter on django.request itself puts the id on the error record (a handler's
        # filter only changes what that handler prints).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["request_id"], "propagate": True},
        "pathways": {"level": "INFO", "propagate": True},
    },
}

# Production hardening (Django's deployment checklist); inactive in development.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Off only for `make serve` on plain http on a laptop: browsers send no secure cookie there.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
