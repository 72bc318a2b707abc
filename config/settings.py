"""Annexe settings: every value comes from an environment variable, with a dev default.

DJANGO_ENV selects the profile: "development" (default, `make run`), "production".
In production, SECRET_KEY and FIELD_ENCRYPTION_KEYS are required and the
process refuses to start without them. The README lists every variable.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.dev_secrets import dev_secret

BASE_DIR = Path(__file__).resolve().parent.parent
# pytest (>= 8.2) sets PYTEST_VERSION: tests, and the Celery worker processes they
# start, get their own var/test/ (database, broker folders), apart from `make run`'s.
TESTING = "PYTEST_VERSION" in os.environ
VAR_DIR = Path(
    os.environ.get("ANNEXE_VAR_DIR") or (BASE_DIR / "var" / "test" if TESTING else BASE_DIR / "var")
)

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"
CI = env.bool("CI", default=False)

# --- Secrets -----------------------------------------------------------------
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
    missing = [
        name
        for name, value in (
            ("SECRET_KEY", SECRET_KEY),
            ("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production settings need these environment variables: " + ", ".join(missing)
        )
else:
    # Generated once into var/ so that a fresh clone runs without configuration
    # and no secret is ever committed.
    SECRET_KEY = env.str("SECRET_KEY", default="") or dev_secret(VAR_DIR, "secret_key")
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or [
        dev_secret(VAR_DIR, "field_encryption_key", fernet=True)
    ]

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute URL of the site, for links in emails, feeds and iCal files.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:{}".format(env.int("PORT", default=8000)))
# Absolute URL at which the networks' servers reach Annexe to download the photos of a
# post being published (Instagram, Threads: publishing.public_media). Defaults to
# SITE_URL; set it when the site itself is not reachable from the Internet but a
# proxy exposes /publishing/public-media/.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default=SITE_URL)
# How long such a signed URL stays valid, in seconds.
PUBLIC_MEDIA_MAX_AGE = env.int("PUBLIC_MEDIA_MAX_AGE", default=3600)

# --- Applications ------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "core",
    "accounts",
    "libraries",
    "notifications",
    "posts",
    "validation",
    "editorial_calendar",
    "publishing",
    "metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.CurrentLibraryMiddleware",
    "accounts.middleware.LanguageCookieMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files straight from gunicorn, compressed and cache-busted; in
    # development Django's runserver serves them.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.shell",
                "publishing.context_processors.pause_banner",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------
# Default: SQLite under var/ in WAL mode with IMMEDIATE transactions, so the web
# process, the worker and beat can write without "database is locked".
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'annexe.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # A file, not :memory:, so a Celery worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_annexe.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Shared between the web process and the worker on one machine.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery ------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # One folder in and out: a single machine (PITFALLS.md).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fixup closes every database connection before and after each task
# unless DB_REUSE_MAX is set: with PostgreSQL that is a new server process per task
# (bench/dispatch.py). config/celery.py closes them like Django does after a request
# instead (CONN_MAX_AGE, CONN_HEALTH_CHECKS), so the fixup's own closing is put off.
CELERY_DB_REUSE_MAX = 10**9
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Publishing --------------------------------------------------------------
# The dispatcher (publishing/beat.py) runs every PUBLISHING_DISPATCH_INTERVAL
# seconds and claims what falls due before its next run, each task sent with its
# exact due time as a near ETA (never more than a few seconds ahead).
PUBLISHING_DISPATCH_INTERVAL = env.float("PUBLISHING_DISPATCH_INTERVAL", default=2.0)
PUBLISHING_DISPATCH_BATCH = env.int("PUBLISHING_DISPATCH_BATCH", default=500)
# A worker holds a publication this long; past it, the publication is reconciled.
PUBLISHING_LEASE_SECONDS = env.int("PUBLISHING_LEASE_SECONDS", default=600)
# A claimed publication still waiting in the broker after this long is sent again
# (the broker lost it); the task's compare-and-set makes a duplicate harmless.
PUBLISHING_REQUEUE_AFTER_SECONDS = env.int("PUBLISHING_REQUEUE_AFTER_SECONDS", default=300)
PUBLISHING_MAX_ATTEMPTS = env.int("PUBLISHING_MAX_ATTEMPTS", default=6)
PUBLISHING_RETRY_BASE_SECONDS = env.float("PUBLISHING_RETRY_BASE_SECONDS", default=30.0)
PUBLISHING_RETRY_MAX_SECONDS = env.float("PUBLISHING_RETRY_MAX_SECONDS", default=3600.0)
# Network HTTP: user agent, timeouts; loopback servers (test fakes, a local server)
# refused in production; link previews from "public" addresses, "loopback" only
# (tests never reach outside hosts) or "off".
NETWORKS_USER_AGENT = env.str("NETWORKS_USER_AGENT", default=f"Annexe/1.0 (+{SITE_URL})")
NETWORKS_CONNECT_TIMEOUT = env.float("NETWORKS_CONNECT_TIMEOUT", default=5.0)
NETWORKS_READ_TIMEOUT = env.float("NETWORKS_READ_TIMEOUT", default=30.0)
NETWORKS_ALLOW_LOOPBACK = env.bool("NETWORKS_ALLOW_LOOPBACK", default=not PRODUCTION)
NETWORKS_LINK_PREVIEWS = env.str(
    "NETWORKS_LINK_PREVIEWS", default="loopback" if TESTING else "public"
)
# Bluesky identity: where handles are resolved, the PLC directory, the web app.
BLUESKY_RESOLVER_URL = env.str("BLUESKY_RESOLVER_URL", default="https://bsky.social")
BLUESKY_PLC_URL = env.str("BLUESKY_PLC_URL", default="https://plc.directory")
BLUESKY_APP_URL = env.str("BLUESKY_APP_URL", default="https://bsky.app")
# LinkedIn Pages: Annexe's app (developer portal), the API and sign-in hosts.
LINKEDIN_CLIENT_ID = env.str("LINKEDIN_CLIENT_ID", default="")
LINKEDIN_CLIENT_SECRET = env.str("LINKEDIN_CLIENT_SECRET", default="")
LINKEDIN_API_URL = env.str("LINKEDIN_API_URL", default="https://api.linkedin.com")
LINKEDIN_OAUTH_URL = env.str("LINKEDIN_OAUTH_URL", default="https://www.linkedin.com")
# X: Annexe's OAuth 2.0 client (developer console); empty secret = a public client.
X_CLIENT_ID = env.str("X_CLIENT_ID", default="")
X_CLIENT_SECRET = env.str("X_CLIENT_SECRET", default="")
X_API_URL = env.str("X_API_URL", default="https://api.x.com")
X_OAUTH_URL = env.str("X_OAUTH_URL", default="https://x.com")
# Google Business Profile: Annexe's OAuth client (Google Cloud console, README); empty
# in development (the connect page then says what is missing). The server URL replaces
# all of Google's hosts (the test fake); empty means Google's.
GOOGLE_BUSINESS_CLIENT_ID = env.str("GOOGLE_BUSINESS_CLIENT_ID", default="")
GOOGLE_BUSINESS_CLIENT_SECRET = env.str("GOOGLE_BUSINESS_CLIENT_SECRET", default="")
GOOGLE_BUSINESS_SERVER_URL = env.str("GOOGLE_BUSINESS_SERVER_URL", default="")
# Meta (README "Meta"): the app registered on developers.facebook.com. Facebook Login
# for Business connects Pages and their Instagram accounts (META_LOGIN_CONFIG_ID: the
# configuration made in the app's dashboard); Threads has its own app id and secret.
# Empty: those networks cannot be connected. The URLs change only for tests (fakes).
META_APP_ID = env.str("META_APP_ID", default="")
META_APP_SECRET = env.str("META_APP_SECRET", default="")
META_LOGIN_CONFIG_ID = env.str("META_LOGIN_CONFIG_ID", default="")
META_DIALOG_URL = env.str("META_DIALOG_URL", default="https://www.facebook.com")
META_GRAPH_URL = env.str("META_GRAPH_URL", default="https://graph.facebook.com")
THREADS_APP_ID = env.str("THREADS_APP_ID", default="")
THREADS_APP_SECRET = env.str("THREADS_APP_SECRET", default="")
THREADS_AUTHORIZE_URL = env.str("THREADS_AUTHORIZE_URL", default="https://threads.net")
THREADS_API_URL = env.str("THREADS_API_URL", default="https://graph.threads.net")

# --- Metrics collection (metrics/refresh.py, metrics/audience.py) ------------
# Age tiers "until age:every interval", comma-separated (s, m, h, d units): every
# 15 min for the first 6 h, hourly to 48 h, daily to 30 d, weekly to 90 d, then stop.
METRICS_REFRESH_TIERS = env.str("METRICS_REFRESH_TIERS", default="6h:15m,48h:1h,30d:1d,90d:7d")
# The refresh sweep runs every METRICS_SWEEP_INTERVAL seconds and claims at most
# METRICS_REFRESH_PER_MINUTE publications a minute overall, and at most
# METRICS_REFRESH_PER_ACCOUNT_PER_MINUTE per account (a batch request covers up to
# 20 Mastodon or 25 Bluesky publications); the rest waits for the next sweeps.
METRICS_SWEEP_INTERVAL = env.float("METRICS_SWEEP_INTERVAL", default=60.0)
METRICS_REFRESH_PER_MINUTE = env.int("METRICS_REFRESH_PER_MINUTE", default=2000)
METRICS_REFRESH_PER_ACCOUNT_PER_MINUTE = env.int(
    "METRICS_REFRESH_PER_ACCOUNT_PER_MINUTE", default=100
)
# A claimed refresh not done within this many seconds is claimed again.
METRICS_REFRESH_LEASE_SECONDS = env.int("METRICS_REFRESH_LEASE_SECONDS", default=600)
# Engager identifiers (keyed hashes) are deleted this many days after publication;
# the colleague counts already measured are kept.
METRICS_ENGAGER_RETENTION_DAYS = env.int("METRICS_ENGAGER_RETENTION_DAYS", default=90)
# The key of those hashes (defaults to one derived from SECRET_KEY).
METRICS_ENGAGER_HASH_KEY = env.str("METRICS_ENGAGER_HASH_KEY", default="")
# Accounts' own daily metrics (Google Business Profile locations, metrics.account_daily):
# days read on an account's first run, and days before the last one stored read again
# each day (Google publishes and corrects them late).
METRICS_ACCOUNT_DAILY_DAYS = env.int("METRICS_ACCOUNT_DAILY_DAYS", default=30)
METRICS_ACCOUNT_DAILY_REFETCH = env.int("METRICS_ACCOUNT_DAILY_REFETCH", default=7)
# After a 429 the run resumes with the accounts not done once the quota resets (a Celery
# countdown), unless the reset is further than this many seconds (kept under Redis's
# one-hour visibility timeout) or the run has resumed this many times already: then the
# next day's run takes them first.
METRICS_ACCOUNT_DAILY_MAX_WAIT = env.int("METRICS_ACCOUNT_DAILY_MAX_WAIT", default=3000)
METRICS_ACCOUNT_DAILY_RESUMES = env.int("METRICS_ACCOUNT_DAILY_RESUMES", default=30)

# --- Authentication ----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Throttling: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files and media --------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# An S3-compatible object store, so that workers on other machines read the same files.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=25)
# The photo pipeline (posts.images): the largest image decoded (JPEGs bigger than needed
# are decoded at reduced scale), the long side of the copy kept, and of the copies sent.
MEDIA_MAX_MEGAPIXELS = env.int("MEDIA_MAX_MEGAPIXELS", default=50)
MEDIA_MAX_SIDE = env.int("MEDIA_MAX_SIDE", default=4096)
# A JPEG larger than needed is decoded at 1/2, 1/4 or 1/8 scale when the kept copy's long
# side stays at least this (fast and lean; renditions are at most 2048 px anyway).
MEDIA_MIN_SIDE = env.int("MEDIA_MIN_SIDE", default=2560)
MEDIA_RENDITION_MAX_SIDE = env.int("MEDIA_RENDITION_MAX_SIDE", default=2048)

# --- Email -------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Annexe <annexe@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A form refused by the CSRF check keeps the text it carried (posts.views.recovery).
CSRF_FAILURE_VIEW = "posts.views.recovery.csrf_failure"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # Behind a reverse proxy that terminates TLS.
    if env.bool("BEHIND_HTTPS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content Security Policy (django-csp): scripts only from our own origin, no
# inline script. Inline style attributes are allowed (colours of editorial lines,
# FullCalendar's computed styles); they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *env.list("CSP_FORM_ACTION_EXTRA", default=[])],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Public holidays (libraries/public_holidays.py) ----------------------------
# The calendar of days off, as the `holidays` package names it: "FR" (France), or a
# subdivision such as "FR-57" (Moselle) or "FR-6AE" (Alsace), which add Good Friday and
# 26 December, "FR-974" (La Réunion)… Libraries have no region of their own.
PUBLIC_HOLIDAYS = env.str("PUBLIC_HOLIDAYS", default="FR")

# --- Metrics pages (metrics/links.py, metrics/events.py, metrics/reports.py) ---
# One network address may answer an event's survey at most this many times an hour
# (a library's wifi is shared by many visitors; the cap only stops scripted stuffing).
METRICS_SURVEY_MAX_PER_ADDRESS_HOUR = env.int("METRICS_SURVEY_MAX_PER_ADDRESS_HOUR", default=100)
# Click tracking: every http(s) link of a published post goes out as <SITE_URL>/l/<code>
# (counted, UTM added). False: links are published as typed and no click is counted.
METRICS_CLICK_TRACKING = env.bool("METRICS_CLICK_TRACKING", default=True)

# --- Logging -----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "core.logging.RedactSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
    },
}
