"""Settings of Ordre, read from the environment (django-environ).

Every variable is documented in the README. Safe by default: without
`ORDRE_ENV=dev` or `ORDRE_ENV=test`, the platform runs as production, with
DEBUG off, HTTPS-only cookies, and refuses to start when a secret is missing.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ordre.oidc.conf import form_action_origins as oidc_form_action_origins
from ordre.oidc.conf import providers_from_env
from ordre.ops.logging import build_logging_config
from ordre.runtime import celery_url_for
from ordre.secrets import DEV_SECRET_GENERATORS, ensure_dev_secrets

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

ORDRE_ENV = env.str("ORDRE_ENV", default="prod")
if ORDRE_ENV not in {"dev", "test", "prod"}:
    raise ImproperlyConfigured(f"ORDRE_ENV must be dev, test or prod, not {ORDRE_ENV!r}")
IS_PRODUCTION = ORDRE_ENV == "prod"
DATA_DIR = Path(env.str("ORDRE_DATA_DIR", default=str(BASE_DIR / ".data")))

# Secrets: from the environment; in dev and test, generated once into .data/.
if not IS_PRODUCTION:
    for _name, _value in ensure_dev_secrets(DATA_DIR / "secrets.env").items():
        env.ENVIRON.setdefault(_name, _value)
_missing = [name for name in DEV_SECRET_GENERATORS if not env.str(name, default="")]
if _missing:
    raise ImproperlyConfigured("Missing secrets in the environment: " + ", ".join(sorted(_missing)))
SECRET_KEY = env.str("SECRET_KEY")
ORDRE_CRYPTO_KEYS = env.str("ORDRE_CRYPTO_KEYS")
ORDRE_BLIND_INDEX_KEY = env.str("ORDRE_BLIND_INDEX_KEY")

DEBUG = ORDRE_ENV == "dev" and env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The admin site requires a verified second factor and the IT admin role.
    "ordre.accounts.admin_apps.OrdreAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    # The kernel.
    "ordre.accounts",
    "ordre.api",
    "ordre.audit",
    "ordre.councils",
    "ordre.crypto",
    "ordre.documents",
    "ordre.notifications",
    "ordre.oidc",
    "ordre.ops",
    "ordre.portal",
    "ordre.procedures",
    # Domain apps (DESIGN.md s.2 layers), lowest layer first.
    "rpps",
    "tableau",
    "tableau.sync",
    "tableau.directory",
]

MIDDLEWARE = [
    "ordre.ops.middleware.RequestIdMiddleware",
    # Prometheus request counters and durations (outermost but the request id).
    "ordre.ops.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware: problem+json for HTML error answers under /api/, in the
    # negotiated language.
    "ordre.api.middleware.ApiProblemMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication, so it also marks the answers of the middlewares below
    # (a redirect to the second factor) as not to be stored.
    "ordre.ops.middleware.NoStoreForAuthenticatedMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ordre.audit.middleware.AuditContextMiddleware",
    # After the audit context, so its events (session expiry) carry the request's IP and id.
    "ordre.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Benchmarks mount a bare comparison view next to the project (bench/bench_urls.py).
ROOT_URLCONF = env.str("ORDRE_ROOT_URLCONF", default="ordre.urls")
WSGI_APPLICATION = "ordre.wsgi.application"
ASGI_APPLICATION = "ordre.asgi.application"

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
                "csp.context_processors.nonce",
                "ordre.portal.context_processors.portal",
            ],
        },
    },
]

# Database: DATABASE_URL, with persistent, health-checked connections
# (a new PostgreSQL connection per request costs about 85% of a one-query endpoint).
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres:///ordre")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if ORDRE_ENV == "test":
    # Tests commit thousands of tiny transactions; waiting for each fsync only slows them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
DATABASES["default"].setdefault("TEST", {})
DATABASES["default"]["TEST"]["NAME"] = env.str("DATABASE_TEST_NAME", default="test_ordre")

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=f"ordre-{ORDRE_ENV}"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
if ORDRE_ENV == "test":
    # Hashing strength is Django's business, not our tests': keep user creation fast.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ordre.accounts.validators.BreachedPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Sessions: server side, idle timeout and absolute lifetime.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_LIFETIME", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Transport security: strict in production, relaxed only for loopback development.
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=IS_PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 63072000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$", r"^metrics/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script or style without the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *env.list("CSP_FORM_ACTION_EXTRA", default=[])],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "DEFAULT_FILE_STORAGE_BACKEND",
            default="django.core.files.storage.FileSystemStorage",
        ),
        # Filesystem storage by default (files are encrypted before they reach it);
        # S3-compatible object storage by DEFAULT_FILE_STORAGE_BACKEND.
        "OPTIONS": {"location": env.str("MEDIA_ROOT", default=str(DATA_DIR / "media"))}
        if "FileSystemStorage"
        in env.str("DEFAULT_FILE_STORAGE_BACKEND", default="FileSystemStorage")
        else {},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if not IS_PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Ordre des médecins <ne-pas-repondre@ordre.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: reliability first. A task is acknowledged after it ran, requeued if its
# worker dies, JSON only, bounded in time. Tasks retry with exponential backoff.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=celery_url_for(REDIS_URL))
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=celery_url_for(REDIS_URL))
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tests consume a queue of their own, so a developer's running worker never steals their tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str(
    "CELERY_TASK_DEFAULT_QUEUE",
    default=f"ordre-test-{os.getpid()}" if ORDRE_ENV == "test" else "ordre",
)

# django-axes: lock out after repeated failures, by username and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"

OTP_TOTP_ISSUER = "Ordre des médecins"
# Security keys and passkeys (WebAuthn) as a second factor only, never passwordless.
# Browsers refuse an IP address as relying party: on loopback, passkeys work at localhost.
_site = urlsplit(SITE_URL)
_webauthn_host = "localhost" if _site.hostname in {"127.0.0.1", "::1"} else _site.hostname
_webauthn_origin = f"{_site.scheme}://{_webauthn_host}" + (f":{_site.port}" if _site.port else "")
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default=_webauthn_host)
OTP_WEBAUTHN_RP_NAME = "Ordre des médecins"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("WEBAUTHN_ALLOWED_ORIGINS", default=[_webauthn_origin])
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

_THROTTLE_TEST = "100000/minute" if ORDRE_ENV == "test" else ""
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated request gets a 401 with `WWW-Authenticate: Api-Key`.
        "ordre.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # People must be logged in; an API key opens only views declaring `required_scopes`.
    "DEFAULT_PERMISSION_CLASSES": ["ordre.api.permissions.IsAuthenticatedUserOrScopedKey"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "ordre.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "EXCEPTION_HANDLER": "ordre.api.exceptions.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "ordre.api.throttling.AnonymousRateThrottle",
        "ordre.api.throttling.UserRateThrottle",
        "ordre.api.throttling.ApiKeyRateThrottle",
    ],
    # Tests share one Redis and one client address: the default rates would make them flaky.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default=_THROTTLE_TEST or "120/minute"),
        "user": env.str("API_THROTTLE_USER", default=_THROTTLE_TEST or "600/minute"),
        "api_key": env.str("API_THROTTLE_API_KEY", default=_THROTTLE_TEST or "1200/minute"),
    },
}
# Apps plug their API in here: (prefix under /api/v1/, dotted path of their urls module).
ORDRE_API_V1_INCLUDES: list[tuple[str, str]] = [
    ("dossiers/", "ordre.procedures.api.urls"),
    ("conseils/", "tableau.sync.api.urls"),
    ("annuaire/", "tableau.directory.api.urls"),
]
SPECTACULAR_SETTINGS = {
    "TITLE": "API Ordre",
    "DESCRIPTION": "API of the information system of the medical order.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ordre.api.schema.add_problem_responses",
    ],
}

# Documents: upload size limit, optional ClamAV scan ("tcp://host:3310").
DOCUMENT_MAX_SIZE = env.int("DOCUMENT_MAX_SIZE", default=20 * 1024 * 1024)
CLAMD_URL = env.str("CLAMD_URL", default="")
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30.0)

# OpenID Connect (FranceConnect, Pro Santé Connect): OIDC_<KEY>_* variables, see
# ordre/oidc/README.md. In dev and test they default to the local provider.
OIDC_PROVIDERS = providers_from_env(env, ordre_env=ORDRE_ENV)
OIDC_STATE_TTL = env.int("OIDC_STATE_TTL", default=600)
OIDC_HTTP_TIMEOUT = env.float("OIDC_HTTP_TIMEOUT", default=10.0)
OIDC_CLOCK_LEEWAY = env.int("OIDC_CLOCK_LEEWAY", default=30)
# The logout form leads to the provider's end-session endpoint through a redirect.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += oidc_form_action_origins(OIDC_PROVIDERS)
if ORDRE_ENV == "dev":
    # The local identity provider runs beside the web server in `make run`.
    ORDRE_DEV_PROCESSES = {"idp": ["{python}", "-m", "ordre.oidc.provider", "--port", "8090"]}

# Operations: Prometheus metrics only for these client addresses.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
READINESS_WORKER_TIMEOUT = env.float("READINESS_WORKER_TIMEOUT", default=3.0)

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = build_logging_config(level=LOG_LEVEL, json=env.bool("LOG_JSON", default=IS_PRODUCTION))

# Nightly sync of the register to the councils (tableau.sync).
COUNCIL_SYNC_ALLOW_HTTP = env.bool("COUNCIL_SYNC_ALLOW_HTTP", default=not IS_PRODUCTION)
COUNCIL_SYNC_BATCH_SIZE = env.int("COUNCIL_SYNC_BATCH_SIZE", default=1000)
COUNCIL_SYNC_HTTP_TIMEOUT = env.float("COUNCIL_SYNC_HTTP_TIMEOUT", default=30.0)
COUNCIL_SYNC_RETRY_BASE_SECONDS = env.float(
    "COUNCIL_SYNC_RETRY_BASE_SECONDS", default=0.5 if ORDRE_ENV == "test" else 60.0
)

# Public directory: requests per minute and per client address on its pages.
DIRECTORY_PAGE_RATE = env.int("DIRECTORY_PAGE_RATE", default=100000 if ORDRE_ENV == "test" else 60)

# Certificates of registration (tableau): PAdES-signed when a PKCS#12 file is given.
CERTIFICATE_SIGNING_PKCS12 = env.str("CERTIFICATE_SIGNING_PKCS12", default="")
CERTIFICATE_SIGNING_PASSWORD = env.str("CERTIFICATE_SIGNING_PASSWORD", default="")
