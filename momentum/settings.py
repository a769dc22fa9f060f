"""Momentum's settings: one module, read from the environment, for every profile.

``MOMENTUM_ENV`` picks the profile (dev, test, staging, prod). With no other variable
set, Momentum runs embedded: SQLite, local cache, files under ./var. ``DATABASE_URL``,
``REDIS_URL`` and the storage variables switch to PostgreSQL, Redis and S3-compatible
storage. Every variable is listed in the README's configuration table and .env.example.

Each setting is built once and reads top to bottom. Reading them makes no folder and leaves the
environment alone: folders are made and prometheus-client is pointed at its folder by the code
that uses them (momentum/platform/data_folders.py, momentum/observability/__init__.py). Two things are done
to the process here, because they must come before anything else: a SQLite new enough for DBOS
(sqlite_compat) and the log format (momentum.lib.logs, at the end).
"""

from __future__ import annotations

import os
from decimal import Decimal
from email.utils import formataddr
from hashlib import sha256
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import dj_database_url

from momentum import sqlite_compat
from momentum.lib import logs
from momentum.lib.env import ConfigError, Env, read_dotenv

# Before anything imports sqlite3: a too old SQLite is swapped for pysqlite3's for the whole process.
sqlite_compat.ensure_modern_sqlite()

BASE_DIR = Path(__file__).resolve().parent.parent
# Real environment variables win over the .env file's.
env = Env({**read_dotenv(Path(os.environ.get("MOMENTUM_DOTENV", BASE_DIR / ".env"))), **os.environ})
ENVIRONMENTS = ("dev", "test", "staging", "prod")
MOMENTUM_ENV = env.choice("MOMENTUM_ENV", "dev", ENVIRONMENTS)
IS_PROD = MOMENTUM_ENV == "prod"
IS_TEST = MOMENTUM_ENV == "test"
DEPLOYED = MOMENTUM_ENV in ("staging", "prod")

# Each environment keeps its data apart: dev in ./var, the others in ./var/<env>.
_default_data_dir = BASE_DIR / "var" if MOMENTUM_ENV == "dev" else BASE_DIR / "var" / MOMENTUM_ENV
DATA_DIR = env.path("MOMENTUM_DATA_DIR", _default_data_dir)

DEV_SECRET_KEY = "momentum-dev-secret-key-do-not-use-in-production-0123456789"  # noqa: S105  (refused in staging/prod)
SECRET_KEY = env.str("MOMENTUM_SECRET_KEY", DEV_SECRET_KEY if not DEPLOYED else "")
DEBUG = env.bool("MOMENTUM_DEBUG", MOMENTUM_ENV == "dev")
ALLOWED_HOSTS = env.list(
    "MOMENTUM_ALLOWED_HOSTS", [] if DEPLOYED else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)


def _served_url() -> str:
    """Where `momentum serve` listens (HOST, PORT): the site's address unless MOMENTUM_SITE_URL says."""
    host = env.str("HOST", "127.0.0.1")
    if host in ("0.0.0.0", "::", "[::]", ""):  # noqa: S104  (a wildcard bind: links name this machine)
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{env.int('PORT', 8000, minimum=1, maximum=65535)}"


# Links in email. In dev and test the default follows HOST and PORT; deployed, set it to the public address.
SITE_URL = env.str("MOMENTUM_SITE_URL", _served_url() if not DEPLOYED else "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("MOMENTUM_SITE_NAME", "Momentum")

# Open Badges 3.0 credentials are signed with Ed25519 keys kept outside the database (and so
# outside its backups and dumps): a key ring file (mode 0600) or, for containers, its JSON in
# MOMENTUM_CREDENTIAL_KEYS. Dev and test make a key on first use; staging and prod refuse to
# issue until `momentum credential-keys generate` has made one (check-config says so).
CREDENTIAL_KEYS_FILE = env.path("MOMENTUM_CREDENTIAL_KEYS_FILE", DATA_DIR / "secrets" / "credential-keys.json")
CREDENTIAL_KEYS = env.str("MOMENTUM_CREDENTIAL_KEYS", "")
CREDENTIAL_KEYS_AUTOCREATE = not DEPLOYED


def _refuse_unsafe_deployment() -> None:
    """A deployed profile must not run with development defaults."""
    if not DEPLOYED:
        return
    problems = []
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("MOMENTUM_SECRET_KEY must be set to a random value of at least 50 characters")
    if DEBUG:
        problems.append("MOMENTUM_DEBUG must be off")
    if not ALLOWED_HOSTS or any(host in ("*", "") or host.startswith("*") for host in ALLOWED_HOSTS):
        problems.append("MOMENTUM_ALLOWED_HOSTS must list the site's host names (no wildcard)")
    if problems:
        raise ConfigError(f"Refusing to start with MOMENTUM_ENV={MOMENTUM_ENV}: " + "; ".join(problems))


_refuse_unsafe_deployment()

# --- Sign-in providers ------------------------------------------------------------------------


def _social_providers() -> dict[str, dict[str, Any]]:
    """The social login providers to offer: those whose keys are set (see README), each with the
    origins its sign-in form posts to (the Content-Security-Policy's form-action allows them)."""
    providers: dict[str, dict[str, Any]] = {}
    if env.str("MOMENTUM_GOOGLE_CLIENT_ID") and env.str("MOMENTUM_GOOGLE_CLIENT_SECRET"):
        providers["google"] = {
            "APPS": [
                {"client_id": env.str("MOMENTUM_GOOGLE_CLIENT_ID"), "secret": env.str("MOMENTUM_GOOGLE_CLIENT_SECRET")}
            ],
            "SCOPE": ["profile", "email"],
            "AUTH_PARAMS": {"access_type": "online"},
            "FORM_ORIGINS": ["https://accounts.google.com"],
        }
    if env.str("MOMENTUM_FACEBOOK_APP_ID") and env.str("MOMENTUM_FACEBOOK_APP_SECRET"):
        providers["facebook"] = {
            "APPS": [
                {"client_id": env.str("MOMENTUM_FACEBOOK_APP_ID"), "secret": env.str("MOMENTUM_FACEBOOK_APP_SECRET")}
            ],
            "METHOD": "oauth2",
            "SCOPE": ["email", "public_profile"],
            "FORM_ORIGINS": ["https://www.facebook.com"],
        }
    apple_key = env.str("MOMENTUM_APPLE_PRIVATE_KEY").replace("\\n", "\n")
    apple_ids = ("MOMENTUM_APPLE_CLIENT_ID", "MOMENTUM_APPLE_TEAM_ID", "MOMENTUM_APPLE_KEY_ID")
    if all(env.str(name) for name in apple_ids) and apple_key:
        providers["apple"] = {
            "APPS": [
                {
                    "client_id": env.str("MOMENTUM_APPLE_CLIENT_ID"),
                    "secret": env.str("MOMENTUM_APPLE_KEY_ID"),
                    "key": env.str("MOMENTUM_APPLE_TEAM_ID"),
                    "settings": {"certificate_key": apple_key},
                }
            ],
            "FORM_ORIGINS": ["https://appleid.apple.com"],
        }
    return providers


SOCIAL_PROVIDERS = _social_providers()
SOCIALACCOUNT_PROVIDERS = {
    name: {key: value for key, value in config.items() if key != "FORM_ORIGINS"}
    for name, config in SOCIAL_PROVIDERS.items()
}


# --- Applications, middleware, templates ---------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the Swagger UI assets locally instead of from a CDN
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "momentum.accounts",
    "momentum.catalog",
    "momentum.learning",
    "momentum.assessments",
    "momentum.achievements",
    "momentum.credentials",
    "momentum.discussions",
    "momentum.webpush",
    "momentum.xapi",
    "momentum.coursepackages",
    "momentum.lti",
    "momentum.billing",
    "momentum.generation",
    "momentum.analytics",
    "momentum.platform",
    "momentum.ops",
    "momentum.audit",
    "momentum.recovery",
    "momentum.observability",
    "momentum.sitesettings",
    *(f"allauth.socialaccount.providers.{name}" for name in SOCIAL_PROVIDERS),
]

MIDDLEWARE = [
    "momentum.platform.middleware.RequestIDMiddleware",
    # Anonymous catalogue reads answered from memory before the rest runs (issue 21, ADR 0022).
    "momentum.platform.anonymous_cache.AnonymousCacheMiddleware",
    # Outside everything that may answer with a page or a problem, so each answer is in the caller's language.
    "momentum.platform.languages.LanguageMiddleware",
    "momentum.platform.middleware.ApiProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "momentum.platform.security_headers.SecurityHeadersMiddleware",
    "momentum.platform.request_limits.BodySizeLimitMiddleware",
    # Before anything (CSRF, views, ninja) reads the query string or the body.
    "momentum.platform.request_framing.MalformedRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, minus signing a browser out for a request that carried a replaced key.
    "momentum.accounts.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "momentum.platform.languages.UserLanguageMiddleware",
    "momentum.platform.request_limits.RateLimitMiddleware",
    "momentum.platform.middleware.NulCharacterMiddleware",
    "momentum.platform.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the session and the framing headers (it answers after them): an LMS may frame an LTI session.
    "momentum.lti.framing.LtiFrameMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "momentum.urls"
WSGI_APPLICATION = "momentum.wsgi.application"
ASGI_APPLICATION = "momentum.asgi.application"

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
                "momentum.context_processors.site",
                "momentum.navigation.menus",
                "momentum.accounts.consent.cookie_notice",
                "momentum.accounts.bell.bell",
                "momentum.platform.anonymous_cache.csrf_placeholder",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------

# SQLite makes its file, not the folder it goes in: momentum/platform/data_folders.py makes that at start-up.
SQLITE_PATH = DATA_DIR / "momentum.sqlite3"
DATABASE_URL = env.str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
# Request threads per web process. Python runs one thread at a time: eight requests interleaved on
# one process cost 25-45 % more CPU each than two, four 10-20 % more (bench/results/
# 2026-12-07-web-threads.md). Four leave two threads for pages while two sign-ins hash (the hashing
# gate runs as many as the machine has cores, two here) or a request waits on a payment provider.
WEB_THREADS = env.int("MOMENTUM_WEB_THREADS", 4, minimum=1, maximum=256)


def _database(url: str) -> dict[str, Any]:
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except ValueError as error:
        raise ConfigError(f"DATABASE_URL={url!r} is not a database URL: {error}") from None
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
            # BEGIN so concurrent writers queue instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # A file, not shared-cache memory: workflow steps write from other threads, and
        # shared-cache locks fail at once instead of waiting.
        config["TEST"] = {"NAME": str(DATA_DIR / "test-momentum.sqlite3")}
    elif engine in ("django.db.backends.postgresql",):
        config["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django must hand them back
        config["OPTIONS"] = {
            "pool": {
                "min_size": env.int("MOMENTUM_DB_POOL_MIN", 2, minimum=0),
                "max_size": env.int("MOMENTUM_DB_POOL_MAX", WEB_THREADS + 4, minimum=1),
                "timeout": env.float("MOMENTUM_DB_POOL_TIMEOUT", 10.0, minimum=0.1),
            },
        }
    else:
        raise ConfigError(f"DATABASE_URL must point to SQLite or PostgreSQL, not {engine}")
    return config


DATABASES = {"default": _database(DATABASE_URL)}
DATABASE_VENDOR = "postgresql" if "postgresql" in DATABASES["default"]["ENGINE"] else "sqlite"


def _replica(config: dict[str, Any]) -> dict[str, Any]:
    """The replica's connection: read-only sessions (a write routed there by mistake fails loudly,
    as on a hot standby); in tests, the primary's test database through a second connection."""
    options = {**config.get("OPTIONS", {}), "options": "-c default_transaction_read_only=on"}
    return {**config, "OPTIONS": options, "TEST": {"MIRROR": "default"}}


# A read replica of the PostgreSQL primary (streaming replication): reads go there, writes and the
# reads of a session that has just written stay on the primary (momentum/platform/db_router.py).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", "")
# After a write, the session's reads stay on the primary this long (the replica's lag, with margin).
DATABASE_PIN_SECONDS = env.float("MOMENTUM_DB_PIN_SECONDS", 5.0, minimum=0.0)
if DATABASE_REPLICA_URL:
    if DATABASE_VENDOR != "postgresql":
        raise ConfigError("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL (SQLite has no replica)")
    DATABASES["replica"] = _replica(_database(DATABASE_REPLICA_URL))
    if "postgresql" not in DATABASES["replica"]["ENGINE"]:
        raise ConfigError("DATABASE_REPLICA_URL must point to PostgreSQL")
    DATABASE_ROUTERS = ["momentum.platform.db_router.PrimaryReplicaRouter"]
    # Outside the session middleware, so that the session's own reads and writes are routed too.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("momentum.accounts.sessions.SessionMiddleware"),
        "momentum.platform.db_router.ReplicaRoutingMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Durable workflows (DBOS) -------------------------------------------------------------


def _dbos_system_database_url() -> str:
    explicit = env.raw("DBOS_SYSTEM_DATABASE_URL")
    if explicit:
        # SQLAlchemy knows only the long scheme name.
        return (
            "postgresql://" + explicit.removeprefix("postgres://") if explicit.startswith("postgres://") else explicit
        )
    if DATABASE_VENDOR == "postgresql":
        db = DATABASES["default"]
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgresql://{user}{password}@{db.get('HOST') or 'localhost'}{port}/{db['NAME']}_dbos"
    return f"sqlite:///{DATA_DIR / 'dbos.sqlite3'}"


DBOS_SYSTEM_DATABASE_URL = _dbos_system_database_url()
DBOS_APPLICATION_VERSION = env.str("MOMENTUM_WORKFLOW_VERSION", "1")
# Most connections a process holds to the workflow system database (DBOS's default is 20).
DBOS_SYSTEM_DATABASE_POOL_SIZE = env.int("MOMENTUM_WORKFLOW_DB_POOL_SIZE", 20, minimum=2, maximum=200)
QUEUE_POLL_SECONDS = env.float("MOMENTUM_QUEUE_POLL_SECONDS", 1.0, minimum=0.01)
# Scheduled workflows (backups, rollups, reminders...). Off in the test profile: a schedule firing
# in the middle of a test run would make it depend on the time of day; tests start what they test.
WORKFLOW_SCHEDULES = env.bool("MOMENTUM_WORKFLOW_SCHEDULES", not IS_TEST)
# Side writes of a read (lesson view events, "last active" times) are buffered in memory and written
# by a background thread at most this often; a crash may lose this long of them, never progress.
# 0 writes them in the request (the test profile: rows inside the test's transaction).
WRITE_BUFFER_SECONDS = env.float("MOMENTUM_WRITE_BUFFER_SECONDS", 0.0 if IS_TEST else 1.0, minimum=0.0)
# seed-demo queues narrated videos (slides provider) for a few demo courses; the worker renders them.
DEMO_VIDEOS = env.bool("MOMENTUM_DEMO_VIDEOS", not IS_TEST)

# --- Cache ----------------------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", "")
CACHE_KEY_PREFIX = env.str("MOMENTUM_CACHE_PREFIX", f"momentum:{MOMENTUM_ENV}")
# Each backend is a subclass of the library's that counts hits and misses (momentum/observability/cache_metrics.py).
CACHES = {
    "default": {
        # Redis, with a local in-process cache standing in while Redis does not answer
        # (momentum.lib.cache_fallback.FallbackRedisCache).
        "BACKEND": "momentum.observability.cache_metrics.MeteredFallbackRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "FALLBACK_RETRY_SECONDS": 5},
    }
    if REDIS_URL
    else {
        # One cache for every process of this machine (web, worker, command line): DiskCache's
        # SQLite files in the data folder (momentum.lib.cache_disk.SharedDiskCache), so throttles
        # and quotas count all of their traffic.
        "BACKEND": "momentum.observability.cache_metrics.MeteredDiskCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "TIMEOUT": 300,
        "SHARDS": 4,
        # How long one SQLite call waits for another process's write before giving up (a
        # read then misses; writes retry). WAL mode: readers never wait for writers.
        "DATABASE_TIMEOUT": 0.25,
        "OPTIONS": {"size_limit": 512 * 1024 * 1024},
    }
}

# --- Files ----------------------------------------------------------------------------------

MEDIA_ROOT = env.path("MOMENTUM_MEDIA_ROOT", DATA_DIR / "media")
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = env.path("MOMENTUM_STATIC_ROOT", DATA_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = not DEPLOYED  # serve straight from static/ until collectstatic has run
STORAGE_BACKEND = env.choice("MOMENTUM_STORAGE", "local", ("local", "s3"))
if STORAGE_BACKEND == "s3":
    _media_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.required_str("MOMENTUM_S3_BUCKET"),
            "endpoint_url": env.str("MOMENTUM_S3_ENDPOINT_URL") or None,
            "region_name": env.str("MOMENTUM_S3_REGION") or None,
            "access_key": env.str("MOMENTUM_S3_ACCESS_KEY_ID") or None,
            "secret_key": env.str("MOMENTUM_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        # each static URL worked out once per process (lib/static_storage.py)
        "BACKEND": "momentum.lib.static_storage.KeptUrlManifestStaticFilesStorage"
        if DEPLOYED
        else "momentum.lib.static_storage.KeptUrlStaticFilesStorage"
    },
    # Audit-log archives (see AUDIT_RETENTION_DAYS): the media bucket with S3 (private: signed URLs
    # only); locally <data dir>/archive, outside the media folder so no URL ever serves them.
    "archive": _media_storage
    if STORAGE_BACKEND == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(DATA_DIR)}},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MOMENTUM_MAX_BODY_BYTES", 2 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = env.int("MOMENTUM_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
MAX_VIDEO_UPLOAD_BYTES = env.int("MOMENTUM_MAX_VIDEO_UPLOAD_BYTES", 500 * 1024 * 1024, minimum=1024)
# A course package (POST /courses/import): the zip as uploaded, and everything in it once unpacked
# (zip bombs: momentum/coursepackages/archive.py also caps members and compression ratios).
MAX_COURSE_PACKAGE_BYTES = env.int("MOMENTUM_MAX_COURSE_PACKAGE_BYTES", 1024 * 1024 * 1024, minimum=1024)
MAX_COURSE_PACKAGE_UNPACKED_BYTES = env.int(
    "MOMENTUM_MAX_COURSE_PACKAGE_UNPACKED_BYTES", 4 * 1024 * 1024 * 1024, minimum=1024
)

# --- Email ----------------------------------------------------------------------------------

MAIL_DIR = env.path("MOMENTUM_MAIL_DIR", DATA_DIR / "mail")
EMAIL_URL = env.str("MOMENTUM_SMTP_URL", "")
if EMAIL_URL:
    _smtp = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _smtp.hostname or "localhost"
    EMAIL_PORT = _smtp.port or 587
    EMAIL_HOST_USER = unquote(_smtp.username or "")
    EMAIL_HOST_PASSWORD = unquote(_smtp.password or "")
    EMAIL_USE_TLS = _smtp.scheme == "smtp+tls"
    EMAIL_USE_SSL = _smtp.scheme == "smtps"
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "momentum.lib.mailfiles.EmlFileBackend"
DEFAULT_FROM_EMAIL = env.str("MOMENTUM_FROM_EMAIL", formataddr((SITE_NAME, "no-reply@momentum.localhost")))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts -------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "momentum.accounts.passwords.MomentumArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "momentum.accounts.passwords.ComplexityValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "learning:dashboard"
ACCESS_TOKEN_TTL_SECONDS = env.int("MOMENTUM_ACCESS_TOKEN_TTL", 15 * 60, minimum=30)
REFRESH_TOKEN_TTL_DAYS = env.int("MOMENTUM_REFRESH_TOKEN_TTL_DAYS", 30, minimum=1)
JWT_SIGNING_KEY = env.str("MOMENTUM_JWT_SIGNING_KEY", SECRET_KEY)

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"  # unverified learners may sign in but not enrol or buy
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if DEPLOYED else "http"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_CONFIRMATION_HMAC = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_ADAPTER = "momentum.accounts.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
ACCOUNT_CHANGE_EMAIL = True  # one address per account: a change replaces it once verified
ACCOUNT_SIGNUP_FORM_CLASS = "momentum.accounts.forms.SignupDetailsForm"
ACCOUNT_FORMS = {"signup": "momentum.accounts.signup.MomentumSignupForm"}  # answers alike for a taken address
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True  # the link from the sign-up mail signs the new learner in
SOCIALACCOUNT_ADAPTER = "momentum.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # a provider's address never takes over a local account
MFA_ALLOW_UNVERIFIED_EMAIL = False
MFA_RECOVERY_CODE_COUNT = 10
MFA_TOTP_TOLERANCE = 1  # accept the code of the previous or next 30 s step: phones drift

# --- Security -------------------------------------------------------------------------------
# Cookies, HTTPS, headers (Content-Security-Policy and its companions) and request rates.

# Database sessions read by plain SQL (accounts/sessions.py)
SESSION_ENGINE = "momentum.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = DEPLOYED
CSRF_COOKIE_SECURE = DEPLOYED
# Deployed, __Host- cookies: Secure, Path=/, no Domain, so no subdomain can set or read them.
SESSION_COOKIE_NAME = "__Host-momentum_session" if DEPLOYED else "sessionid"
CSRF_COOKIE_NAME = "__Host-momentum_csrf" if DEPLOYED else "csrftoken"
CSRF_TRUSTED_ORIGINS = env.list("MOMENTUM_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "momentum.platform.errors.csrf_failure"
SECURE_SSL_REDIRECT = env.bool("MOMENTUM_SSL_REDIRECT", DEPLOYED)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("MOMENTUM_BEHIND_PROXY", DEPLOYED) else None
SECURE_HSTS_SECONDS = 31536000 if DEPLOYED else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = DEPLOYED
SECURE_HSTS_PRELOAD = DEPLOYED
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SILENCED_SYSTEM_CHECKS: list[str] = []

# Content-Security-Policy (django-csp): no inline script or style anywhere, /api/docs included.
CSP_MEDIA_ORIGINS = [
    *env.list("MOMENTUM_CSP_MEDIA_ORIGINS", []),
    *(
        [(env.str("MOMENTUM_S3_ENDPOINT_URL") or "https://*.amazonaws.com").rstrip("/")]
        if STORAGE_BACKEND == "s3"
        else []
    ),
]
_SELF = "'self'"
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:", *CSP_MEDIA_ORIGINS],
        "media-src": [_SELF, *CSP_MEDIA_ORIGINS],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        # Lessons play YouTube and Vimeo links in these two privacy-enhanced players, and frame nothing else.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        # Social sign-in posts to us and we redirect to the provider: Chromium checks redirects too.
        "form-action": [_SELF, *(origin for c in SOCIAL_PROVIDERS.values() for origin in c["FORM_ORIGINS"])],
        "frame-ancestors": ["'none'"],
        **({"upgrade-insecure-requests": True} if DEPLOYED else {}),
    },
}


# Anonymous reads of the catalogue, its pages and the certificate verify page served from each web
# process's memory, keyed by the revisions that the database pushes of the cache scopes each path
# reads (momentum/platform/anonymous_cache.py, docs/adr/0022).
ANONYMOUS_CACHE = env.bool("MOMENTUM_ANONYMOUS_CACHE", True)
ANONYMOUS_CACHE_BYTES = env.int("MOMENTUM_ANONYMOUS_CACHE_MB", 32, minimum=1, maximum=4096) * 1024 * 1024
ANONYMOUS_CACHE_SECONDS = 5 * 60  # as the catalogue region of momentum/platform/caching.py
ANONYMOUS_CACHE_PATHS = [
    (r"/api/v1/categories", ["catalogue"]),
    (r"/api/v1/courses", ["catalogue"]),
    (r"/api/v1/courses/[-a-zA-Z0-9_]+", ["catalogue"]),
    (r"/", ["catalogue"]),
    (r"/courses/", ["catalogue"]),
    (r"/courses/[-a-zA-Z0-9_]+/", ["catalogue"]),
    (r"/certificates/[-0-9a-fA-F]{32,36}/", ["catalogue", "credentials"]),
]

# The cached reads every caller shares (the catalogue's course with its lessons, a lesson's quiz)
# also kept in each web process's memory, valid at the revisions the database pushes
# (momentum/platform/caching.py): no revision query, cache round trip or unpickling per read.
REGIONS_IN_MEMORY = env.bool("MOMENTUM_REGIONS_IN_MEMORY", True)
# Bounded by the values' pickled size (Python objects take a few times that in memory).
REGIONS_IN_MEMORY_BYTES = env.int("MOMENTUM_REGIONS_IN_MEMORY_MB", 8, minimum=1, maximum=1024) * 1024 * 1024

# Request rates, counted in the cache (Redis when configured, so they hold across processes).
RATELIMIT_ANON = env.rate("MOMENTUM_RATELIMIT_ANON", "300/m")  # per IP address, signed-out callers
RATELIMIT_USER = env.rate("MOMENTUM_RATELIMIT_USER", "600/m")  # per signed-in account
RATELIMIT_ADMIN = env.rate("MOMENTUM_RATELIMIT_ADMIN", "300/m")  # per admin, on admin operations only
DISCUSSION_COMMENT_RATE = env.rate("MOMENTUM_COMMENT_RATE", "5/m")  # comments per learner (staff: no limit)
# Failed sign-ins (page, API and second factor alike), enforced by allauth's rate limiter.
SIGNIN_FAILURES_PER_ACCOUNT = env.int("MOMENTUM_SIGNIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
SIGNIN_FAILURES_PER_IP = env.int("MOMENTUM_SIGNIN_FAILURES_PER_IP", 50, minimum=1)
SIGNIN_FAILURE_WINDOW_SECONDS = env.int("MOMENTUM_SIGNIN_FAILURE_WINDOW", 15 * 60, minimum=10)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{SIGNIN_FAILURES_PER_IP}/{SIGNIN_FAILURE_WINDOW_SECONDS}s/ip,"
    f"{SIGNIN_FAILURES_PER_ACCOUNT}/{SIGNIN_FAILURE_WINDOW_SECONDS}s/key",
    # A classroom signs in and up from one address: allow a room-full a minute.
    "login": "120/m/ip",
    "signup": "60/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/180s/key",
}

# --- Privacy and audit ----------------------------------------------------------------------

# Cookies beyond the essential ones (session, CSRF, messages, the consent choice) wait for consent
# (the notice: momentum.accounts.consent.cookie_notice, a context processor above).
CONSENT_COOKIE_NAME = "momentum_consent"
# Optional cookies (name: purpose), each set only after consent.allows(request, "optional"). None out
# of the box: with none there is no choice to make, and the cookie notice does not show.
CONSENT_OPTIONAL_COOKIES: dict[str, str] = {}
CONSENT_COOKIE_MAX_AGE = 180 * 24 * 3600

# The audit trail stays in the database this long, then goes to storage as gzipped JSON lines.
AUDIT_RETENTION_DAYS = env.int("MOMENTUM_AUDIT_RETENTION_DAYS", 90, minimum=1)
AUDIT_ARCHIVE_PREFIX = "archive/audit-logs"

# --- Payments -------------------------------------------------------------------------------

# sandbox: a local TEST MODE checkout page (the offline default; refused for purchases in prod).
# stripe: Stripe Checkout, with entitlements granted by Stripe's signed webhooks.
PAYMENTS_PROVIDER = env.choice("MOMENTUM_PAYMENTS_PROVIDER", "sandbox", ("sandbox", "stripe"))
PAYMENTS_WEBHOOK_TOLERANCE_SECONDS = env.int("MOMENTUM_PAYMENTS_WEBHOOK_TOLERANCE", 300, minimum=1, maximum=3600)
STRIPE_SECRET_KEY = env.str("MOMENTUM_STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env.str("MOMENTUM_STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env.str("MOMENTUM_STRIPE_API_BASE", "https://api.stripe.com").rstrip("/")
STRIPE_TIMEOUT_SECONDS = env.float("MOMENTUM_STRIPE_TIMEOUT", 10.0, minimum=1.0)
if PAYMENTS_PROVIDER == "stripe" and not (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET):
    raise ConfigError(
        "MOMENTUM_PAYMENTS_PROVIDER=stripe needs MOMENTUM_STRIPE_SECRET_KEY and MOMENTUM_STRIPE_WEBHOOK_SECRET"
    )
# The sandbox signs its events like Stripe does, with a secret of its own (by default derived
# from the secret key, never the key itself).
SANDBOX_WEBHOOK_SECRET = env.str(
    "MOMENTUM_SANDBOX_WEBHOOK_SECRET", "whsec_" + sha256(f"sandbox-webhooks:{SECRET_KEY}".encode()).hexdigest()
)
PLAN_NAME = env.str("MOMENTUM_PLAN_NAME", "Premium monthly")
PLAN_PRICE_CENTS = env.int("MOMENTUM_PLAN_PRICE_CENTS", 900, minimum=50, maximum=1_000_000)

# --- Studio and analytics ----------------------------------------------------------------

# Lesson video URLs may point at loopback, private or link-local hosts only when this is on.
ALLOW_PRIVATE_MEDIA_URLS = env.bool("MOMENTUM_ALLOW_PRIVATE_MEDIA_URLS", False)
MAX_THUMBNAIL_UPLOAD_BYTES = env.int("MOMENTUM_MAX_THUMBNAIL_BYTES", 5 * 1024 * 1024, minimum=1024)
# A caption file (.vtt or .srt) is text: a feature film's captions are about 100 KB.
MAX_CAPTION_UPLOAD_BYTES = env.int("MOMENTUM_MAX_CAPTION_BYTES", 1024 * 1024, minimum=1024, maximum=2_000_000)
# The analytics rollup runs every N minutes (and on demand from the studio).
ANALYTICS_ROLLUP_MINUTES = env.int("MOMENTUM_ANALYTICS_ROLLUP_MINUTES", 5, minimum=1, maximum=59)

# --- Course generation -------------------------------------------------------------------------

# Which provider serves each kind; the offline ones are the defaults (see momentum/generation/providers/).
TEXT_PROVIDER = env.choice("MOMENTUM_TEXT_PROVIDER", "local", ("local", "anthropic", "bedrock", "openai"))
VIDEO_PROVIDER = env.choice("MOMENTUM_VIDEO_PROVIDER", "slides", ("slides", "heygen"))
THUMBNAIL_PROVIDER = env.choice("MOMENTUM_THUMBNAIL_PROVIDER", "local", ("local", "bedrock"))
# Every remote call is bounded in time; a provider that hangs times out and counts as a failure.
PROVIDER_TIMEOUT_SECONDS = env.float("MOMENTUM_PROVIDER_TIMEOUT", 60.0, minimum=0.1)
# Provider base URLs may point at loopback or private hosts (a local vLLM or Ollama) only when this is on.
ALLOW_PRIVATE_PROVIDER_URLS = env.bool("MOMENTUM_ALLOW_PRIVATE_PROVIDER_URLS", False)
ANTHROPIC_API_KEY = env.str("MOMENTUM_ANTHROPIC_API_KEY", "")
ANTHROPIC_BASE_URL = env.str("MOMENTUM_ANTHROPIC_BASE_URL", "https://api.anthropic.com").rstrip("/")
ANTHROPIC_MODEL = env.str("MOMENTUM_ANTHROPIC_MODEL", "claude-sonnet-4-5")
BEDROCK_REGION = env.str("MOMENTUM_BEDROCK_REGION", "us-east-1")
BEDROCK_ENDPOINT_URL = env.str("MOMENTUM_BEDROCK_ENDPOINT_URL", "")  # empty: AWS's own endpoint
BEDROCK_TEXT_MODEL = env.str("MOMENTUM_BEDROCK_TEXT_MODEL", "anthropic.claude-3-5-sonnet-20240620-v1:0")
BEDROCK_IMAGE_MODEL = env.str("MOMENTUM_BEDROCK_IMAGE_MODEL", "stability.stable-image-core-v1:1")
OPENAI_BASE_URL = env.str("MOMENTUM_OPENAI_BASE_URL", "http://127.0.0.1:11434/v1").rstrip("/")
OPENAI_API_KEY = env.str("MOMENTUM_OPENAI_API_KEY", "")
OPENAI_MODEL = env.str("MOMENTUM_OPENAI_MODEL", "llama3.1")
HEYGEN_API_KEY = env.str("MOMENTUM_HEYGEN_API_KEY", "")
HEYGEN_BASE_URL = env.str("MOMENTUM_HEYGEN_BASE_URL", "https://api.heygen.com").rstrip("/")
HEYGEN_AVATAR_ID = env.str("MOMENTUM_HEYGEN_AVATAR_ID", "")
HEYGEN_VOICE_ID = env.str("MOMENTUM_HEYGEN_VOICE_ID", "")
# The HeyGen voice that narrates a course in each language (MOMENTUM_HEYGEN_VOICE_ES, ..._AR, ...);
# a language without its own voice is narrated by MOMENTUM_HEYGEN_VOICE_ID.
_HEYGEN_VOICES = {
    "en": env.str("MOMENTUM_HEYGEN_VOICE_EN", ""),
    "es": env.str("MOMENTUM_HEYGEN_VOICE_ES", ""),
    "ar": env.str("MOMENTUM_HEYGEN_VOICE_AR", ""),
}
HEYGEN_VOICES: dict[str, str] = {code: voice for code, voice in _HEYGEN_VOICES.items() if voice}
# Seconds between two status polls of a video in the making (a durable sleep of the workflow).
VIDEO_POLL_SECONDS = env.float("MOMENTUM_VIDEO_POLL_SECONDS", 5.0, minimum=0.05)
if TEXT_PROVIDER == "anthropic" and not ANTHROPIC_API_KEY:
    raise ConfigError("MOMENTUM_TEXT_PROVIDER=anthropic needs MOMENTUM_ANTHROPIC_API_KEY")
if VIDEO_PROVIDER == "heygen" and not HEYGEN_API_KEY:
    raise ConfigError("MOMENTUM_VIDEO_PROVIDER=heygen needs MOMENTUM_HEYGEN_API_KEY")
# USD per unit, by provider: tokens are priced per million, video per second, images per image.
# The offline providers cost nothing. Override one price with MOMENTUM_PRICE_<PROVIDER>_<UNIT>,
# e.g. MOMENTUM_PRICE_ANTHROPIC_INPUT_MTOK=3.
_PRICE_DEFAULTS: dict[str, dict[str, str]] = {
    "anthropic": {"input_mtok": "3.00", "output_mtok": "15.00"},
    "bedrock": {"input_mtok": "3.00", "output_mtok": "15.00", "image": "0.04"},
    "openai": {"input_mtok": "0", "output_mtok": "0"},
    "heygen": {"video_second": "0.0167"},
    "local": {},
    "slides": {},
}
GENERATION_PRICES: dict[str, dict[str, Decimal]] = {
    provider: {
        unit: Decimal(env.str(f"MOMENTUM_PRICE_{provider.upper()}_{unit.upper()}", default))
        for unit, default in units.items()
    }
    for provider, units in _PRICE_DEFAULTS.items()
}
# Requests per minute to each remote provider, shared by every worker (a DBOS queue limiter).
TEXT_REQUESTS_PER_MINUTE = env.int("MOMENTUM_TEXT_REQUESTS_PER_MINUTE", 400, minimum=1)
# The circuit of a provider opens after this many failures in a row and lets one probe through after the cool-down.
CIRCUIT_FAILURE_THRESHOLD = env.int("MOMENTUM_CIRCUIT_FAILURE_THRESHOLD", 5, minimum=1, maximum=100)
CIRCUIT_COOLDOWN_SECONDS = env.int("MOMENTUM_CIRCUIT_COOLDOWN", 60, minimum=1, maximum=3600)
# Reference PDFs for generation: at most this size each.
MAX_REFERENCE_PDF_BYTES = env.int("MOMENTUM_MAX_REFERENCE_PDF_BYTES", 20 * 1024 * 1024, minimum=1024)

# --- Internationalisation -------------------------------------------------------------------

# The interface languages (docs/i18n.md says how to add one). Each page and each problem is in the
# signed-in user's `language`, else the switcher's cookie, else Accept-Language, else the site default
# (momentum/platform/languages.py). Arabic is written right to left.
LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
LANGUAGES_BIDI = ["ar"]
LANGUAGE_CODE = env.choice("MOMENTUM_DEFAULT_LANGUAGE", "en", tuple(code for code, _ in LANGUAGES))
LANGUAGE_COOKIE_NAME = "momentum_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = DEPLOYED
LANGUAGE_COOKIE_HTTPONLY = True
# The root catalogue (root templates/, lib, platform, accounts and the other core apps); each
# other app keeps its own in momentum/<app>/locale/, which Django finds by itself.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Learning -------------------------------------------------------------------------------

# The local hour (in each learner's time zone) at which the daily reminder email goes out.
REMINDER_HOUR = env.int("MOMENTUM_REMINDER_HOUR", 18, minimum=0, maximum=23)
# Local hours of the daily notices: "today's lesson is open" and "your cohort starts tomorrow" in the
# morning, "your streak is at risk" in the evening (learning/reminders.py).
MORNING_NOTICE_HOUR = env.int("MOMENTUM_MORNING_NOTICE_HOUR", 8, minimum=0, maximum=23)
STREAK_AT_RISK_HOUR = env.int("MOMENTUM_STREAK_AT_RISK_HOUR", 20, minimum=0, maximum=23)

# --- Web Push and the installable app --------------------------------------------------------

# The VAPID key pair (RFC 8292) that signs our pushes: a P-256 private key, PEM or base64url (make one
# with `momentum generate-vapid-keys`). Never in the repository. Dev and test make one on first use under
# the data folder; staging and prod without one keep push off (`momentum check-config` says so).
VAPID_PRIVATE_KEY = env.str("MOMENTUM_VAPID_PRIVATE_KEY", "").replace("\\n", "\n")
VAPID_KEY_FILE = env.path("MOMENTUM_VAPID_KEY_FILE", DATA_DIR / "webpush" / "vapid-private.pem")
# Who the push services may contact about our pushes: a mailto: or https: address.
VAPID_SUBJECT = env.str("MOMENTUM_VAPID_SUBJECT", "mailto:" + (DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")))
PUSH_TIMEOUT_SECONDS = env.float("MOMENTUM_PUSH_TIMEOUT", 10.0, minimum=0.1)
# Pushes in a row that the learner neither clicked nor followed with a visit, after which we stop.
PUSH_IGNORED_LIMIT = env.int("MOMENTUM_PUSH_IGNORED_LIMIT", 3, minimum=1)
# Subscriptions must name an https push service when deployed (browsers' services all are).
PUSH_REQUIRE_HTTPS = env.bool("MOMENTUM_PUSH_REQUIRE_HTTPS", DEPLOYED)
# A learner names the push endpoint the server posts to: only public hosts (lib/outbound.py), unless this is on.
ALLOW_PRIVATE_PUSH_ENDPOINTS = env.bool("MOMENTUM_ALLOW_PRIVATE_PUSH_ENDPOINTS", False)
# Changing it makes browsers install the new service worker and drop the old one's caches.
PUSH_SW_VERSION = "1"

# --- xAPI statements to a learning record store (momentum/xapi, docs/interoperability.md) --------

# The LRS's xAPI endpoint (the URL that /statements is appended to, e.g. https://lrs.example.org/xAPI)
# and its HTTP basic credentials. Empty URL: xAPI is off and no statement is recorded at all.
XAPI_LRS_URL = env.str("MOMENTUM_XAPI_LRS_URL", "").rstrip("/")
XAPI_LRS_USERNAME = env.str("MOMENTUM_XAPI_LRS_USERNAME", "")
XAPI_LRS_PASSWORD = env.str("MOMENTUM_XAPI_LRS_PASSWORD", "")
XAPI_TIMEOUT_SECONDS = env.float("MOMENTUM_XAPI_TIMEOUT", 10.0, minimum=0.1)
# Statements per POST /statements, and how long the oldest unsent statement may wait before the
# MomentumXapiOutboxStuck alarm fires.
XAPI_BATCH_SIZE = env.int("MOMENTUM_XAPI_BATCH_SIZE", 50, minimum=1, maximum=500)
XAPI_ALARM_MINUTES = env.int("MOMENTUM_XAPI_ALARM_MINUTES", 60, minimum=1)
if XAPI_LRS_URL and not XAPI_LRS_URL.startswith(("https://", "http://")):
    raise ConfigError(f"MOMENTUM_XAPI_LRS_URL={XAPI_LRS_URL!r} must be an http(s) URL")
# --- LTI 1.3 (Momentum as a tool inside Moodle, Canvas, Open edX) ---------------------------

# The tool's RSA key pair signs our messages to platforms (deep-linking answers, service token
# requests); its public half is the JWK Set at /lti/jwks/. PEM in MOMENTUM_LTI_PRIVATE_KEY, or the
# file MOMENTUM_LTI_KEY_FILE (mode 0600; make one with `momentum lti-keys generate`). Never in the
# repository. Dev and test make the file on first use; staging and prod refuse LTI until it exists.
LTI_PRIVATE_KEY = env.str("MOMENTUM_LTI_PRIVATE_KEY", "").replace("\\n", "\n")
LTI_KEY_FILE = env.path("MOMENTUM_LTI_KEY_FILE", DATA_DIR / "secrets" / "lti-private.pem")
LTI_KEYS_AUTOCREATE = not DEPLOYED
# Seconds a service call to a platform (token, scores, members, keys) may take.
LTI_HTTP_TIMEOUT_SECONDS = env.float("MOMENTUM_LTI_HTTP_TIMEOUT", 10.0, minimum=0.1)

# --- Operations -----------------------------------------------------------------------------

# Prometheus metrics are kept in memory-mapped files, one per process, so that /metrics adds
# up every web process and worker of this machine (momentum/observability/__init__.py points
# prometheus-client at this folder before it is first imported).
METRICS_DIR = env.path("MOMENTUM_METRICS_DIR", DATA_DIR / "metrics")
METRICS_TOKEN = env.str("MOMENTUM_METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env.list("MOMENTUM_METRICS_ALLOWED_NETWORKS", [])
WORKER_METRICS_ADDRESS = env.str("MOMENTUM_WORKER_METRICS_ADDRESS", "")
READINESS_TIMEOUT_SECONDS = env.float("MOMENTUM_READINESS_TIMEOUT", 2.0, minimum=0.1)

_OFF_IN_TESTS = "off" if IS_TEST else None
BACKUP_TARGET = env.str("MOMENTUM_BACKUP_TARGET", str(DATA_DIR / "backups"))
BACKUP_S3 = {
    "endpoint_url": env.str("MOMENTUM_BACKUP_S3_ENDPOINT_URL", env.str("MOMENTUM_S3_ENDPOINT_URL")) or None,
    "region_name": env.str("MOMENTUM_BACKUP_S3_REGION", env.str("MOMENTUM_S3_REGION")) or None,
    "aws_access_key_id": env.str("MOMENTUM_BACKUP_S3_ACCESS_KEY_ID", env.str("MOMENTUM_S3_ACCESS_KEY_ID")) or None,
    "aws_secret_access_key": env.str(
        "MOMENTUM_BACKUP_S3_SECRET_ACCESS_KEY", env.str("MOMENTUM_S3_SECRET_ACCESS_KEY")
    ) or None,
}  # fmt: skip
BACKUP_INCLUDE_MEDIA = env.bool("MOMENTUM_BACKUP_INCLUDE_MEDIA", True)
BACKUP_SCHEDULE = env.str("MOMENTUM_BACKUP_SCHEDULE", _OFF_IN_TESTS or "0 */15 * * * *")
BACKUP_KEEP_RECENT = env.int("MOMENTUM_BACKUP_KEEP_RECENT", 96, minimum=1)
BACKUP_KEEP_DAILY = env.int("MOMENTUM_BACKUP_KEEP_DAILY", 30 if IS_PROD else 7, minimum=0)
BACKUP_TIMEOUT_SECONDS = env.int("MOMENTUM_BACKUP_TIMEOUT", 3600, minimum=10)
BACKUP_MAX_AGE_MINUTES = env.int("MOMENTUM_BACKUP_MAX_AGE_MINUTES", 30, minimum=1)
DR_DRILL_SCHEDULE = env.str("MOMENTUM_DR_DRILL_SCHEDULE", _OFF_IN_TESTS or "0 30 3 * * *")
DR_DRILL_MAX_AGE_HOURS = env.int("MOMENTUM_DR_DRILL_MAX_AGE_HOURS", 48, minimum=1)
RTO_TARGET_MINUTES = env.int("MOMENTUM_RTO_TARGET_MINUTES", 240, minimum=1)
ALARM_SCHEDULE = env.str("MOMENTUM_ALARM_SCHEDULE", _OFF_IN_TESTS or "30 * * * * *")
# `momentum serve` restarts a child that dies (momentum/lib/supervisor.py). More restarts of one
# kind of process (web, worker) than the alarm count within the window fire
# MomentumProcessRestarting; more than the give-up count is a crash loop and serve stops.
RESTART_WINDOW_MINUTES = env.int("MOMENTUM_RESTART_WINDOW_MINUTES", 10, minimum=1)
RESTART_ALARM_COUNT = env.int("MOMENTUM_RESTART_ALARM_COUNT", 3, minimum=0)
RESTART_GIVE_UP_COUNT = env.int("MOMENTUM_RESTART_GIVE_UP_COUNT", 10, minimum=1)
if RESTART_GIVE_UP_COUNT <= RESTART_ALARM_COUNT:
    raise ConfigError(
        "MOMENTUM_RESTART_GIVE_UP_COUNT must be more than MOMENTUM_RESTART_ALARM_COUNT: "
        "the alarm fires before `momentum serve` gives up"
    )

# --- Logging --------------------------------------------------------------------------------

LOG_LEVEL = env.choice("MOMENTUM_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOG_FORMAT = env.choice("MOMENTUM_LOG_FORMAT", "json", ("json", "console"))
LOGGING_CONFIG = None  # structlog is configured by momentum.lib.logs, once the settings above are known
logs.configure(level=LOG_LEVEL, fmt=LOG_FORMAT)
