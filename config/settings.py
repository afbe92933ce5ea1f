"""Django settings. Values come from config.env, the only reader of the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from config.env import BASE_DIR, env

DEBUG = env("VCSEHUB_DEBUG")
DATA_HOME = Path(env("VCSEHUB_DATA_HOME"))


def _secret_key() -> str:
    """The key from the environment, else from the key file; never a random one.

    Without a key, the production entry points (vcsehub, wsgi) refuse to start:
    see config.checks.require_secret_key. A fixed key is used only with DEBUG on.
    """
    key = env("VCSEHUB_SECRET_KEY")
    if key:
        return key
    key_file = Path(env("VCSEHUB_SECRET_KEY_FILE") or DATA_HOME / "secret_key")
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip()
    return "insecure-key-for-local-debug-only" if DEBUG else ""


SECRET_KEY = _secret_key()
DATA_DIR = env("VCSEHUB_DATA_DIR") or None
MAX_DOWNLOAD_BYTES = env("VCSEHUB_MAX_DOWNLOAD_BYTES")
DOWNLOAD_TIMEOUT = env("VCSEHUB_DOWNLOAD_TIMEOUT")
MAX_UPLOAD_BYTES = env("VCSEHUB_MAX_UPLOAD_BYTES")
MAX_UPLOAD_ROWS = env("VCSEHUB_MAX_UPLOAD_ROWS")
MIN_DISPLAY_COUNT = env("VCSEHUB_MIN_DISPLAY_COUNT")
SERVE_HOST = env("VCSEHUB_HOST")
SERVE_PORT = env("VCSEHUB_PORT")
SERVE_WORKERS = env("VCSEHUB_WORKERS")
FIRST_ADMIN_EMAIL = env("VCSEHUB_ADMIN_EMAIL")
FIRST_ADMIN_PASSWORD = env("VCSEHUB_ADMIN_PASSWORD")

ALLOWED_HOSTS = env("VCSEHUB_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("VCSEHUB_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "vcsehub.common",
    "vcsehub.sources",
    "vcsehub.geography",
    "vcsehub.charities",
    "vcsehub.grants",
    "vcsehub.organisations",
    "vcsehub.sharing",
    "vcsehub.impact",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vcsehub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vcsehub.common.context_processors.site",
            ],
        },
    }
]


def _database() -> dict:
    url = env("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        DATA_HOME.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_HOME / "vcsehub.sqlite3"}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].update(
            {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
            }
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "organisations:login"
LOGIN_REDIRECT_URL = "organisations:home"
LOGOUT_REDIRECT_URL = "home"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login rate limiting (django-axes): lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = env("VCSEHUB_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = env("VCSEHUB_LOGIN_COOLOFF_MINUTES") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "organisations/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = DATA_HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "vcsehub" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if env("VCSEHUB_SECURE_COOKIES"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"vcsehub": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
