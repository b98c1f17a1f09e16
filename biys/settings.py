"""BİYS settings. Everything that differs between machines comes from the environment.

See docs/operations.md for the full list of variables. The defaults give a working
development server on an embedded SQLite database under ``BIYS_DATA_DIR`` (``./var``).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from biys.core.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
# A source checkout keeps its data in ./var; an installed package must be told (BIYS_DATA_DIR).
_CHECKOUT = (BASE_DIR.parent / "pyproject.toml").is_file()
DATA_DIR = Path(env_str("BIYS_DATA_DIR", str((BASE_DIR.parent if _CHECKOUT else Path.cwd()) / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - only when DEBUG=1

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "biys.core",
    "biys.users",
    "biys.org",
    "biys.inventory",
    "biys.servicedesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "biys.users.permcache.PermissionCacheMiddleware",
    "biys.core.middleware.SessionRenewMiddleware",
    "biys.core.middleware.RequestContextMiddleware",
    "biys.core.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "biys.users.middleware.MFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "biys.urls"
WSGI_APPLICATION = "biys.wsgi.application"

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
                "biys.core.context_processors.biys",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL via DATABASE_URL in production.
DATABASE_URL = env_secret("DATABASE_URL", f"sqlite:///{DATA_DIR / 'biys.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db["NAME"] and _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue on the busy timeout instead of failing with "database is locked".
    # Each request opens its own connection, so SQLite's page cache starts empty every time: memory-mapping
    # the file reads pages straight from the operating system's cache instead of one system call per page
    # (a large register's list pages, docs/performance.md), and a 32 MB cache serves one request's big scans.
    _mmap = env_int("SQLITE_MMAP_MB", 256, minimum=0) * 1024 * 1024
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            f"PRAGMA mmap_size={_mmap}; PRAGMA cache_size=-32768;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
    }
elif _db["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ImproperlyConfigured("DATABASE_URL must be sqlite:// or postgres:// (other databases are not supported)")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "users:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LDAP_SERVER_URI = env_str("LDAP_SERVER_URI")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    *(["biys.users.ldap.DirectoryBackend"] if LDAP_SERVER_URI else []),
    "django.contrib.auth.backends.ModelBackend",
]
if LDAP_SERVER_URI:
    from biys.users.ldap_settings import *  # noqa: F403 - LDAP settings are read from the environment there

# Lockout after repeated failures (BİG 3.2.1.x): per user name and address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "users/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy the real client address decides the lockout, as in the change log.
AXES_CLIENT_IP_CALLABLE = "biys.core.middleware.client_ip"

# Sessions: a new id at login (Django does this), an idle timeout that renews on activity.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = False  # SessionRenewMiddleware renews at most once a minute instead
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)  # BİG 3.2.9.3
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
BIYS_TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
SILENCED_SYSTEM_CHECKS: list[str] = []
if not SECURE_SSL_REDIRECT:
    # TLS is terminated by the reverse proxy in front of gunicorn (docs/operations.md).
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# --- Files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
BIYS_MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10, minimum=1, maximum=512)

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Turkish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Istanbul"
USE_I18N = True
USE_TZ = True
BIYS_WORKING_HOURS = env_str("WORKING_HOURS", "08:30-12:30,13:30-17:30")
if not re.fullmatch(r"\d\d:\d\d-\d\d:\d\d(,\d\d:\d\d-\d\d:\d\d)*", BIYS_WORKING_HOURS.replace(" ", "")):
    raise ImproperlyConfigured("WORKING_HOURS must look like 08:30-12:30,13:30-17:30")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "biys.users.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["biys.core.permissions.ModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "biys.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BİYS API",
    "DESCRIPTION": "Bilgi İşlem Yönetim Sistemi REST API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Ticket.priority and ServiceItem.default_priority share one choice set: one enum in the schema.
    "ENUM_NAME_OVERRIDES": {"PriorityEnum": "biys.servicedesk.choices.Priority"},
}

# --- Background work ---------------------------------------------------------------------------
TASKS_BACKEND = env_choice("TASKS_BACKEND", "database", ("database", "immediate"))
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}

# --- Cache ----------------------------------------------------------------------------------
# Shared by every process of the installation: a long import's progress is written by the task worker and
# read by whichever web worker serves the status page. On one host a directory under the data dir does
# that; when several hosts serve BİYS, point them at one Redis (REDIS_URL, e.g. redis://127.0.0.1:6379/1).
REDIS_URL = env_secret("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# --- Mail -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "biys@localhost")
if DEBUG and not env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Inventory agents (biys.inventory.agents) ------------------------------------------------
BIYS_AGENT_USER = env_str("AGENT_USER", "agent")
BIYS_AGENT_PASSWORD = env_secret("AGENT_PASSWORD")  # empty = no HTTP Basic check
BIYS_AGENT_REALM = env_str("AGENT_REALM", "BIYS")
BIYS_AGENT_MAX_BODY_MB = env_int("AGENT_MAX_BODY_MB", 20, minimum=1, maximum=512)
BIYS_AGENT_MAX_QUEUED = env_int("AGENT_MAX_QUEUED", 1000, minimum=0)
BIYS_AGENT_FREQUENCY_HOURS = env_int("AGENT_FREQUENCY_HOURS", 24, minimum=1, maximum=720)
BIYS_AGENT_RETRY_SECONDS = env_int("AGENT_RETRY_SECONDS", 600, minimum=60, maximum=86400)
BIYS_AGENT_MATCH_RULES = env_list("AGENT_MATCH_RULES", ["device_id", "uuid", "serial", "mac"])
if set(BIYS_AGENT_MATCH_RULES) - {"device_id", "uuid", "serial", "mac"}:
    raise ImproperlyConfigured("AGENT_MATCH_RULES: use device_id, uuid, serial, mac")

# --- Tables, logging -------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "core/table.html"
FILTERS_EMPTY_CHOICE_LABEL = _("All")
DJANGO_TABLES2_PAGE_RANGE = 7

# Extension point for departure handovers: callables (staff) -> iterable of HandoverLine.
# Later apps (inventory custody, service desk tickets, documents) append their own.
BIYS_HANDOVER_PROVIDERS = [
    "biys.org.handover.duty_lines",
    "biys.inventory.custody.handover.custody_lines",
    "biys.servicedesk.services.handover_lines",
]

# Resolved tickets the requester neither confirms nor reopens close after this many business days.
BIYS_TICKET_AUTOCLOSE_DAYS = env_int("BIYS_TICKET_AUTOCLOSE_DAYS", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))},
}

# --- Service desk mail (biys.servicedesk.mail; docs/operations.md section 15) -----------------------
# The IMAP mailbox `biys mail_poll` reads; empty BIYS_MAIL_HOST = no mail intake.
BIYS_MAIL_HOST = env_str("BIYS_MAIL_HOST")
BIYS_MAIL_SECURITY = env_choice("BIYS_MAIL_SECURITY", "ssl", ("ssl", "starttls", "none"))
BIYS_MAIL_PORT = env_int("BIYS_MAIL_PORT", 993 if BIYS_MAIL_SECURITY == "ssl" else 143, minimum=1, maximum=65535)
BIYS_MAIL_USER = env_str("BIYS_MAIL_USER")
BIYS_MAIL_PASSWORD = env_secret("BIYS_MAIL_PASSWORD")
BIYS_MAIL_CA_FILE = env_str("BIYS_MAIL_CA_FILE")  # the municipality's own CA, if the server's certificate needs it
BIYS_MAIL_FOLDER = env_str("BIYS_MAIL_FOLDER", "INBOX")
BIYS_MAIL_DONE_FOLDER = env_str("BIYS_MAIL_DONE_FOLDER")  # empty = processed mails stay, marked as read
BIYS_MAIL_DEFAULT_ITEM = env_str("BIYS_MAIL_DEFAULT_ITEM")  # catalogue item code of tickets opened by mail
BIYS_MAIL_DEFAULT_UNIT = env_str("BIYS_MAIL_DEFAULT_UNIT")  # unit code for senders not on the staff list
BIYS_MAIL_TIMEOUT = env_int("BIYS_MAIL_TIMEOUT", 60, minimum=1, maximum=600)
BIYS_MAIL_BATCH = env_int("BIYS_MAIL_BATCH", 200, minimum=1, maximum=10000)
# Notifications: sender (the polled mailbox, so that replies come back to the desk) and a master switch.
BIYS_MAIL_FROM = env_str("BIYS_MAIL_FROM", DEFAULT_FROM_EMAIL)
BIYS_MAIL_NOTIFY = env_bool("BIYS_MAIL_NOTIFY", True)
