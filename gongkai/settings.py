"""Settings, driven by environment variables with safe defaults (SQLite under GONGKAI_DATA_DIR)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets generic classes (Sitemap[Record], Feed[...], ModelForm[...]) be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
# Everything this process creates (database, media, import staging, secret key, job queue) is
# readable by its own user only: 0600 files, 0700 folders (docs/operations.md, "Security").
# `collectstatic` is the exception: nginx serves STATIC_ROOT straight (docs/deploy/nginx.conf).
FILE_UMASK = 0o022 if "collectstatic" in sys.argv else 0o077
os.umask(FILE_UMASK)
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", BASE_DIR.parent / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATA_DIR.chmod(0o711)  # others may pass through to static/ (nginx), never list or read the rest
for _existing in DATA_DIR.glob("*.sqlite3*"):
    # Files made before the umask was set (0644) are closed too.
    _existing.chmod(0o600)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("GONGKAI_DEBUG", False)
_secret_file = DATA_DIR / "secret_key"
SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "")
if not SECRET_KEY:
    # A per-installation key kept in the data folder: never a shared default in production.
    if not _secret_file.exists():
        import secrets

        _secret_file.write_text(secrets.token_urlsafe(50))
        _secret_file.chmod(0o600)
    SECRET_KEY = _secret_file.read_text().strip()

ALLOWED_HOSTS = [
    h for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h
]
# The public portal's address (https://gongkai.example.gov.cn): the links in Weibo/WeChat posts
# point there. Empty: the address of the staff request that sends them.
PORTAL_URL = os.environ.get("GONGKAI_PORTAL_URL", "").strip()
if PORTAL_URL and not PORTAL_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("GONGKAI_PORTAL_URL must start with https:// (or http://)")
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated): none by
# default, so the client address is REMOTE_ADDR. Behind the local nginx: GONGKAI_TRUSTED_PROXIES=127.0.0.1
# (docs/operations.md, "Security").
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("GONGKAI_TRUSTED_PROXIES", "").split(",") if p.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("GONGKAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# The public site name and the organisation code used in index numbers.
AGENCY_NAME = os.environ.get("GONGKAI_AGENCY_NAME", "吉林省公安厅")
AGENCY_ORG_CODE = os.environ.get("GONGKAI_ORG_CODE", "013544308")
# The catalog search index: "database" (FTS5 on SQLite, GIN on PostgreSQL) or "tantivy" (an index
# under DATA_DIR / "search-tantivy"; docs/search.md, "The tantivy engine").
SEARCH_ENGINE = os.environ.get("GONGKAI_SEARCH_ENGINE", "database").strip() or "database"
if SEARCH_ENGINE not in ("database", "tantivy"):
    raise ImproperlyConfigured("GONGKAI_SEARCH_ENGINE must be database or tantivy")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",
    "huey.contrib.djhuey",  # `gongkai run_huey`: the background worker (core/jobs.py)
    "gongkai.core",
    "gongkai.accounts",
    "gongkai.catalog",
    "gongkai.inforequests",
    "gongkai.powers",
    "gongkai.pressroom",
    "gongkai.engagement",
    "gongkai.newmedia",
    "gongkai.annualreport",
    "gongkai.portal",
    "gongkai.workbench",
]

MIDDLEWARE = [
    # First: a cached public page is answered before the rest (gongkai/core/pagecache.py).
    "gongkai.core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gongkai.core.middleware.SecureCookiesMiddleware",
    "gongkai.core.middleware.RefuseNulMiddleware",
    "gongkai.core.middleware.CleanInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkai.accounts.security.IdleTimeoutMiddleware",
    "gongkai.accounts.twofactor.RequireTwoFactorMiddleware",
    "gongkai.accounts.passwords.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.core.middleware.SecurityHeadersMiddleware",
    # A database error or a full disk in a view: a clear 503, nothing half-saved (core/faults.py).
    "gongkai.core.faults.FaultMiddleware",
]

# templates.W003 reports that the name `i18n` has two modules: Django's, and ours that replaces it
# on purpose (TEMPLATES libraries, gongkai/core/template_i18n.py; tested in core/tests).
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.core.context_processors.site",
            ],
            # Django's i18n library with fixed `{% translate "…" %}` labels rendered once per
            # language (gongkai/core/template_i18n.py).
            "libraries": {"i18n": "gongkai.core.template_i18n"},
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    }
]


def database_from_url(url: str) -> dict[str, object]:
    """Parse DATABASE_URL (postgres://user:pass@host:port/name or sqlite:///path)."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # A generic plan after 5 executions was 6x slower for short patterns (MEASURED.md).
            "OPTIONS": {"prepare_threshold": None},
        }
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        return sqlite_database(Path(unquote(parsed.path[1:])))
    raise ValueError(f"Unsupported DATABASE_URL scheme: {parsed.scheme!r}")


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Keep each worker thread's connection open: opening one (and running the PRAGMAs below)
        # cost more than the record page's two queries (docs/operations.md, "Measured").
        "CONN_MAX_AGE": int(os.environ.get("GONGKAI_DB_CONN_MAX_AGE", "600")),
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA mmap_size=268435456; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
        },
        "TEST": {"NAME": None},
    }


DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database(DATA_DIR / "gongkai.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:dashboard"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "gongkai.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("GONGKAI_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.accounts.passwords.ComplexityValidator"},
    {"NAME": "gongkai.accounts.passwords.HistoryValidator"},
]
# A new password may not repeat any of the last PASSWORD_HISTORY (0: reuse allowed); a password older
# than PASSWORD_MAX_AGE_DAYS must be changed before anything else (0: never; accounts/passwords.py).
# Expiry is off under pytest unless set (accounts' tests set it), like TOTP_REQUIRED_ROLES.
PASSWORD_HISTORY = int(os.environ.get("GONGKAI_PASSWORD_HISTORY", "5"))
PASSWORD_MAX_AGE_DAYS = int(
    os.environ.get("GONGKAI_PASSWORD_MAX_AGE_DAYS", "0" if "pytest" in sys.modules else "90")
)
# Login security: lock an account out *from one address* after repeated failures (core/ratelimit.py:
# nobody elsewhere can lock a member of staff out); staff sessions expire.
LOGIN_MAX_FAILURES = int(os.environ.get("GONGKAI_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("GONGKAI_LOGIN_LOCKOUT_MINUTES", "15"))
SESSION_COOKIE_AGE = int(os.environ.get("GONGKAI_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("GONGKAI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A staff session unused this long is ended; the login page says why (accounts/security.py).
STAFF_IDLE_MINUTES = int(os.environ.get("GONGKAI_STAFF_IDLE_MINUTES", "30"))
# Who must sign in with a second factor (TOTP, accounts/twofactor.py): "*" (or "all") every member
# of staff, the default; a comma-separated list of roles narrows it; "none" nobody (anyone may still
# enrol). None under pytest unless set (accounts' tests set it).
TOTP_REQUIRED_ROLES = [
    r.strip()
    for r in os.environ.get("GONGKAI_TOTP_REQUIRED_ROLES", "" if "pytest" in sys.modules else "*").split(",")
    if r.strip()
]
# HSTS is sent on HTTPS answers only (SecurityMiddleware), so http in development is unaffected;
# every cookie of an HTTPS answer is marked Secure (core.middleware.SecureCookiesMiddleware).
SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GONGKAI_HSTS_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
if TRUSTED_PROXIES:  # the proxy in front (nginx) terminates TLS and says so
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A form sent without its CSRF cookie comes back with what was typed (gongkai/portal/errors.py).
CSRF_FAILURE_VIEW = "gongkai.portal.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start before the first collectstatic
STATIC_ROOT.chmod(0o755)  # public files, read by nginx
STORAGES = {
    # A write that fails half-way (a full disk) leaves no partial file (core/faults.py).
    "default": {"BACKEND": "gongkai.core.faults.SafeFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"  # never served directly: attachments go through an access-checked view
# Backups (core/backup.py, `gongkai backup`, the daily `core.backup` job): where, how many kept, at
# which hour (local time). Put the folder on another disk, and copy the archives off the machine.
BACKUP_DIR = Path(os.environ.get("GONGKAI_BACKUP_DIR", DATA_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("GONGKAI_BACKUP_KEEP", "14"))
BACKUP_AT_HOUR = int(os.environ.get("GONGKAI_BACKUP_AT_HOUR", "2"))
# The audit chain's heads noted outside the database after every verify and backup (core/anchors.py),
# an append-only file (0600); keep a copy off the machine. None under pytest unless a test sets it.
AUDIT_ANCHOR_FILE = os.environ.get(
    "GONGKAI_AUDIT_ANCHOR_FILE", "" if "pytest" in sys.modules else str(DATA_DIR / "audit-anchors.log")
)
AUDIT_VERIFY_AT_HOUR = int(os.environ.get("GONGKAI_AUDIT_VERIFY_AT_HOUR", "3"))  # the daily check, local time
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
ATTACHMENT_MAX_BYTES = int(os.environ.get("GONGKAI_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
# Virus scan of uploads (core/scan.py): "auto" = clamdscan when installed, "off", or a command
# reading the file on stdin (exit 0 clean, 1 infected, else refused as not scannable).
UPLOAD_SCAN_COMMAND = os.environ.get("GONGKAI_SCAN_COMMAND", "auto")
UPLOAD_SCAN_TIMEOUT = int(os.environ.get("GONGKAI_SCAN_TIMEOUT", "60"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "gongkai",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
if os.environ.get("GONGKAI_CACHE_DIR"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["GONGKAI_CACHE_DIR"],
    }
# Rate-limit counters shared by every worker and machine (core/ratelimit.py): the database's
# core.RateCounter table, or Redis when GONGKAI_REDIS_URL is set (this cache, only then).
if REDIS_URL_EARLY := os.environ.get("GONGKAI_REDIS_URL", ""):
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL_EARLY,
        "KEY_PREFIX": "gk-rate",
    }
# (events, seconds) per client address. The form counts accepted applications only, with a ceiling
# that a service hall's one address does not reach in a day's normal work; the status look-up
# counts wrong codes only.
RATE_LIMITS = {
    "apply": (int(os.environ.get("GONGKAI_APPLY_LIMIT", "30")), 3600),
    "status": (int(os.environ.get("GONGKAI_STATUS_LIMIT", "10")), 600),
    # engagement: inquiries accepted, wrong query codes, questions asked during online events
    "inquiry": (int(os.environ.get("GONGKAI_INQUIRY_LIMIT", "10")), 3600),
    "inquiry_code": (int(os.environ.get("GONGKAI_INQUIRY_CODE_LIMIT", "10")), 600),
    "event_question": (int(os.environ.get("GONGKAI_EVENT_QUESTION_LIMIT", "20")), 600),
}
# engagement: working days to answer an inquiry; words that hold a text for the office.
ENGAGEMENT_ANSWER_WORKDAYS = int(os.environ.get("GONGKAI_INQUIRY_WORKDAYS", "5"))
ENGAGEMENT_BLOCKED_WORDS: list[str] = []
# Reading an attachment's text for search (catalog/extract.py, in a child process of the job):
# characters kept, seconds and bytes of memory the reader may use before it is stopped.
CATALOG_EXTRACT_MAX_CHARS = int(os.environ.get("GONGKAI_EXTRACT_MAX_CHARS", "2000000"))
CATALOG_EXTRACT_SECONDS = float(os.environ.get("GONGKAI_EXTRACT_SECONDS", "60"))
CATALOG_EXTRACT_MEMORY_BYTES = int(os.environ.get("GONGKAI_EXTRACT_MEMORY_MB", "1024")) * 1024 * 1024
# Public pages are cached at most this long, so publishing shows within a minute.
PUBLIC_CACHE_SECONDS = int(os.environ.get("GONGKAI_PUBLIC_CACHE_SECONDS", "30"))
# Catalog columns (codes, sub-columns included) whose records are major policies that call for an
# interpretation; one published without is flagged to the office (docs/pressroom.md).
PRESSROOM_POLICY_CATEGORIES = tuple(
    c.strip()
    for c in os.environ.get("GONGKAI_PRESSROOM_POLICY_CATEGORIES", "policy-rules").split(",")
    if c.strip()
)

EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GONGKAI_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_EMAIL_FROM", "gongkai@localhost")

NINJA_PAGINATION_PER_PAGE = 20

# Background jobs (core/jobs.py) on Huey: a SQLite queue file beside the database by default, Redis
# when GONGKAI_REDIS_URL is set (several web servers, one queue). `gongkai run_huey` is the worker.
# Under pytest every job runs in-process at once (Huey's immediate mode), through the same code.
REDIS_URL = os.environ.get("GONGKAI_REDIS_URL", "")
JOBS_IMMEDIATE = env_bool("GONGKAI_JOBS_IMMEDIATE", "pytest" in sys.modules)
HUEY: dict[str, Any] = {
    # Tests (several processes under xdist) each keep their own queue when they share one Redis.
    "name": os.environ.get(
        "GONGKAI_HUEY_NAME", f"gongkai-test-{os.getpid()}" if JOBS_IMMEDIATE else "gongkai"
    ),
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "immediate": JOBS_IMMEDIATE,
    # With Redis configured the tests use it for real; the SQLite queue file stays untouched by tests.
    "immediate_use_memory": not REDIS_URL,
    "results": False,
    "utc": True,
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(DATA_DIR / "huey.sqlite3")},
    "consumer": {
        "workers": int(os.environ.get("GONGKAI_JOB_WORKERS", "2")),
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
        # Poll the queue at most every 2 s when idle (the SQLite queue has no blocking read).
        "initial_delay": 0.1,
        "backoff": 1.15,
        "max_delay": 2.0,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}
