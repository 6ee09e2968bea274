"""Settings shared by every environment; the database comes from DATABASE_URL (SQLite when unset)."""

import datetime
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PROFDEV_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "profdev.common",
    "profdev.accounts",
    "profdev.orgs",
    "profdev.people",
    "profdev.learning",
    "profdev.events",
    "profdev.mentorship",
    "profdev.roadmap",
    "profdev.indicators",
    "profdev.reports",
    "profdev.imports",
    "profdev.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user's language (replaces LocaleMiddleware; needs request.user).
    "profdev.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits (needs the session, the user and messages).
    "profdev.accounts.middleware.SessionLifetimeMiddleware",
    # A SNILS in a query string: 400 for the API, a tokenized address for pages.
    "profdev.common.middleware.SnilsInUrlMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "profdev.common.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into the login page's message.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are throttled per account and address, with a cool-off rather than a lock.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Only local assets: scripts, styles and images from this origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "profdev.common.context_processors.navigation",
                # After Django's csrf processor: a page rendered to be stored gets a placeholder.
                "profdev.common.page_cache.csrf_placeholder",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a background import writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Computed indicator figures are cached (profdev/indicators/compute.py); Redis when CACHE_URL is
# set (shared by every app server), otherwise a per-process memory cache.
CACHE_URL = env_str("CACHE_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats per language (config/formats/<lang>/formats.py override Django's defaults).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Tomsk"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploaded files live outside the web root and are served only through scope-checking views.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("PROFDEV_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# Generated documents (analytical reports): never under MEDIA_URL, served by scope-checking views.
REPORTS_ROOT = Path(env_str("PROFDEV_REPORTS_DIR", str(VAR_DIR / "reports")))

# Sessions end after SESSION_IDLE_MINUTES without a request (Django's own expiry, moved forward
# by a request at most once every SESSION_TOUCH_SECONDS, not by a write on every page) and
# SESSION_MAX_HOURS after the login whatever the activity
# (profdev.accounts.middleware.SessionLifetimeMiddleware); the cookie dies with the browser.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
SESSION_MAX_AGE = env_int("SESSION_MAX_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "profdev@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "profdev.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "profdev API",
    "DESCRIPTION": _("ЦНППМ и наставничество: реестры, обучение, показатели"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set; apps add theirs here when names collide.
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityKindEnum": "profdev.orgs.choices.MunicipalityKind",
        "OrganizationKindEnum": "profdev.orgs.choices.OrganizationKind",
        "FounderEnum": "profdev.orgs.choices.Founder",
        "PositionEnum": "profdev.people.choices.Position",
        "StaffPositionEnum": "profdev.people.choices.StaffPosition",
        "EmploymentKindEnum": "profdev.people.choices.EmploymentKind",
        "QualificationCategoryEnum": "profdev.people.choices.QualificationCategory",
        "RouteStatusEnum": "profdev.learning.choices.RouteStatus",
        "ReportStatusEnum": "profdev.roadmap.choices.ReportStatus",
    },
}

DJANGO_TABLES2_TEMPLATE = "common/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Celery runs tasks in-process when no broker is configured (laptop and tests).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True

# The indicators' count steps (PostgreSQL; decision 0012): whether computations read them, and
# how long after a write's first computation a worker rebuilds the region's.
INDICATOR_STEPS = env_str("PROFDEV_INDICATOR_STEPS", "on") != "off"
INDICATOR_STEPS_REBUILD_DELAY = env_int("PROFDEV_INDICATOR_STEPS_REBUILD_DELAY", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_snils": {"()": "profdev.common.logging.MaskSnilsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_snils"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Product settings that operators may tune per installation.
PROFDEV_YOUNG_SPECIALIST_YEARS = 3
PROFDEV_DEFAULT_REGION_CODE = "70"
