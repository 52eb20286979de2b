"""Settings, read from the environment (strictly: see dashboard/env.py; every NAME can also be
given as NAME_FILE). Nothing here touches the file system: the directories of the embedded
defaults are made when the app starts (dashboard/apps.py).

Defaults give the embedded setup a newcomer runs with only Python: SQLite under var/ and a
Celery broker on the file system. DATABASE_URL (PostgreSQL through psycopg 3) and REDIS_URL
(broker, result backend and cache) switch to the real services.
"""

from pathlib import Path

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from dashboard.env import env_bool, env_choice, env_list, env_number, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", True)
DEVELOPMENT_SECRET_KEY = "dev-only-secret-key-change-me-in-production"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)  # checked: dashboard/checks.py
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS. Without DEBUG the defaults are production's: HTTPS only, secure cookies, HSTS for a
# year. Behind a TLS-terminating proxy, SECURE_PROXY_SSL_HEADER names the header it sets, e.g.
# "HTTP_X_FORWARDED_PROTO,https" (trust it only behind a proxy that always sets it).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_number("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, integer=True)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = tuple(env_list("SECURE_PROXY_SSL_HEADER")) or None
if SECURE_PROXY_SSL_HEADER and len(SECURE_PROXY_SSL_HEADER) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER is a header and a value: NAME,VALUE.")
# The site has no inline scripts or styles: everything from its own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# The public address for embed snippets (e.g. https://compliance.example.org); when empty,
# the address of the request.
SITE_URL = env_str("SITE_URL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "dashboard",
    "compliance",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Badges and the cached API reads, without credentials, end here (compliance/lean.py).
    "compliance.lean.LeanPathMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_number("DB_CONN_MAX_AGE", 0, integer=True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered badges and API readings, keyed by their entry's version (compliance/versions.py),
# which every write replaces: each process's own memory can hold them, and none pays a round
# trip to Redis for the bytes.
CACHES["renders"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renders",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Celery: Redis when REDIS_URL is set, else a broker on the file system that needs no server.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_RESULT_BACKEND = REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "polling_interval": 0.1,  # s: a submitted probe starts at once (the default is 1 s)
    }
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ROUTES = {"compliance.probe*": {"queue": "probes"}, "compliance.*": {"queue": "doap"}}
CELERY_BEAT_SCHEDULE = {
    # Daily at a fixed hour, whenever beat was (re)started.
    "refresh-doap-daily": {
        "task": "compliance.refresh_all_doap",
        "schedule": crontab(hour=4, minute=0),
    },
    "sync-registry-daily": {
        "task": "compliance.sync_registry",
        "schedule": crontab(hour=3, minute=30),
    },
    "reap-probe-runs": {  # runs whose worker was lost
        "task": "compliance.probe_reaper",
        "schedule": 60.0,
    },
    "reprobe-daily": {  # owners' stored test accounts
        "task": "compliance.probe_scheduled",
        "schedule": crontab(hour=5, minute=0),
    },
    "fetch-logos-daily": {
        "task": "compliance.fetch_logos",
        "schedule": crontab(hour=4, minute=30),
    },
}

# The site's own fetches and lookups (DOAP files, the registry, ownership proofs): a DNS server
# to ask instead of the system's, and a CA to trust besides the system store.
FETCH_NAMESERVER = env_str("FETCH_NAMESERVER")
FETCH_CA_FILE = env_str("FETCH_CA_FILE")
# Ownership proofs (well-known file, DNS TXT, file beside the DOAP): time limit, and networks
# allowed although private.
OWNERSHIP_PROOF_TIMEOUT = env_number("OWNERSHIP_PROOF_TIMEOUT", 10.0, minimum=0.1)
OWNERSHIP_ALLOW_NETWORKS = env_list("OWNERSHIP_ALLOW_NETWORKS")
# DOAP files fetched by URL: time limit, and networks allowed although private.
DOAP_FETCH_TIMEOUT = env_number("DOAP_FETCH_TIMEOUT", 10.0, minimum=0.1)
DOAP_FETCH_ALLOW_NETWORKS = env_list("DOAP_FETCH_ALLOW_NETWORKS")
# The xmpp.org software registry (manage.py sync_registry, daily from beat), fetched with the
# DOAP settings above: the list, the base of its relative /hosted-doap/ paths, and how many
# DOAP files are fetched at a time.
REGISTRY_URL = env_str(
    "REGISTRY_URL", "https://raw.githubusercontent.com/xsf/xmpp.org/master/data/software.json"
)
REGISTRY_DOAP_BASE = env_str("REGISTRY_DOAP_BASE", "https://xmpp.org")
REGISTRY_FETCH_CONCURRENCY = env_number("REGISTRY_FETCH_CONCURRENCY", 8, minimum=1, integer=True)
# Probes (the service's workers; the command line's options of the same names): private networks
# a probe may connect to, a DNS server to ask instead of the system's (IP[:PORT]), a CA to trust
# besides the system store, and the time limit of a run in seconds.
PROBE_ALLOW_NETWORKS = env_list("PROBE_ALLOW_NETWORKS")
PROBE_NAMESERVER = env_str("PROBE_NAMESERVER")
PROBE_CA_FILE = env_str("PROBE_CA_FILE")
PROBE_TIMEOUT = env_number("PROBE_TIMEOUT", 90.0, minimum=5.0)
# Fernet keys (comma-separated, the first encrypts, all decrypt: rotation) for test accounts'
# passwords at rest. Required without DEBUG; in development one is derived from SECRET_KEY.
PROBE_CREDENTIALS_KEY = env_list("PROBE_CREDENTIALS_KEY")
# Submissions: runs per domain and per client address in an hour.
PROBE_RUNS_PER_DOMAIN_HOUR = env_number("PROBE_RUNS_PER_DOMAIN_HOUR", 6, minimum=1, integer=True)
PROBE_RUNS_PER_CLIENT_HOUR = env_number("PROBE_RUNS_PER_CLIENT_HOUR", 20, minimum=1, integer=True)

# Accounts (django-allauth): sign-in by e-mail, which must be verified; a public user name
# that is shown instead of the address, which never is. allauth's rate limits are on.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[XMPP Compliance Dashboard] "
LOGIN_REDIRECT_URL = "account-home"

# E-mail: EMAIL_URL (e.g. smtp://user:pass@host:587?tls=1), else printed on the console.
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    try:
        _email = dj_email_url.parse(EMAIL_URL)  # EMAIL_BACKEND, EMAIL_HOST, …
    except Exception as exc:  # dj_email_url raises plain exceptions on a bad URL
        raise ImproperlyConfigured(f"EMAIL_URL is not a valid e-mail URL: {exc}") from None
    if "EMAIL_BACKEND" not in _email:
        raise ImproperlyConfigured("EMAIL_URL: the scheme is not one of smtp, smtps, console.")
    globals().update(_email, EMAIL_TIMEOUT=_email["EMAIL_TIMEOUT"] or 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "XMPP Compliance Dashboard <noreply@compliance.invalid>"
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "WARNING", LOG_LEVELS)},
}

# The REST API (api/, /api/v1/): JSON only, errors as problem+json (RFC 9457), throttled per
# client address (anonymous) and per user; its schema and docs from drf-spectacular, the docs'
# assets from drf-spectacular-sidecar (no CDN). CORS is open for reads of /api/ only.
API_THROTTLE_RATES = {
    "anon": env_str("API_THROTTLE_ANON", "600/minute"),
    "user": env_str("API_THROTTLE_USER", "1200/minute"),
}
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.AnonThrottle", "api.throttles.UserThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "XMPP Compliance Dashboard API",
    "DESCRIPTION": "Suites, software, claims and verdicts as JSON. Errors are problem+json.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
    ],
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
