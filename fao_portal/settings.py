"""One settings module for every environment, driven by environment variables.

See README.md ("Configuration") for the variables. Defaults give a working local portal on
the embedded SQLite database; production sets DJANGO_DEBUG=false and the secrets.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from fao_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FAO_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# The development key; `check --deploy` refuses it (accounts/checks.py).
FAO_INSECURE_DEV_KEY = "insecure-local-development-key-never-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not env_bool("FAO_ALLOW_INSECURE_KEY", default=False):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off "
            "(set FAO_ALLOW_INSECURE_KEY=true only for local runs and tests)."
        )
    SECRET_KEY = FAO_INSECURE_DEV_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin with the second factor on its login (accounts/admin_site.py).
    "accounts.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Layered one way (tests/test_layers.py): foundation, then the record-keeping apps, the
    # report, the pages that read them all, and the demo data on top.
    "core",
    "dataio",
    "publication",
    "workdays",
    "sitesettings",
    "trainings",
    "supervision",
    "disclosure",
    "applications",
    "lawbuilding",
    "publicsite",
    "dashboard",
    "ops",
    "demo",
    # Last: its post_migrate handler syncs the roles once every app's permissions exist.
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ops.middleware.SecurityHeadersMiddleware",
    "ops.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages are answered here, before sessions, CSRF and authentication.
    "publicsite.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fao_portal.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fao_portal.urls"
WSGI_APPLICATION = "fao_portal.wsgi.application"

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

# The embedded default keeps `make run` working on a machine without PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fao_portal.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A dead connection is noticed before a request uses it (with the pool, the pool checks
    # each connection it hands out), so the portal recovers by itself after an outage.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Fail fast while the server is unreachable: requests answer 503 instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "FAO_DB_CONNECT_TIMEOUT", 5
    )
    if env_bool("FAO_DB_POOL", default=False):
        # psycopg 3's pool; Django requires CONN_MAX_AGE = 0 with it.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env_int("FAO_DB_POOL_MIN", 2),
            "max_size": env_int("FAO_DB_POOL_MAX", 10),
            # Seconds a request waits for a connection before it gets a 503.
            "timeout": env_int("FAO_DB_POOL_TIMEOUT", 3),
            # Give up a reconnection series early and start a fresh one on the next request,
            # so the pool does not sit in a long back-off after the server is back.
            "reconnect_timeout": env_int("FAO_DB_POOL_RECONNECT_TIMEOUT", 5),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("FAO_DB_CONN_MAX_AGE", 60)
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # WAL lets readers go on while one connection writes. A transaction that reads and
        # then writes would have to upgrade its lock and fail at once with "database is
        # locked" (the busy timeout does not apply to an upgrade): IMMEDIATE takes the write
        # lock when the transaction begins, so concurrent writers queue for up to `timeout`
        # seconds instead. Autocommit reads take no transaction and are not serialised.
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
        }
    )
    # A new SQLite connection re-reads the whole schema (~350 objects) on its first query,
    # about 3 ms, more than a typical page; keep connections between requests.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("FAO_DB_CONN_MAX_AGE", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: a locked-out account is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's rule with a Chinese message (Django 5.2 ships none for it).
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("FAO_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env_int("FAO_PASSWORD_MIN_CLASSES", 3)},
    },
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
# Dates are entered and shown as YYYY-MM-DD in both languages.
FORMAT_MODULE_PATH = ["fao_portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("FAO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Uploads live outside the static tree and are served through a view with safe headers.
MEDIA_ROOT = Path(env_str("FAO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("FAO_MANIFEST_STATIC", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

# Upload and import limits: checked before anything parses the file.
FAO_MAX_UPLOAD_BYTES = env_int("FAO_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
FAO_MAX_IMPORT_ROWS = env_int("FAO_MAX_IMPORT_ROWS", 50_000)
# Imports with more rows than this run in the background worker, with a progress page.
FAO_BACKGROUND_IMPORT_ROWS = env_int("FAO_BACKGROUND_IMPORT_ROWS", 500)
# Zip-bomb guard for xlsx: declared uncompressed size against compressed size, and a cap.
# Zip-based office files (xlsx imports, docx/xlsx attachments): a few kilobytes of zip can
# declare gigabytes of XML, so the declared expansion is capped before anything inflates.
FAO_ZIP_MAX_RATIO = env_int("FAO_ZIP_MAX_RATIO", 100)
FAO_ZIP_MAX_UNCOMPRESSED_BYTES = env_int("FAO_ZIP_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
# Files that must never be served (uploaded imports, their error reports): outside MEDIA_ROOT.
FAO_PRIVATE_ROOT = Path(env_str("FAO_PRIVATE_ROOT", str(VAR_DIR / "private")))
# The licensed official fonts of GB/T 9704-2012 (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312),
# when the office has them: font files put here are used by every PDF (docs/deploy.md).
FAO_OFFICIAL_FONTS_DIR = Path(
    env_str("FAO_OFFICIAL_FONTS_DIR", str(VAR_DIR / "fonts" / "official"))
)
# Background tasks (large imports, PDF generation): the task queue is a database table, so
# SQLite and PostgreSQL both work without another server. Worker: `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("FAO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# `manage.py backup` writes here unless given --output; FAO_PG_BIN_DIR picks the pg_dump and
# pg_restore matching the server's major version when several are installed.
FAO_BACKUP_DIR = Path(env_str("FAO_BACKUP_DIR", str(VAR_DIR / "backups")))
FAO_PG_BIN_DIR = env_str("FAO_PG_BIN_DIR", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = FAO_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# History rows for imports are written by simple-history's bulk helpers (core/resources.py).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History pages only display old versions; they never save (core/history_admin.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

SESSION_COOKIE_AGE = env_int("FAO_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request renews the 30 minutes
SESSION_COOKIE_HTTPONLY = True
# Sign-in protection (accounts app; 等保2.0 GB/T 22239-2019 login-failure handling). Five
# failed sign-ins for one account from one
# address lock that pair out for 15 minutes (django-axes, counted in the database so every
# worker and app server sees the same count); an administrator lifts a lockout in the admin.
AXES_FAILURE_LIMIT = env_int("FAO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("FAO_LOGIN_LOCKOUT_MINUTES", 15))
# Two criteria, in this order (accounts/lockout.py): the account from one address (locked at
# AXES_FAILURE_LIMIT) and the account from any address (locked at FAO_ACCOUNT_FAILURE_LIMIT).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
FAO_ACCOUNT_FAILURE_LIMIT = env_int("FAO_ACCOUNT_FAILURE_LIMIT", 20)
AXES_HANDLER = "accounts.lockout.PortalLockoutHandler"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout neither count nor extend it: the page's "15 minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_COOLOFF_MESSAGE = _("登录失败次数过多，账户已暂时锁定，请稍后再试。")
AXES_PERMALOCK_MESSAGE = _("登录失败次数过多，账户已锁定，请联系系统管理员。")
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
# accounts.LoginEvent is the security log; axes' own copies would only duplicate it.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# Second factor (django-otp, TOTP): optional for everyone; mandatory for the roles listed
# (admins, reviewers, leadership, data_entry), e.g. FAO_REQUIRE_OTP_FOR=admins,reviewers.
FAO_REQUIRE_OTP_FOR = env_list("FAO_REQUIRE_OTP_FOR", [])
OTP_TOTP_ISSUER = env_str("FAO_OTP_ISSUER", "常州市外事办法治平台")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sign-in, sign-out and refusal records are kept this long (网络安全法: at least six months);
# `manage.py prune_login_events` deletes older ones and refuses anything under 183 days.
FAO_SECURITY_LOG_DAYS = env_int("FAO_SECURITY_LOG_DAYS", 200)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and env_bool("FAO_HTTPS", default=True):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("FAO_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("FAO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# A load balancer may probe the health check over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind the reverse proxy every request comes from the proxy's address: name the header the
# proxy sets to the citizen's address (e.g. HTTP_X_REAL_IP) so per-address limits work. Only
# set it when the proxy overwrites that header; a client could forge it otherwise.
FAO_CLIENT_IP_HEADER = env_str("FAO_CLIENT_IP_HEADER", "")
# Sent by ops.middleware.SecurityHeadersMiddleware. The admin and import-export load only
# their own scripts; their templates use style attributes, hence 'unsafe-inline' for styles
# only. Inline scripts need nonce="{{ request.csp_nonce }}".
FAO_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
FAO_CSP_REPORT_ONLY = env_bool("FAO_CSP_REPORT_ONLY", default=False)
FAO_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), fullscreen=(self)"
)
FAO_HEALTHZ_TIMEOUT_MS = env_int("FAO_HEALTHZ_TIMEOUT_MS", 2000)
# Citizens' comments on public notices: submissions allowed per address and window (seconds).
FAO_COMMENT_RATE_LIMIT = env_int("FAO_COMMENT_RATE_LIMIT", 3)
FAO_COMMENT_RATE_WINDOW = env_int("FAO_COMMENT_RATE_WINDOW", 600)
# Applications for disclosure sent through the public form: per address and window (s).
FAO_REQUEST_RATE_LIMIT = env_int("FAO_REQUEST_RATE_LIMIT", 3)
FAO_REQUEST_RATE_WINDOW = env_int("FAO_REQUEST_RATE_WINDOW", 3600)
# Uploaded spreadsheets between the import preview and its confirmation (private folder;
# empty: fao-portal-imports, mode 700, in the system temp folder) and how long a preview may
# be confirmed (seconds).
FAO_IMPORT_TMP_DIR = env_str("FAO_IMPORT_TMP_DIR", "")
FAO_IMPORT_CONFIRM_SECONDS = env_int("FAO_IMPORT_CONFIRM_SECONDS", 3600)
# Prepared (subset) CJK fonts for the PDFs, built once by `manage.py prepare_pdf_fonts`.
FAO_FONT_CACHE_DIR = Path(env_str("FAO_FONT_CACHE_DIR", str(VAR_DIR / "fonts")))

# Rate limits and lockouts must be shared by every gunicorn worker and app server, so the
# default cache is a table in the database (created by ops' migration); redis://host:6379/1
# uses Redis instead; locmem:// keeps it in one process (a single-process dev server only).
FAO_CACHE_URL = env_str("FAO_CACHE_URL", "db://fao_cache")
_cache_scheme, _, _cache_location = FAO_CACHE_URL.partition("://")
_CACHE_BACKENDS = {
    "db": ("django.core.cache.backends.db.DatabaseCache", _cache_location or "fao_cache"),
    "redis": ("django.core.cache.backends.redis.RedisCache", FAO_CACHE_URL),
    "rediss": ("django.core.cache.backends.redis.RedisCache", FAO_CACHE_URL),
    "locmem": ("django.core.cache.backends.locmem.LocMemCache", "fao-portal"),
    "dummy": ("django.core.cache.backends.dummy.DummyCache", ""),
}
if _cache_scheme not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(
        f"FAO_CACHE_URL must start with one of {', '.join(_CACHE_BACKENDS)}://, "
        f"not {FAO_CACHE_URL!r}"
    )
CACHES = {
    "default": {
        "BACKEND": _CACHE_BACKENDS[_cache_scheme][0],
        "LOCATION": _CACHE_BACKENDS[_cache_scheme][1],
        "KEY_PREFIX": "fao",
    }
}

# Whole public pages in the shared cache (publicsite/cache.py): kept until public content
# changes (a version in the cache, changed by the services that publish), search results only
# briefly. FAO_PUBLIC_PROXY_SECONDS is how long a reverse proxy may reuse a page
# (s-maxage). FAO_PAGE_CACHE_VERSION_MS: how long a process reuses the content version it
# read; the process making a change sees it at once, every other process and app server
# within this time (0: every request asks the shared cache, one more round trip per page).
FAO_PAGE_CACHE = env_bool("FAO_PAGE_CACHE", default=True)
FAO_PAGE_CACHE_SECONDS = env_int("FAO_PAGE_CACHE_SECONDS", 86_400)
FAO_PAGE_CACHE_SEARCH_SECONDS = env_int("FAO_PAGE_CACHE_SEARCH_SECONDS", 120)
FAO_PAGE_CACHE_VERSION_MS = env_int("FAO_PAGE_CACHE_VERSION_MS", 250)
FAO_PUBLIC_PROXY_SECONDS = env_int("FAO_PUBLIC_PROXY_SECONDS", 1)
# Disclosure view counts are buffered (disclosure/viewcounts.py): in Redis, flushed by
# `manage.py flush_view_counts --loop`; otherwise in each process, flushed this often.
FAO_VIEW_COUNT_FLUSH_SECONDS = env_int("FAO_VIEW_COUNT_FLUSH_SECONDS", 5)
# With Redis, each process sends its views in one batch this often (0: one round trip per
# view); a process killed outright loses at most this interval's views.
FAO_VIEW_COUNT_SEND_MS = env_int("FAO_VIEW_COUNT_SEND_MS", 20)
# A read replica for public pages (ops/dbrouter.py): used while it lags less than
# FAO_READ_REPLICA_MAX_LAG_SECONDS and not within that long after a publication.
FAO_READ_REPLICA_URL = env_str("FAO_READ_REPLICA_URL", "")
FAO_READ_REPLICA_MAX_LAG_SECONDS = env_int("FAO_READ_REPLICA_MAX_LAG_SECONDS", 2)
if FAO_READ_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(FAO_READ_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # Tests treat it as the same database as default (no second test database).
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["ops.dbrouter.PublicReadRouter"]

# JSON lines by default (ops.logs.JsonFormatter) so journald or a shipper can index fields;
# plain lines in development, where a person reads them beside runserver's own.
FAO_LOG_FORMAT = env_str("FAO_LOG_FORMAT", "plain" if DEBUG else "json")
if FAO_LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"FAO_LOG_FORMAT must be json or plain, not {FAO_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "[%(asctime)s] %(levelname)s %(name)s: %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S",
        },
        "json": {"()": "ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": FAO_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("FAO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step and fontTools every glyph name at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes announces its configuration once per process (every manage.py run).
        "axes.apps": {"level": "WARNING"},
        # In development runserver already logs each request with its status (django.request
        # would log every 404 a second time) and prints that it watches for changes.
        **(
            {"django.request": {"level": "ERROR"}, "django.utils.autoreload": {"level": "WARNING"}}
            if DEBUG
            else {}
        ),
    },
}

# The office this deployment serves (one office per portal).
FAO_INDEX_NUMBER_PATTERN = env_str("FAO_INDEX_NUMBER_PATTERN", "{org_code}/{year}-{serial:05d}")
