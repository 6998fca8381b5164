"""Settings for the 职称在线申报评审平台.

The embedded default (no environment variable at all) runs on a SQLite file, executes Celery
tasks eagerly in-process and keeps files on local disk, so that ``make run`` works on a fresh
machine. Production differs only by environment: ``DATABASE_URL``, ``REDIS_URL``,
``DJANGO_PRODUCTION=1``, ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``FIELD_ENCRYPTION_KEYS``.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZC_VAR_DIR", str(BASE_DIR / "var")))

VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY",
    "" if PRODUCTION else "dev-only-insecure-key-7c1e0b3f6a2d4e58b9a1c7d2e4f6a8b0c3d5e7f9",
)
if PRODUCTION and len(SECRET_KEY) < 50:
    raise RuntimeError("DJANGO_SECRET_KEY must be set (at least 50 characters) in production")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pgtrigger",
    "core",
    "accounts",
    "units",
    "rules",
    "applications",
    "review",
    "certificates",
    "notifications",
    "committees",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.StaffIdleTimeoutMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.ErrorPagesMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Django's form templates, with a list's empty choice read as “请选择” (core/forms.py).
FORM_RENDERER = "core.forms.PlainWordsFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.platform",
                "core.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # IMMEDIATE: a writer takes the lock when its transaction starts, so two simultaneous
            # submissions queue instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A worker killed mid-job must not lose it: acknowledge only after the task has run.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "zhicheng")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
# Redis redelivers a message not acknowledged (worker killed mid-job) after this many seconds; it
# must exceed the longest task plus any retry countdown. Tasks are idempotent, so an early
# redelivery is harmless. core/outbox.py re-enqueues jobs whose message was lost altogether.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("ZC_CELERY_VISIBILITY_TIMEOUT", 3600)}
OUTBOX_STALE_SECONDS = env_int("ZC_OUTBOX_STALE_SECONDS", 300)

# --- Files ----------------------------------------------------------------------------------
# Uploaded scans are never served from a public URL: every download goes through a view that
# checks the requester may see it, so the private root is outside STATIC and has no MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(env_str("ZC_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("ZC_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private files are encrypted at rest (core/storage.py; keys: FIELD_ENCRYPTION_KEYS, rotation with
# ``manage.py rotate_file_keys``). S3-compatible object storage: ZC_PRIVATE_STORAGE_BACKEND=
# core.storage.EncryptedS3Storage plus django-storages' AWS_* settings (contents still encrypted here).
PRIVATE_STORAGE_BACKEND = env_str("ZC_PRIVATE_STORAGE_BACKEND", "core.storage.EncryptedFileSystemStorage")
STORAGES = {
    "default": {
        "BACKEND": PRIVATE_STORAGE_BACKEND,
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/nonexistent-private/"}
        if PRIVATE_STORAGE_BACKEND.endswith("FileSystemStorage")
        else {},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

# --- Accounts and security -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.IdNumberOrUsernameBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id at OWASP's parameters (accounts/hashers.py); PBKDF2 hashes are upgraded at next login.
PASSWORD_HASHERS = [
    "accounts.hashers.OwaspArgon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.ComplexityValidator"},
]

# Field-level encryption of ID numbers: comma-separated Fernet keys, newest first (rotation:
# prepend a new key, run ``manage.py rotate_id_keys``, then drop the old one).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", "")
ID_HASH_KEY = env_str("ID_HASH_KEY", "")

# Audit records are kept at least 180 days (等保三级 安全审计; 《网络安全法》第二十一条). ``manage.py
# purge_audit`` archives older rows to JSONL and deletes them; it refuses a retention below 180 days,
# and the PostgreSQL trigger (core migration 0003) refuses deleting any younger row.
AUDIT_RETENTION_DAYS = env_int("ZC_AUDIT_RETENTION_DAYS", 365)
AUDIT_ARCHIVE_DIR = Path(env_str("ZC_AUDIT_ARCHIVE_DIR", str(VAR_DIR / "audit-archive")))

# Login lockout: 5 failures lock that user from that IP for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("ZC_PROXY_COUNT", 0) or None

ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous row; the public sees only public pages

SESSION_COOKIE_AGE = 8 * 3600
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Staff (every role but applicant) enter a TOTP code after their password. On by default in
# production; the embedded default leaves it off so the demo logins work without an authenticator.
STAFF_TWO_FACTOR = env_bool("ZC_STAFF_TWO_FACTOR", PRODUCTION)
OTP_TOTP_ISSUER = "职称在线申报评审平台"
STAFF_IDLE_TIMEOUT_SECONDS = env_int("ZC_STAFF_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Error pages are Chinese (core/errors.py), also under DEBUG; ZC_TECHNICAL_404=1 brings back Django's
# technical 404 page (URL patterns tried) while debugging. A CSRF failure is a Chinese 403 too.
TECHNICAL_404 = env_bool("ZC_TECHNICAL_404", False)
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Browsers by session (with CSRF); programs by a named, scoped API token (accounts/tokens.py).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.tokens.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "职称在线申报评审平台 API",
    "DESCRIPTION": "专业技术人员职称申报、审核、评审与证书的接口。所有接口按用户所在租户与单位限定范围。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # No CDN: Swagger UI's assets are served from the app's own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Language and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "noreply@zhicheng.example.gov.cn")
# SMS copies of notifications: a class path (notifications.gateways.SmsGateway subclass).
NOTIFICATIONS_SMS_GATEWAY = env_str("NOTIFICATIONS_SMS_GATEWAY", "notifications.gateways.LoggingSmsGateway")
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    # Daily 08:00 China time: drafts before a window closes, overdue review steps and escalation.
    "notifications-reminders": {"task": "notifications.tasks.send_reminders", "schedule": crontab(hour=8, minute=0)},
    # Every minute: returns not fixed by the window's return deadline close (003 四 逾期未补正).
    "applications-close-overdue-returns": {
        "task": "applications.tasks.close_overdue_returns",
        "schedule": crontab(minute="*"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # API token secrets never reach a log line, whatever logs them (a request line, an error report).
    "filters": {"tokens": {"()": "core.logfilters.TokenLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["tokens"]}},
    "root": {"handlers": ["console"], "level": env_str("ZC_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

PLATFORM_NAME = "职称在线申报评审平台"
# The address printed in certificates' QR codes when no request tells the host (batch jobs).
CERTIFICATE_PUBLIC_BASE_URL = env_str("ZC_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
