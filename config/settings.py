"""Settings for Jeugdinkoop.

One module for every environment: development, test and production differ only by
environment variables (see docs/configuration.md). Nothing secret has a default here;
`make run` and the test configuration supply development values.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
# Key for the keyed hash that pseudonymises client identifiers (BSN) at the door.
PSEUDONYM_KEY = env_str("PSEUDONYM_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "segments",
    "providers",
    "procurement",
    "contracts",
    "monitoring",
    "reports",
    "api",
    "accounts",
    "portal",
    "public",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # the Content-Security-Policy of every page (django-csp; CONTENT_SECURITY_POLICY below)
    "csp.middleware.CSPMiddleware",
    "core.api.middleware.ApiHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # the database unreachable: a 503 with Retry-After, not a stack trace (after static files)
    "core.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on every response to a signed-in user or API client
    "core.middleware.PrivateCacheMiddleware",
    # the second factor of provider portal users (TOTP), and their boundary: the portal only
    "django_otp.middleware.OTPMiddleware",
    "core.boundary.ProviderBoundaryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Axes must be last: it reacts to failed logins raised by the views above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "core.context_processors.navigation",
                "core.context_processors.notifications",
            ],
        },
    },
]

# A connection is kept open between requests for DATABASE_CONN_MAX_AGE seconds (one per worker
# thread) and checked at the start of each request that uses it (health checks): after a database
# restart the stale connection is replaced instead of failing the request. A request that still
# finds the database unreachable gets a 503 with Retry-After (core/outage.py).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
# The covering index of trajectories (monitoring/imports/models.py: settlement counts them with
# an index-only scan) is a PostgreSQL feature; SQLite builds the same index without the included
# columns, which is all it needs. Only there Django warns about it (models.W040).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# The database is unreachable (core/outage.py): the seconds a client is told to wait
# (Retry-After of the 503), and how long a GET keeps trying to connect (every 250 ms) before it
# gets that 503 (0: at once).
DATABASE_OUTAGE_RETRY_AFTER = env_int("DATABASE_OUTAGE_RETRY_AFTER", 5)
DATABASE_OUTAGE_RECONNECT_MS = env_int("DATABASE_OUTAGE_RECONNECT_MS", 2000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
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

# Lockout after repeated failed logins (django-axes): per username and per IP address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Two-factor authentication of provider portal users (django-otp, TOTP): the name the
# authenticator app shows, and the throttle after failed codes (1 s, 2 s, 4 s, ... between
# attempts), on top of the lockout of the password step above.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Jeugdinkoop")
OTP_TOTP_THROTTLE_FACTOR = env_int("OTP_TOTP_THROTTLE_FACTOR", 1)

# Internationalisation: Dutch first, English available.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "core.files.UnservedStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("DJANGO_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Without collectstatic (development, tests) WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("DJANGO_PLAIN_STATIC", False)
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# No URL serves MEDIA_ROOT, in any mode: its files (tender documents, report PDFs) reach a browser
# only through scoped views, and the default storage (core.files.UnservedStorage) has no URL.
MEDIA_URL = "media/"
# Files that are not public (provider uploads, letters): outside MEDIA_ROOT, no URL; served only
# through scoped views (core/files.py). The largest upload the provider portal accepts.
PRIVATE_MEDIA_ROOT = Path(
    env_str("DJANGO_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private-media"))
)
PORTAL_UPLOAD_MAX_BYTES = env_int("PORTAL_UPLOAD_MAX_BYTES", 20 << 20)

# E-mail: console locally; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Where links in e-mails point (the app as users reach it).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Jeugdinkoop <noreply@jeugdinkoop.localhost>")

# Celery with Redis. Without REDIS_URL, tasks run in-process (eagerly).
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Without a broker (eager), long work (an import, a report) runs in a background thread of the
# web process, so the request answers at once and the page shows the progress (core/tasks.py).
# The tests turn it off (pyproject.toml): there a task runs where it is started.
TASKS_EAGER_IN_THREAD = env_bool("TASKS_EAGER_IN_THREAD", True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died unacknowledged is handed out again after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# The schedule lives in the database (django-celery-beat); region administrators edit it in
# the UI (reports.ReportSchedule), and beat reads it: `celery -A config beat -S django`.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# Periodic reports (reports app): how long a worker may hold a report before another may take
# it over (seconds), and how often a failing report is retried.
REPORT_LEASE_SECONDS = env_int("REPORT_LEASE_SECONDS", 300)
REPORT_MAX_RETRIES = env_int("REPORT_MAX_RETRIES", 3)

# Production data imports (monitoring.imports): the largest file accepted, and where an upload
# waits for the worker. The spooled file holds BSNs: a private directory, not under MEDIA_ROOT,
# shared by web and worker; the import task deletes the file when it is done.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 1 << 30)
IMPORT_SPOOL_DIR = Path(env_str("IMPORT_SPOOL_DIR", str(BASE_DIR / "var" / "import-spool")))

# REST API (/api/v1): clients authenticate with a key (api.auth); see docs/api.md.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.HasClientScope"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.ScopedFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.ClientRateThrottle",
        "core.api.throttling.PublicRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "client": env_str("API_THROTTLE_CLIENT", "1200/min"),
        "public": env_str("API_THROTTLE_PUBLIC", "120/min"),
    },
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": "formaat",
    "DATE_FORMAT": "%Y-%m-%d",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%SZ",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": None,
    "ORDERING_PARAM": "sorteer",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jeugdinkoop API",
    "DESCRIPTION": (
        "De API van Jeugdinkoop voor gemeenten, aanbieders en regionale systemen: "
        "basisgegevens, contracten, tarieven, budgetten, KPI-waarden, signalen, rapportages, "
        "het aanleveren van productiegegevens, de inrichting van de regio en open data (OCDS). "
        "Zie docs/api.md."
    ),
    "VERSION": "1.3.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        # the API's Dutch values of the code lists (core.api.enums)
        "RapportageSoortEnum": "core.api.enums.SchemaEnums.report_kind",
        "BudgetSoortEnum": "core.api.enums.SchemaEnums.budget_kind",
        "GegevensSoortEnum": "monitoring.models.DatasetKind",
        "AanbiederSoortEnum": "core.api.enums.SchemaEnums.provider_kind",
    },
    "SERVERS": [{"url": "/", "description": "Deze installatie"}],
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui/favicon-32x32.png",
    # no deep links: Swagger UI puts them as links inside each operation's button (a nested
    # interactive control, WCAG 4.1.2; core.api.schema.SwaggerView)
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "/static/vendor/redoc",
    "CONTACT": {"name": "Jeugdinkoop", "email": "api@jeugdinkoop.nl"},
    "TAGS": [],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess_problem_responses",
    ],
}
# Throttling counts in the cache: shared between processes when Redis is there.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
# A region KPI's figures are computed during the request when the region holds at most this many
# trajectories and outcome measurements; in a larger region in the background, with progress.
REGION_KPI_SYNC_LINES = env_int("REGION_KPI_SYNC_LINES", 200_000)
# Production deliveries through the API up to this size are imported during the request (201);
# larger ones are queued and answered with 202 and a status resource.
API_SYNC_IMPORT_BYTES = env_int("API_SYNC_IMPORT_BYTES", 256 * 1024)
# Open data: the ocid prefix of this installation's OCDS package, registered with the Open
# Contracting Partnership ("ocds-" + 6 lowercase letters or digits; checked by api.checks, and
# `check --deploy` warns while it is the placeholder).
OCDS_OCID_PREFIX = env_str("OCDS_OCID_PREFIX", "ocds-jk0000")
# A region's public pages (/openbaar/) are rendered once per region, page, language and period
# and kept this many seconds in the cache (docs/public.md); changing the region's public
# settings takes effect at once.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)

# Security. Production (DEBUG off) gets HTTPS-only cookies, HSTS and redirects;
# DJANGO_SECURE_SSL_REDIRECT=0 turns the redirect off behind a TLS-terminating proxy.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp) on every page: scripts and styles only from our own static
# files (no inline <script>, no on*= handler, no style= attribute: docs/security.md). The API
# (/api/) sets its own, stricter policy (core.api.middleware), the docs pages included.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Audit log (django-auditlog): who changed what, when, for every domain model.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_STORE_JSON_CHANGES = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "data-table"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # an expected 403/404 (scoping at work) is one line, not a traceback; a 500 keeps its own
    "filters": {"one_line_refusals": {"()": "core.logfilters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "django.request": {"filters": ["one_line_refusals"]},
    },
}
