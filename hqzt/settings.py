"""The one settings module, read from environment variables (see README «配置»).

DEBUG off is production: the process refuses to start without SECRET_KEY, FIELD_ENCRYPTION_KEY and
ALLOWED_HOSTS, and every `check --deploy` setting is on. SQLite under DATA_DIR is the embedded
default; DATABASE_URL switches to PostgreSQL.
"""

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from hqzt.core.clientip import trusted_proxies_check
from hqzt.core.crypto import GENERATE_HINT, field_keys_check
from hqzt.env import env_bool, env_int, env_list, env_str
from hqzt.settings_parts.cache import caches_for, session_engine_for
from hqzt.settings_parts.queue import huey_for

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))
# The embedded defaults (SQLite database, queue, media) live here; it must exist before they open.
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# Django's English debug pages instead of the Chinese error pages, for developers (DEBUG only).
DEBUG_PAGES = DEBUG and env_bool("DEBUG_PAGES", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production settings refuse to start without it "
        "(未设置 SECRET_KEY，生产配置拒绝启动)."
    )

# Keys that encrypt contact phone numbers at rest (hqzt/core/crypto.py), comma-separated, newest
# first: the first encrypts, all decrypt (key rotation). Kept outside the database so that the
# database or a backup alone does not reveal the numbers; losing every key loses the numbers.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY")
if not DEBUG and not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY is not set. Production settings refuse to start without it "
        f"(未设置字段加密密钥 FIELD_ENCRYPTION_KEY，生产配置拒绝启动). {GENERATE_HINT}"
    )
field_keys_check(FIELD_ENCRYPTION_KEYS)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is off (未设置 ALLOWED_HOSTS)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "hqzt.core",
    "hqzt.org",
    "hqzt.accounts",
    "hqzt.audit",
    "hqzt.enterprises",
    "hqzt.stations",
    "hqzt.needs",
    "hqzt.intake",
    "hqzt.notifications",
    "hqzt.documents",
    "hqzt.supervision",
    "hqzt.operations",
    "hqzt.policies",
    "hqzt.records",
    "hqzt.portal",
    "hqzt.api",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "hqzt.dashboard",
    "hqzt.demo",
]

MIDDLEWARE = [
    "hqzt.core.health.HealthProbeMiddleware",  # /healthz, /readyz: before host checks and redirects
    "hqzt.core.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "hqzt.core.site.SiteOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hqzt.audit.middleware.AuditContextMiddleware",
    "hqzt.accounts.middleware.SessionPolicyMiddleware",
    "hqzt.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hqzt.core.middleware.FriendlyErrorPagesMiddleware",
]

ROOT_URLCONF = "hqzt.urls"
WSGI_APPLICATION = "hqzt.wsgi.application"

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
                "hqzt.core.context_processors.site",
                "hqzt.accounts.context_processors.shell",
                "hqzt.stations.context_processors.principles",
                "hqzt.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'hqzt.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        # A persistent connection dies with a database restart; test it before each request's
        # first query and reconnect, or that request fails (found by tests/fault).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so two
    # concurrent registrations queue up instead of failing with "database is locked" mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation (ADR 0013): it pays off on long analytical scans, but on the pages'
    # millisecond queries it adds 20–55 ms each once their cost estimate passes
    # jit_above_cost, which the statistics query nearly does at 1M needs. First, so that
    # options in DATABASE_URL (the last -c wins) can still turn it back on.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"-c jit=off {_options.get('options', '')}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "hqzt.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "hqzt.accounts.passwords.CharacterClassesValidator"},  # 等保 profile only
]
# The 等保 2.0 level 3 profile (hqzt/accounts/policy.py): password complexity, rotation after
# PASSWORD_MAX_AGE_DAYS, and a TOTP second factor required of admins and supervisors. Off for the
# embedded demo; any user may still enrol a second factor without it.
SECURITY_PROFILE = env_str("SECURITY_PROFILE", "").strip().lower()
if SECURITY_PROFILE not in {"", "dengbao"}:
    raise ImproperlyConfigured(
        f"SECURITY_PROFILE must be empty or 'dengbao', got {SECURITY_PROFILE!r} "
        "(安全配置只能为空或 dengbao)."
    )
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins first
    "django.contrib.auth.backends.ModelBackend",
]
# Idle time-out: the session lasts SESSION_COOKIE_AGE after the last request; absolute time-out:
# a login is never good for more than SESSION_ABSOLUTE_SECONDS (SessionPolicyMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
# Signed-in sessions are saved again (their expiry moved on) at most once a minute, not on every
# request (SessionPolicyMiddleware): the idle time-out is exact to within that minute.
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
if not 0 <= SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    # A refresh as long as the idle time-out would log out users who are still working.
    raise ImproperlyConfigured(
        "SESSION_REFRESH_SECONDS must be under SESSION_COOKIE_AGE (会话顺延间隔须小于空闲超时)."
    )
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
# A staff API token (accounts/tokens.py) works this many days from its issue, then a new one is
# taken with the password (and the second factor).
API_TOKEN_MAX_AGE_DAYS = env_int("API_TOKEN_MAX_AGE_DAYS", 30)
# The most API tokens one user holds (accounts/tokens.py): a new one beyond it revokes the void
# and then the least recently used ones.
API_TOKEN_MAX_PER_USER = env_int("API_TOKEN_MAX_PER_USER", 10)
if API_TOKEN_MAX_PER_USER < 1:
    raise ImproperlyConfigured("API_TOKEN_MAX_PER_USER must be at least 1 (每人令牌上限至少为 1).")
# Lock-out (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Locale -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Chinese for the strings Django and django-axes leave untranslated (locale/zh_Hans).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security (every `check --deploy` item is on unless DEBUG) ----------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Records are kept at least three years after archiving (§6.6.4); a bureau may keep them longer.
RETENTION_YEARS = max(3, env_int("RETENTION_YEARS", 3))
# A queued ledger export's file (full contact numbers, decrypted) is deleted this many days after
# it was made (documents/export_access.py).
EXPORT_RETENTION_DAYS = max(1, env_int("EXPORT_RETENTION_DAYS", 7))

# --- Product ------------------------------------------------------------------------------------
# The city printed on signage and shown in the header (DB 1405/T 060—2024 Appendix A).
HQZT_CITY = env_str("HQZT_CITY", "晋城市")
HQZT_BUREAU = env_str("HQZT_BUREAU", "晋城市市场监督管理局")

# The site's own address as enterprises reach it, for links in SMS and e-mail and the QR codes on
# posters and signs (no trailing slash). Production refuses to start without it: a default would
# print 127.0.0.1 on every poster. The DEBUG demo may leave it empty: links then follow the host
# and port the browser used (hqzt/core/site.py).
HQZT_BASE_URL = env_str("HQZT_BASE_URL").strip().rstrip("/")
if not DEBUG and not HQZT_BASE_URL:
    raise ImproperlyConfigured(
        "HQZT_BASE_URL is not set. Production settings refuse to start without the address "
        "enterprises reach the site by, e.g. https://hqzt.example.gov.cn "
        "(未设置 HQZT_BASE_URL：短信链接和海报二维码需要本系统的对外访问地址，生产配置拒绝启动)."
    )
if HQZT_BASE_URL and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", HQZT_BASE_URL):
    raise ImproperlyConfigured(
        f"HQZT_BASE_URL must be an http(s) address such as https://hqzt.example.gov.cn, got "
        f"{HQZT_BASE_URL!r} (HQZT_BASE_URL 格式不正确)."
    )

# --- Notifications (R-3.9) ----------------------------------------------------------------------
SMS_BACKEND = env_str("SMS_BACKEND", "hqzt.notifications.backends.LogSmsBackend")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hqzt@localhost")

REDIS_URL = env_str("REDIS_URL")
# Seconds a Redis call may take to connect and to answer: a Redis that stops answering fails the
# request (and /readyz with 503) instead of hanging it. The answer's limit exceeds the queue
# consumer's blocking read of 1 s.
REDIS_TIMEOUTS = {
    "socket_connect_timeout": env_int("REDIS_CONNECT_TIMEOUT", 2),
    "socket_timeout": env_int("REDIS_TIMEOUT", 5),
}

# --- Cache and sessions (settings_parts/cache.py): one cache for every worker that survives a
# restart, since the rate limits and lock-outs count there.
CACHE_BACKEND = env_str("CACHE_BACKEND", "redis" if REDIS_URL else "database")
CACHES = caches_for(CACHE_BACKEND, redis_url=REDIS_URL, redis_timeouts=REDIS_TIMEOUTS, debug=DEBUG)
SESSION_ENGINE = session_engine_for(CACHE_BACKEND)
# The client address (core/clientip.py): X-Forwarded-For is believed only from these proxies
# (addresses or networks, comma-separated), e.g. the reverse proxy in front of gunicorn. Empty:
# the connecting address is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
trusted_proxies_check(TRUSTED_PROXIES)
# Axes locks a user name per client as every other limit does: an IPv6 client by its /64.
AXES_CLIENT_IP_CALLABLE = "hqzt.core.clientip.client_key"
# The largest request body (Content-Length) accepted, checked before it is read: the portal's three
# 10 MB attachments and the form around them. The reverse proxy should cap it too (README).
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 31 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Rate limits per client address (core/ratelimit.py): <count>/<s|m|h|d>, fixed windows in the cache.
PORTAL_SUBMIT_RATE = env_str("PORTAL_SUBMIT_RATE", "10/h")
PORTAL_LOOKUP_RATE = env_str("PORTAL_LOOKUP_RATE", "20/h")
# The type suggestion requested while a need is typed (a request per pause in typing).
INTAKE_SUGGEST_RATE = env_str("INTAKE_SUGGEST_RATE", "600/h")
# The API's public portal writes, all endpoints together (api/throttling.py).
API_PORTAL_RATE = env_str("API_PORTAL_RATE", "30/h")
# Failed logins (password or second-factor code, page or API token) per address, whatever the
# user name: password spraying across accounts (accounts/login_limit.py).
LOGIN_FAILURE_RATE = env_str("LOGIN_FAILURE_RATE", "30/h")
# A station's tracking number answers "not found" to everybody for PORTAL_TRACK_LOCK_SECONDS after
# this many wrong phone digits, whatever addresses they came from (numbers are sequential). A bare
# number several stations hold locks per client after as many, and for everybody (in the bare
# spelling only) after PORTAL_TRACK_BARE_FAILURES (portal/selectors.py::need_lookup).
PORTAL_TRACK_FAILURES = env_int("PORTAL_TRACK_FAILURES", 5)
PORTAL_TRACK_BARE_FAILURES = env_int("PORTAL_TRACK_BARE_FAILURES", 2 * PORTAL_TRACK_FAILURES)
PORTAL_TRACK_LOCK_SECONDS = env_int("PORTAL_TRACK_LOCK_SECONDS", 3600)

# --- REST API (R-8.2) ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "hqzt.api.authentication.PersonalTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "hqzt.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "惠企直通 API",
    "DESCRIPTION": "企业服务门户（小程序）、工作人员与外部平台（如12345热线）对接接口。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hqzt.api.schema.add_links",
    ],
}

# --- Background work (ADR 0004): SQLite-backed queue by default, Redis to scale out ------------
# A scheduled task's lock (core/queue.py) outlives a consumer killed while running it by at most
# this long; it must exceed the longest run of any scheduled task.
TASK_LOCK_SECONDS = env_int("TASK_LOCK_SECONDS", 6 * 3600)
HUEY = huey_for(
    redis_url=REDIS_URL,
    redis_timeouts=REDIS_TIMEOUTS,
    data_dir=DATA_DIR,
    immediate=env_bool("HUEY_IMMEDIATE", False),
    workers=env_int("HUEY_WORKERS", 2),
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes reports every reset at INFO; lock-outs themselves are in the audit log.
    "loggers": {"axes": {"level": "WARNING"}},
}
