"""Settings for DVK. Everything deploy-specific comes from the environment.

DATABASE_URL  sqlite:////abs/path.sqlite3 or postgres://user:pass@host:5432/name
              (default: embedded SQLite under the var directory); nothing else depends on it
DVK_VAR_DIR   where local state lives (default: var/ of the checkout): the embedded database,
              the generated secret key, collected static files, media
SECRET_KEY    signing key; without it one is generated once and kept in DVK_VAR_DIR/secret_key
              (set the same value on every machine of a multi-server deployment)
DEBUG         "1" for development only (`make run` turns it on for its development server)
ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS  comma separated
HTTPS         "1" in production: redirect http to https, HSTS, cookies sent over HTTPS only
HSTS_SECONDS  HSTS max-age when HTTPS is on (default one year)
TRUST_X_FORWARDED_PROTO  "1" when a reverse proxy terminates TLS and sets X-Forwarded-Proto
SECURE_COOKIES  "1"/"0" overrides the secure-cookie choice made by HTTPS
TASKS_BACKEND "db" (default, django-tasks-db) or "rq" (django-tasks-rq, needs REDIS_URL)
MEDIA_ROOT    where uploaded attachments and generated files are stored
DVK_BASE_URL  the site's address as users reach it, for links printed by commands
              (one-time password links of `dvk import_users`, links in reminders; default
              http://127.0.0.1:8000)
DVK_PASSWORD_LINK_HOURS  how long a one-time password link works (default 72)
EMAIL_HOST    an SMTP server for password links, reminders and digests (without it, e-mails are written to the
              console); EMAIL_PORT (587), EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
              EMAIL_USE_TLS ("1", default) / EMAIL_USE_SSL, DEFAULT_FROM_EMAIL; EMAIL_BACKEND
              overrides the choice
DVK_DEADLINE_OFFSET_DAYS  days each level's deadlines come before the level above's, per
              deadline: "registration=10;report=10;up_report=5" (phases/calendar.py)
DVK_REMINDER_DAYS_BEFORE  how many days ahead a deadline is reminded of (default 7)
CACHE_URL     redis://host:6379/1 for a cache shared by several app servers (rate limits);
              REDIS_URL serves when CACHE_URL is unset; default: each process's memory
DVK_LOGIN_RATE, DVK_API_RATE  rate limits ("20/m", "120/m"; "0" off)
DVK_PROXY_COUNT  reverse proxies in front of the app that append to X-Forwarded-For
AXES_FAILURE_LIMIT, AXES_IP_FAILURE_LIMIT, AXES_COOLOFF_HOURS  the sign-in lockout
"""
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("DVK_VAR_DIR") or PROJECT_DIR / "var")


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value in (None, "") else value.strip().lower() in ("1", "true", "yes", "on")


def _secret_key() -> str:
    """SECRET_KEY from the environment, else the key generated on first start under VAR_DIR.

    The key must stay the same across restarts (sessions, password-reset links) and across
    the processes of one machine (web server, worker), so it is written once, readable only by
    its owner, and published with a hard link: when processes start together, the first link
    wins and everyone reads that one key.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=VAR_DIR, prefix=".secret_key.")  # mode 0600
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50) + "\n")
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    key = path.read_text().strip()
    if not key:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{path} is empty: delete it or set SECRET_KEY")
    return key


DEFAULT_DB = f"sqlite:///{VAR_DIR / 'dvk.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_DB
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker and the web server write without "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DVK_TEST_SQLITE") or None}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: the planner's cost of a correlated probe per unit (e.g. the queue's
        # "nothing registered in time") switched it on and compiling took 320 of a query's
        # 410 ms; the app's queries are index walks JIT never speeds up (docs/performance.md).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# Off unless asked for: the database says nothing about whether this is a development machine.
DEBUG = _flag("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    # Its API docs page then uses the Swagger UI files shipped with it, not a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "dvk.common",
    "dvk.orgs",
    "dvk.phases",
    "dvk.initiatives",
    "dvk.awards",
    "dvk.activities",
    "dvk.directives",
    "dvk.reports",
    # Orchestrators: each uses several of the apps above (docs/architecture.md).
    "dvk.imports",
    "dvk.documents",
    "dvk.demo",
    "dvk.reminders",
    "dvk.web",
    "dvk.api",
    # Site layer too: the public gallery of recognised models (no sign-in).
    "dvk.gallery",
]

MIDDLEWARE = [
    "dvk.common.middleware.ScopedRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # No NUL byte, control character or lone surrogate in any parameter or form field.
    "dvk.common.middleware.CleanInputMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dvk.common.sessions.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dvk.orgs.middleware.ActingScopeMiddleware",
    # Inside authentication and the acting scope, which the 404 page's layout shows.
    "dvk.web.errors.FriendlyNotFoundMiddleware",
    "dvk.common.middleware.RefusalMiddleware",
    # Last, so it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dvk.urls"
WSGI_APPLICATION = "dvk.wsgi.application"

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
                "dvk.web.context.navigation",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Every password a person chooses (set-password link, change, reset) passes these, with
# Vietnamese messages (dvk/common/passwords.py): "gq.thuky1" is refused to gq.thuky.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dvk.common.passwords.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")}},
    {"NAME": "dvk.common.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "dvk.common.passwords.CommonPasswordValidator"},
    {"NAME": "dvk.common.passwords.NumericPasswordValidator"},
]
# One-time links to set or reset a password (Django's token: void once used).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("DVK_PASSWORD_LINK_HOURS") or 72) * 3600
DVK_BASE_URL = os.environ.get("DVK_BASE_URL") or "http://127.0.0.1:8000"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire after 8 idle hours (a working day) and when the browser closes; the
# expiry slides forward every few minutes of activity (common/sessions.py), not on every
# request, so a page view does not write to the database.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Production over HTTPS is an explicit choice (HTTPS=1), never a side effect of DEBUG or the
# database: plain-http development and test servers keep working.
HTTPS = _flag("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS") or (365 * 24 * 3600 if HTTPS else 0))
# The site has its own host name; preload only declares consent, nothing is listed unless
# the domain's owner submits it.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("SECURE_COOKIES", HTTPS)
if _flag("TRUST_X_FORWARDED_PROTO"):
    # Only behind a proxy that sets this header itself; otherwise clients could forge it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: everything from this site, nothing inline (no <script> blocks,
# style="…" attributes or <style> blocks in templates; behaviour lives in static files).
# data: images are Swagger UI's icons. Django's debug pages are exempt under DEBUG.
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
    },
}

# Sign-in lockout for 30 minutes: an account from one address after 5 failures, and an
# address after 30 failures whatever the usernames (one password tried across many
# accounts). The handler gives the address alone its own, higher limit (common/lockout.py).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
DVK_LOCKOUT_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", 30))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 0.5))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "dvk.common.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address behind reverse proxies: with DVK_PROXY_COUNT=N (the proxies in front
# of the app that append to X-Forwarded-For), the address the outermost proxy saw. Without
# it every client would share the proxy's address for the lockout and the rate limits
# (common/ratelimit.client_address).
DVK_PROXY_COUNT = int(os.environ.get("DVK_PROXY_COUNT") or 0)
AXES_CLIENT_IP_CALLABLE = "dvk.common.ratelimit.client_address"

# Rate limits (common/ratelimit.py): "N/s", "N/m", "N/h" or "N/d"; "0" turns one off.
# Sign-in attempts per client address; API requests per signed-in user or API token's user
# (anonymous ones per address).
DVK_LOGIN_RATE = os.environ.get("DVK_LOGIN_RATE", "20/m")
DVK_API_RATE = os.environ.get("DVK_API_RATE", "120/m")

# The cache holds the rate-limit counters. Several app servers need one shared cache:
# CACHE_URL (or REDIS_URL) = redis://host:6379/1; otherwise each process counts alone.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_URL, "KEY_PREFIX": "dvk"}}
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"CACHE_URL {CACHE_URL!r}: expected redis://host:port/db")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django's own "vi" formats lack grouping and read dates US-style; ours fix that.
FORMAT_MODULE_PATH = ["dvk.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Off on purpose: automatic grouping turns ids and years inside attributes and URLs into
# "1.234" / "2.026". Figures are grouped explicitly with the `vn_int` filter (7.995).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
STATICFILES_DIRS = [BASE_DIR / "static_build"] if (BASE_DIR / "static_build").is_dir() else []
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names once `dvk collectstatic` has written its manifest (deployments);
    # plain names before that (development, tests), so pages never fail on a missing manifest.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and (STATIC_ROOT / "staticfiles.json").exists()
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The levels a phase created in the app proposes (lowest first, ";" between): since the
# 2025 reform there are no districts, so Cơ sở and Tỉnh. The import's phases keep the
# contract's three levels (CONTRACTS §2).
DVK_NEW_PHASE_LEVELS = [name.strip() for name in os.environ.get(
    "DVK_NEW_PHASE_LEVELS", "Cơ sở;Tỉnh").split(";") if name.strip()]
DVK_ATTACHMENT_MAX_BYTES = int(os.environ.get("DVK_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
# What an imported .xlsx may inflate to before it is parsed (common/zipguard.py, README).
DVK_IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("DVK_IMPORT_MAX_UNCOMPRESSED_BYTES",
                                                       512 * 1024 * 1024))
DVK_IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("DVK_IMPORT_MAX_COMPRESSION_RATIO", 100))
DVK_IMPORT_MAX_CELLS = int(os.environ.get("DVK_IMPORT_MAX_CELLS", 20_000_000))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Mail (password links, reminders and digests) through Django's framework: the console unless
# an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL") == "1"
EMAIL_USE_TLS = not EMAIL_USE_SSL and os.environ.get("EMAIL_USE_TLS", "1") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dvk@localhost")
DVK_DEADLINE_OFFSET_DAYS = {
    key.strip(): int(value) for key, _sep, value in (
        item.partition("=") for item in os.environ.get("DVK_DEADLINE_OFFSET_DAYS", "").split(";"))
    if key.strip() and value.strip().isdigit()}
DVK_REMINDER_DAYS_BEFORE = int(os.environ.get("DVK_REMINDER_DAYS_BEFORE", 7))
# Returns, decisions and awards older than this are not announced (a first run on old data).
DVK_REMINDER_LOOKBACK_DAYS = int(os.environ.get("DVK_REMINDER_LOOKBACK_DAYS", 14))

# Background work. The Redis-backed backend is a configuration change, not a rewrite.
if os.environ.get("TASKS_BACKEND", "db") == "rq":
    INSTALLED_APPS += ["django_tasks_rq", "django_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    # The worker (`dvk rqworker default`) must run jobs as django-tasks-rq's Job class.
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif os.environ.get("TASKS_BACKEND") == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
