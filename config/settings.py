"""One settings module, driven by environment variables (see the README's configuration table).

Nothing set gives a working local portal: SQLite under ``var/``, Celery on the filesystem
transport (a real worker, no server needed), DEBUG on. ``DJANGO_ENV=production`` turns on the
deployment settings and refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower()
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not SECRET_KEY:
        raise ImproperlyConfigured("Production needs SECRET_KEY in the environment.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS in the environment.")
    DEBUG = False
else:
    # A random key kept under var/ so sessions survive restarts; never a key in the code.
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if not SECRET_KEY:
        key_file = VAR_DIR / "secret_key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(64))
        SECRET_KEY = key_file.read_text().strip()
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]", "testserver"]
    DEBUG = env_bool("DEBUG", True)

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
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, vendored (no CDN)
    # Our apps, lowest layer first; a lower app never imports a higher one.
    "score_portal",
    "catalogue",
    "enterprises",
    "workshops",
    "trainers",
    "reports",
    "certificates",
    "notifications",
    "contacts",  # the enterprise contact's portal (their one enterprise)
    "api",  # the REST API over the apps' selectors and services
    "webhooks",  # webhook endpoints and deliveries (the records as the API serialises them)
    "demo",  # seed_demo only; no app imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A person's stored language, noted at login and applied once (after LocaleMiddleware).
    "score_portal.middleware.ProfileLanguageMiddleware",
    # An enterprise contact's refusals are 404: nothing outside their enterprise exists.
    "score_portal.middleware.ContactNotFoundMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The cached programme figures' version is read at most once per request.
    "score_portal.figures_cache.FiguresVersionMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Computed programme figures (dashboards, home panels) are kept this long at most, and made
# stale at once by any write to their data (score_portal.figures_cache); 0 turns that off.
FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "600"))
# The cache every process shares (computed figures, the public pages' rate limits):
# ``CACHE_URL`` redis://host:port/db (production: a Redis index of its own, not the
# broker's), file:///path (one machine: the default, under VAR_DIR/cache) or locmem://
# (one process only). A per-process cache would count a rate limit once per web worker.
CACHE_URL = os.environ.get("CACHE_URL", "").strip() or f"file://{VAR_DIR / 'cache'}"
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "score",
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 5},
        }
    }
elif CACHE_URL.startswith("file://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_URL.removeprefix("file://"),
        }
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured("CACHE_URL must be redis://..., file:///path or locmem://.")
# A refused form (expired token, blocked cookies) gets a page in the portal's layout.
CSRF_FAILURE_VIEW = "score_portal.errors.csrf_failure"
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
                "score_portal.context_processors.access",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # PostgreSQL's JIT compiles any query whose estimated cost is high: the dashboards'
        # per-partner enterprise figures spent 0.52 s compiling for 0.16 s of work (EXPLAIN
        # ANALYZE at 9,988 enterprises). A web portal's short queries never earn it back.
        jit = "on" if env_bool("DATABASE_JIT", False) else "off"
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit={jit}"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "score_portal.sqlite3"),
            # WAL and immediate transactions let the web process and the worker share the file.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# AxesStandaloneBackend refuses logins while a username+IP pair is locked out, then
# ModelBackend checks the password. Tests that call ``client.login`` pass ``request=``.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the profile with the user (score_portal/auth.py)
    "score_portal.auth.PortalModelBackend",
]
# Login throttling: 5 failures for one username from one IP address lock that pair out for
# 15 minutes; others (and the same user from elsewhere) can still log in. An address that
# fails 20 times across any usernames (password spraying) is locked out as a whole: a higher
# limit, since an office's people share one address. django-axes has one limit for every
# combination; our handler scales the per-address count to it (score_portal/security.py).
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "score_portal.security.AddressAwareAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "score_portal.security.lockout_response"  # a translated page, 429
AXES_CLIENT_IP_CALLABLE = "score_portal.security.client_ip"
AXES_USERNAME_CALLABLE = "score_portal.security.client_username"  # cut to a username's length
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# One-time links: an invitation to set a password, and a password reset by e-mail.
INVITATION_TIMEOUT = int(os.environ.get("INVITATION_TIMEOUT_DAYS", "7")) * 86400
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT_HOURS", "24")) * 3600
# One-time login links by e-mail (score_portal/login_links.py): how long one works, and how
# many may be asked per address and per client address within the window.
LOGIN_LINK_TIMEOUT = int(os.environ.get("LOGIN_LINK_TIMEOUT_MINUTES", "15")) * 60
LOGIN_LINK_WINDOW = 3600
LOGIN_LINK_PER_ADDRESS = int(os.environ.get("LOGIN_LINK_PER_ADDRESS", "3"))
LOGIN_LINK_PER_IP = int(os.environ.get("LOGIN_LINK_PER_IP", "10"))

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates, months and numbers per language (config/formats/<lang>/formats.py): "21 Nov 2026" /
# "2026年11月21日", "4,000" in both. Print figures with score_portal.formatting.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# `manage.py backup` (make backup) writes <BACKUP_DIR>/<timestamp>/ folders.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))

# Enterprise imports: the request only stores the file (at most IMPORT_MAX_BYTES); the worker
# refuses a workbook whose parts would inflate beyond IMPORT_MAX_UNZIPPED_BYTES (read from the
# zip's directory, before inflating anything) and files of more rows or columns.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("IMPORT_MAX_UNZIPPED_BYTES", str(100 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "100"))
# Uploaded import files are deleted this many days after the upload (the job row stays).
IMPORT_FILE_RETENTION_DAYS = int(os.environ.get("IMPORT_FILE_RETENTION_DAYS", "30"))
# Enterprise lists longer than this are exported by the worker, with progress (and their
# files deleted after IMPORT_FILE_RETENTION_DAYS, like uploads).
EXPORT_INLINE_ENTERPRISES = int(os.environ.get("EXPORT_INLINE_ENTERPRISES", "2000"))
# An import still "running" this long lost its worker (above the task's 32-minute limit).
IMPORT_STUCK_AFTER_SECONDS = int(os.environ.get("IMPORT_STUCK_AFTER_SECONDS", str(40 * 60)))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded default: messages are files under var/celery, read by a real worker.
    CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
    CELERY_QUEUE_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, str | int] = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        # the exchange table (broadcasts): beside the queue, not in the working directory
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 3,
        "socket_timeout": 5,
        # Redis hands an unacknowledged message (its worker died) to another worker after
        # this many seconds. It must exceed the longest task (hard limit 360 s) plus any
        # countdown, or a task still running is delivered twice (the claim makes that
        # harmless, but wasteful).
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True  # rows in our own tables are the truth, not a result store
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Report subscriptions (reports.subscriptions): every morning, the deliveries whose week,
    # month or quarter has ended. Every partner's default subscription is its monthly partner
    # report to its managers.
    "report-subscriptions": {
        "task": "reports.tasks.deliver_subscriptions",
        "schedule": crontab(minute=0, hour=6),
    },
    # Every kind of job (reports, imports): re-queue those whose message was lost, hand back
    # those whose worker died (score_portal.jobs.recover).
    "recover-jobs": {
        "task": "score_portal.tasks.recover_jobs",
        "schedule": timedelta(minutes=5),
    },
    # Reminder rules (notifications.rules): new reminders stored once, mailed by the worker;
    # also re-queues those an SMTP outage delayed.
    "evaluate-reminders": {
        "task": "notifications.tasks.evaluate_reminders",
        "schedule": timedelta(hours=1),
    },
    # Uploaded import files older than IMPORT_FILE_RETENTION_DAYS are deleted.
    "delete-old-import-files": {
        "task": "enterprises.tasks.delete_old_import_files",
        "schedule": timedelta(hours=6),
    },
}
# The portal's public address: printed in certificates' QR codes and in the links of the
# mails the worker sends (reminders, report subscriptions), where there is no request.
PORTAL_URL = os.environ.get("PORTAL_URL") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION else "http://127.0.0.1:8000"
)
# Public certificate checks allowed per visitor address and minute (then 429).
VERIFY_RATE_PER_MINUTE = int(os.environ.get("VERIFY_RATE_PER_MINUTE", "20"))
# Workshop evaluations (the public form behind the QR code on each participant's slip): open
# from the workshop's last day for this many days; requests per visitor address and minute
# (then 429; a classroom shares one address, so it is generous); results withheld below
# this many respondents (with one or two, knowing who answered tells what they said).
EVALUATION_OPEN_DAYS = int(os.environ.get("EVALUATION_OPEN_DAYS", "60"))
EVALUATION_RATE_PER_MINUTE = int(os.environ.get("EVALUATION_RATE_PER_MINUTE", "120"))
EVALUATION_MIN_RESPONDENTS = int(os.environ.get("EVALUATION_MIN_RESPONDENTS", "3"))
# Reminders: a "sending" claim older than this lost its worker and is taken again; the
# language of mails to enterprise contacts (who have no profile).
NOTIFY_CLAIM_SECONDS = int(os.environ.get("NOTIFY_CLAIM_SECONDS", "600"))
NOTIFY_CONTACT_LANGUAGE = os.environ.get("NOTIFY_CONTACT_LANGUAGE", "zh-hans")
# How long a trainer's certification stays valid when its module sets no period of its own.
CERTIFICATION_VALIDITY_MONTHS = int(os.environ.get("CERTIFICATION_VALIDITY_MONTHS", "36"))
# A report run still "running" this long after it started lost its worker (killed beyond the
# hard time limit): "try again" is offered, and a redelivered message may claim it again.
# Keep it above the task's hard time limit (300 s).
REPORT_STUCK_AFTER_SECONDS = int(os.environ.get("REPORT_STUCK_AFTER_SECONDS", "600"))
SCORE_MONTHLY_REPORT_LANGUAGE = os.environ.get("SCORE_MONTHLY_REPORT_LANGUAGE", "zh-hans")

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SCORE Portal <noreply@localhost>")

# --- Security -------------------------------------------------------------------------------
# A proxy in front of gunicorn terminates TLS and appends the client to X-Forwarded-For.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SESSION_COOKIE_HTTPONLY = True
# Messages live in the session, not in a cookie: one shows a new trainer's one-time password.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy: only our own files; no inline scripts or styles (htmx is told not
# to inject its indicator style in base.html), no plugins, no framing, forms post home only.
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
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The REST API (api/): tokens (or the session, with its CSRF check), the page rules for
# scope, cursor pagination, django-filter, a request budget per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HoldsPerm"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_RATE = os.environ.get("API_RATE", "1000/hour")  # requests per token (DRF rate syntax)

# Webhooks (webhooks/): tries per delivery, backoff base (seconds; try n waits base * 4^(n-1)),
# the receiver's time to answer. Plain http and private, loopback or link-local addresses
# are refused in production (SSRF); development allows them, tests switch them on.
WEBHOOKS_MAX_ATTEMPTS = int(os.environ.get("WEBHOOKS_MAX_ATTEMPTS", "6"))
WEBHOOKS_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOKS_RETRY_BASE_SECONDS", "30"))
WEBHOOKS_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "10"))
WEBHOOKS_ALLOW_HTTP = not PRODUCTION and env_bool("WEBHOOKS_ALLOW_HTTP", DEBUG)
WEBHOOKS_ALLOW_PRIVATE = not PRODUCTION and env_bool("WEBHOOKS_ALLOW_PRIVATE", DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "SCORE Portal API",
    "DESCRIPTION": (
        "Read and write the portal's records with the same access as the pages: outside "
        "your scope 404, in scope without the permission 403. Authenticate with "
        "`Authorization: Bearer <token>` (tokens are created at /api/tokens/). Lists are "
        "cursor-paginated (`next`), filter with `updated_since` for incremental sync; a "
        "detail answers an ETag, and writes to a record need it in `If-Match`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseStatus": "enterprises.models.Enterprise.Status",
        "PersonSex": "workshops.models.Participant.Sex",
        "TargetSex": "reports.models.Target.Sex",
        "EnrolmentStatus": "enterprises.models.Enrolment.Status",
        "WorkshopStatus": "workshops.models.Workshop.Status",
        "VisitStatus": "trainers.models.ConsultingVisit.Status",
        "VisitActionStatus": "trainers.models.VisitAction.Status",
        "ReportRunStatus": "reports.models.ReportRun.Status",
        "ReportKind": "reports.models.ReportRun.Kind",
        "PartnerKind": "score_portal.models.Partner.Kind",
        "ReadingKind": "enterprises.models.KPIReading.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO; keep its warnings (refused URLs).
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
    },
}

# --- Uploads --------------------------------------------------------------------------------
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000  # the attendance grid posts one field per cell
