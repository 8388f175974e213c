"""Settings for the registry, driven by environment variables.

DJANGO_SECRET_KEY  secret key; when unset, one is generated once into var/secret_key
DJANGO_DEBUG       "1" to turn debug on (off by default)
DJANGO_ALLOWED_HOSTS  comma-separated host names (default: localhost names)
DATABASE_URL       e.g. postgres://user@host:5432/name; default: SQLite in var/registry.sqlite3
REGISTRY_DATA_DIR  where the SQLite file, uploads and the generated key live (default: var/)
REGISTRY_SCAN_MAX_MB  largest scanned decision accepted, in MB (default: 20)
REGISTRY_SCAN_MAX_MEGAPIXELS / REGISTRY_EMBLEM_MAX_MEGAPIXELS
                   largest image accepted as a scan or document (default: 75), or as a certificate's
                   emblem (default: 4), in megapixels
DJANGO_HTTPS       "1" when served over HTTPS: secure cookies, HSTS, HTTP redirected
                   (DJANGO_SSL_REDIRECT=0 if the proxy redirects)
DJANGO_BEHIND_PROXY  "1" behind a reverse proxy: trust its X-Forwarded-Proto, and take the client's
                   address from X-Forwarded-For, DJANGO_PROXY_HOPS trusted proxies deep (default: 1)
REGISTRY_PUBLIC_URL   the address printed in certificates' QR codes, e.g. https://khenthuong.example
                      (default: the address the printing browser used)
REGISTRY_CERTIFICATE_FONT_REGULAR / _BOLD / _ITALIC / _BOLD_ITALIC
                      TTF files of another certificate typeface (default: Gentium Book Plus)
REGISTRY_LOGIN_FAILURES / REGISTRY_LOGIN_COOLOFF_HOURS
                      failed sign-ins before a user name is locked out from an address, and for how long
                      (default: 5, 0.25 h)
REGISTRY_LOGIN_ADDRESS_FAILURES
                      failed sign-ins from one address, whatever the user names, before it is stopped for
                      that long after its last (default: 20)
REGISTRY_VERIFY_RATE  certificate lookups allowed per client (default: 30/m)
REGISTRY_IMPORT_MAX_MB / REGISTRY_IMPORT_MAX_UNPACKED_MB / REGISTRY_IMPORT_MAX_ROWS
                      limits on an imported spreadsheet (default: 10 MB, 100 MB unpacked, 50,000 rows)
REGISTRY_IMPORT_MAX_CELLS / REGISTRY_IMPORT_MAX_SECONDS
                      cells or shared texts in a workbook (default: 30 a row), and the time reading
                      may take (default: 60 s)
REGISTRY_IMPORT_KEEP_HOURS  uploads whose preview was never confirmed are removed after this (default: 24)
REGISTRY_JOB_EXPORT_ROWS / REGISTRY_JOB_IMPORT_ROWS / REGISTRY_JOB_PRINT_PAGES
                      above these, an export, an import's confirmation or a print batch runs as a job
                      in the worker (`manage.py db_worker`) with a progress bar (default: 5,000 rows,
                      500 rows, 40 certificates)
REGISTRY_JOB_IMPORT_MB  a ledger file larger than this is read and checked by the worker too (default: 0.5)
REGISTRY_JOB_KEEP_HOURS  a job's file is removed this long after it is ready, and never served after (default: 24)
REGISTRY_JOB_MAX_WAITING  jobs one person may have waiting or running at once (default: 3)
REGISTRY_OBJECTIONS_PER_HOUR  objections one person may send on public lists in an hour (default: 10)
DJANGO_ADMINS      who is e-mailed each server error, e.g. "Nguyễn Văn An <an@example.vn>, ops@example.vn"
DJANGO_EMAIL_HOST / DJANGO_EMAIL_PORT / DJANGO_SERVER_EMAIL  the mail server for that (default: localhost:25)
DJANGO_LOG_LEVEL   what goes to stderr (default: WARNING; errors always, with their tracebacks)
REGISTRY_LDAP_…    sign-in with the organisation's directory (Active Directory / LDAP): see registry/directory.py
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("REGISTRY_DATA_DIR", BASE_DIR / "var"))
# What the registry keeps (database, uploads, backups, keys) is for the service's user only.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _private_file(path):
    """Create the file readable by this user only, before anything else (SQLite, say) does;
    SQLite gives its -wal and -shm files the database's own permissions."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key():
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    # A key per installation, kept beside the data, so sessions survive restarts
    # without anyone having to invent one.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        _private_file(path)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("DJANGO_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "csp",
    "axes",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "registry.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the body: a body larger than its view takes is refused unread.
    "registry.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "registry.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Throttles sign-in: after AXES_FAILURE_LIMIT failures for a user name from one address,
    # that pair is locked out for a while (django-axes, records in the database).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The organisation's directory, when configured (registry/directory.py): its people sign in with
# their directory password; local accounts (the demo's, administrators') still sign in as before.
from .directory import directory_settings  # noqa: E402

_DIRECTORY = directory_settings(os.environ)
globals().update(_DIRECTORY)
if _DIRECTORY:
    AUTHENTICATION_BACKENDS.insert(1, "awards.directory.DirectoryBackend")
AXES_FAILURE_LIMIT = int(os.environ.get("REGISTRY_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("REGISTRY_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And an address, whatever the user names it tries (registry/signin.py).
REGISTRY_LOGIN_ADDRESS_FAILURES = int(os.environ.get("REGISTRY_LOGIN_ADDRESS_FAILURES", "20"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

ROOT_URLCONF = "registry.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "registry.wsgi.application"


# Several officers at once on SQLite: readers never wait for the writer (WAL), a writer takes
# the lock when its transaction begins rather than failing halfway (IMMEDIATE), and waits its
# turn instead of erroring (timeout, in seconds). Applied to every SQLite database, however named.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;",
}


def _database():
    url = os.environ.get("DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "registry.sqlite3"}
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
        name = Path(database["NAME"]) if database["NAME"] and database["NAME"] != ":memory:" else None
        if name is not None:
            _private_file(name)
            # A file beside it, not memory, so that tests see the same locking as a real deployment.
            database.setdefault("TEST", {}).setdefault("NAME", str(name.with_name(f"test-{name.name}")))
    return database


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# locale_vendor: Vietnamese for what Django's admin and django-axes ship untranslated (kept apart
# from locale/, which makemessages rewrites from our own sources).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files are served by the app itself (closed network, no CDN): straight from the
# packages in development, from STATIC_ROOT after collectstatic in production.
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

DJANGO_TABLES2_TEMPLATE = "includes/_table.html"

# Security headers. Everything the pages load comes from the app itself: no inline
# scripts or styles, no other origins (a closed network has none to offer anyway).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Served over HTTPS (DJANGO_HTTPS=1): cookies only over TLS, HSTS, and plain HTTP redirected.
HTTPS = _env_flag("DJANGO_HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_flag("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
BEHIND_PROXY = _env_flag("DJANGO_BEHIND_PROXY")
if BEHIND_PROXY:
    # Only behind a proxy that sets this header itself (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address for the sign-in lockout and the verification rate limit: the connection's,
# or behind the proxy, X-Forwarded-For read this many trusted hops from the right
# (registry/clientip.py). Ignored unless DJANGO_BEHIND_PROXY is set.
REGISTRY_PROXY_HOPS = int(os.environ.get("DJANGO_PROXY_HOPS", "1")) if BEHIND_PROXY else 0
AXES_CLIENT_IP_CALLABLE = "registry.clientip.client_ip"
RATELIMIT_IP_META_KEY = "registry.clientip.client_ip"

REGISTRY_SCAN_MAX_MB = int(os.environ.get("REGISTRY_SCAN_MAX_MB", "20"))
# Images are bounded in pixels as well as bytes (a small PNG can hold 144 megapixels): a scan at
# 600 dpi of an A3 page fits; an emblem drawn on every certificate is small.
REGISTRY_SCAN_MAX_PIXELS = int(float(os.environ.get("REGISTRY_SCAN_MAX_MEGAPIXELS", "75")) * 1_000_000)
REGISTRY_EMBLEM_MAX_PIXELS = int(float(os.environ.get("REGISTRY_EMBLEM_MAX_MEGAPIXELS", "4")) * 1_000_000)
REGISTRY_PUBLIC_URL = os.environ.get("REGISTRY_PUBLIC_URL", "").rstrip("/")
CERTIFICATE_FONT = {
    style: os.environ.get(f"REGISTRY_CERTIFICATE_FONT_{style.upper()}", "")
    for style in ("regular", "bold", "italic", "bold_italic")
}
REGISTRY_VERIFY_RATE = os.environ.get("REGISTRY_VERIFY_RATE", "30/m")
REGISTRY_IMPORT_MAX_MB = float(os.environ.get("REGISTRY_IMPORT_MAX_MB", "10"))
REGISTRY_IMPORT_MAX_UNPACKED_MB = float(os.environ.get("REGISTRY_IMPORT_MAX_UNPACKED_MB", "100"))
REGISTRY_IMPORT_MAX_ROWS = int(os.environ.get("REGISTRY_IMPORT_MAX_ROWS", "50000"))
# Cells (and shared texts) a workbook may hold: 30 a row of the largest list allowed.
REGISTRY_IMPORT_MAX_CELLS = int(os.environ.get("REGISTRY_IMPORT_MAX_CELLS", str(REGISTRY_IMPORT_MAX_ROWS * 30)))
# Reading a file stops with a refusal after this long, whatever it holds.
REGISTRY_IMPORT_MAX_SECONDS = float(os.environ.get("REGISTRY_IMPORT_MAX_SECONDS", "60"))
# Uploads waiting for the officer to confirm their preview are removed after this long.
REGISTRY_IMPORT_KEEP_HOURS = float(os.environ.get("REGISTRY_IMPORT_KEEP_HOURS", "24"))

# Long work runs outside the request, as a job (awards.jobs) the worker (`manage.py db_worker`)
# takes from the database: no broker, the same on SQLite and PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REGISTRY_JOB_EXPORT_ROWS = int(os.environ.get("REGISTRY_JOB_EXPORT_ROWS", "5000"))
REGISTRY_JOB_IMPORT_ROWS = int(os.environ.get("REGISTRY_JOB_IMPORT_ROWS", "500"))
# An upload larger than this is read by the worker too (a ledger's), not within the request.
REGISTRY_JOB_IMPORT_MB = float(os.environ.get("REGISTRY_JOB_IMPORT_MB", "0.5"))
REGISTRY_JOB_PRINT_PAGES = int(os.environ.get("REGISTRY_JOB_PRINT_PAGES", "40"))
REGISTRY_JOB_KEEP_HOURS = float(os.environ.get("REGISTRY_JOB_KEEP_HOURS", "24"))
# Jobs one person may have waiting or running at once; more are refused until one is done.
REGISTRY_JOB_MAX_WAITING = int(os.environ.get("REGISTRY_JOB_MAX_WAITING", "3"))
# Objections and comments one person may send on public lists in an hour.
REGISTRY_OBJECTIONS_PER_HOUR = int(os.environ.get("REGISTRY_OBJECTIONS_PER_HOUR", "10"))

# A cache every worker process on this machine shares (rate limits, throttling).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}
# A request's form fields (uploaded files apart): a decision of 3,000 recipients fits. Django
# refuses more; RequestSizeLimitMiddleware refuses any body larger than this plus the file its
# view takes (only the scan and spreadsheet forms take one).
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
# Uploaded files, and the folders they go in, for the service's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# A decision may list hundreds of recipients, each row a handful of fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000


def _admins(value):
    """DJANGO_ADMINS="Nguyễn Văn An <an@example.vn>, ops@example.vn" -> [(name, address), ...]."""
    from email.utils import getaddresses

    return [(name or address, address) for name, address in getaddresses([value]) if address]


# Errors are never quiet: with DEBUG off, every error (with its traceback) goes to stderr, where
# gunicorn or the service manager keeps it, and by e-mail to ADMINS when any are set.
ADMINS = _admins(os.environ.get("DJANGO_ADMINS", ""))
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "registry@localhost")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_TIMEOUT = 10
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
                "forbidden_on_one_line": {"()": "registry.middleware.ForbiddenOnOneLine"}},
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {process:d}: {message}", "style": "{"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["forbidden_on_one_line"]},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["require_debug_false"]},
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr", "mail_admins"], "level": LOG_LEVEL, "propagate": False},
        # runserver's request lines, as Django prints them by default.
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
