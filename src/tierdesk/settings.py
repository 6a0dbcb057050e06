"""The one settings module. Instance configuration comes from TIERDESK_* variables
(see README.md, "Configuration"); business settings are rows edited in the admin."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from tierdesk.config import ConfigurationError, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent

DATA_DIR = Path(env_str("DATA_DIR", "var")).resolve()  # type: ignore[arg-type]

DEBUG = env_bool("DEBUG", False)

DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'tierdesk.sqlite3'}"
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
except ValueError as error:
    raise ConfigurationError(f"TIERDESK_DATABASE_URL is not a database URL: {error}") from error
USES_SQLITE = _database["ENGINE"] == "django.db.backends.sqlite3"
if USES_SQLITE:
    # The database holds password and token hashes: keep the folder private to its owner.
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    # WAL lets the web server and the worker read while one of them writes; IMMEDIATE
    # transactions take the write lock up front instead of failing on lock upgrade.
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
        ),
    }
    # Tests use a file too: the in-memory shared cache locks whole tables and ignores the busy
    # timeout, so concurrency tests would test something production never runs.
    _database["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DATABASES = {"default": _database}


def _secret_key() -> str:
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    if not USES_SQLITE:
        raise ConfigurationError(
            "TIERDESK_SECRET_KEY (or TIERDESK_SECRET_KEY_FILE) must be set when tierdesk runs "
            "on a shared database: every web process needs the same key."
        )
    # Embedded default: one machine, so a key generated once into the data directory is shared
    # by the web server and the worker and survives restarts.
    from django.core.management.utils import get_random_secret_key

    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key(), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "tierdesk.accounts",
    "tierdesk.sla",
    "tierdesk.tickets",
    "tierdesk.channels",
    "tierdesk.api",
    "tierdesk.web",
    "tierdesk.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tierdesk.urls"
WSGI_APPLICATION = "tierdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Language and time: stored in UTC, shown in the organization's zone (default Asia/Jakarta).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")

# Uploaded files (attachments). Shared storage (a network volume) when web processes run on
# several machines.
MEDIA_ROOT = Path(env_str("MEDIA_DIR", str(DATA_DIR / "media")))  # type: ignore[arg-type]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Periodic jobs the workers enqueue: (dotted path of a django-tasks Task, interval in seconds).
# See tierdesk/operations/scheduler.py.
TIERDESK_PERIODIC_JOBS: list[tuple[str, int]] = [
    ("tierdesk.operations.tasks.prune_finished_tasks", 3600),
]

# Largest request body accepted (bytes); larger bodies get a 413-style refusal, not a crash.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 2_621_440, minimum=1024)

TIERDESK_TICKET_PREFIX = env_str("TICKET_PREFIX", "TD")
TIERDESK_PORT = env_int("PORT", 8000, minimum=1, maximum=65535)
TIERDESK_HOST = env_str("HOST", "127.0.0.1")
TIERDESK_WEB_WORKERS = env_int("WEB_WORKERS", 3, minimum=1, maximum=64)
TIERDESK_DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo")
TIERDESK_API_PAGE_SIZE_MAX = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
