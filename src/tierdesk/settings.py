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
    # Connections are kept between requests like PostgreSQL's (an idle connection in
    # autocommit holds no lock): opening one reads the whole schema again, 1.5 ms of every
    # request at 1M tickets.
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
elif _database["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters travel apart from the SQL text, so a statement a connection runs again and
    # again (the token lookup, the inserts of a new ticket) is parsed and planned once per
    # connection: planning was the largest part of the database's CPU per request (decision 0007).
    # Off behind a connection pooler that cannot keep prepared statements (PgBouncer in
    # transaction mode before 1.21).
    _database["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
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
    "axes",
    "tierdesk.accounts",
    "tierdesk.sla",
    "tierdesk.search",
    "tierdesk.tickets",
    "tierdesk.kb",
    "tierdesk.channels",
    "tierdesk.reports",
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
    "tierdesk.web.middleware.PersonalLocaleMiddleware",
    "tierdesk.web.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
CSRF_FAILURE_VIEW = "tierdesk.web.views.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12

# Login throttling (django-axes, state in the database so it holds across processes): after
# TIERDESK_LOGIN_FAILURE_LIMIT failures for one username from one address, sign-in is refused
# for TIERDESK_LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tierdesk.web.views.auth.locked_out"
AXES_VERBOSE = False
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
    ("tierdesk.tickets.sweeps.sweep_sla", 60),
    ("tierdesk.channels.email.tasks.poll_mailboxes", 60),
    ("tierdesk.channels.email.tasks.send_notifications", 10),
    ("tierdesk.reports.tasks.refresh_report_rollups", 60),
    ("tierdesk.search.tasks.refresh_pending", 5),
    ("tierdesk.search.tasks.sync_recent", 60),
    ("tierdesk.kb.indexing.index_changed_tickets", 30),
]

# Largest request body accepted (bytes); larger bodies get a 413-style refusal, not a crash.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 2_621_440, minimum=1024)

TIERDESK_TICKET_PREFIX = env_str("TICKET_PREFIX", "TD")
# Where people reach this desk, for links in e-mail.
TIERDESK_PUBLIC_URL = env_str("PUBLIC_URL", "http://127.0.0.1:8000")
TIERDESK_PORT = env_int("PORT", 8000, minimum=1, maximum=65535)
TIERDESK_HOST = env_str("HOST", "127.0.0.1")
TIERDESK_WEB_WORKERS = env_int("WEB_WORKERS", 3, minimum=1, maximum=64)
# How much a background worker lowers its CPU priority (nice): people waiting for a page come
# before mail and index updates on a shared machine (decision 0007). Not on SQLite: there a
# worker holding the one write lock while it waits for the CPU holds up every web request.
TIERDESK_WORKER_NICE = env_int("WORKER_NICE", 0 if USES_SQLITE else 10, minimum=0, maximum=19)
TIERDESK_DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo")
TIERDESK_API_PAGE_SIZE_MAX = 100
# Knowledge base: visitors who are not signed in may read and search public articles.
TIERDESK_KB_PUBLIC = env_bool("KB_PUBLIC", True)

# Tier reports: the L1 share of resolutions a desk aims for (percent), and how long after a
# resolution a reopen still counts against it (days; changing it needs a full roll-up rebuild).
TIERDESK_L1_TARGET_LOW = env_int("L1_TARGET_LOW", 70, minimum=0, maximum=100)
TIERDESK_L1_TARGET_HIGH = env_int("L1_TARGET_HIGH", 80, minimum=TIERDESK_L1_TARGET_LOW, maximum=100)
TIERDESK_REOPEN_WINDOW_DAYS = env_int("REOPEN_WINDOW_DAYS", 7, minimum=1, maximum=90)

# E-mail (docs/email.md).
TIERDESK_EMAIL_FROM = env_str("EMAIL_FROM", "tierdesk@localhost")
DEFAULT_FROM_EMAIL = TIERDESK_EMAIL_FROM
EMAIL_HOST = env_str("EMAIL_SMTP_HOST", "")
EMAIL_PORT = env_int("EMAIL_SMTP_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_SMTP_PASSWORD", "")
_smtp_security = env_str("EMAIL_SMTP_SECURITY", "starttls")
if _smtp_security not in ("starttls", "tls", "none"):
    raise ConfigurationError("TIERDESK_EMAIL_SMTP_SECURITY must be starttls, tls or none.")
EMAIL_USE_TLS = _smtp_security == "starttls"
EMAIL_USE_SSL = _smtp_security == "tls"
EMAIL_TIMEOUT = 30
# Without an SMTP host (the embedded default, the demo), outgoing mail is written to files
# under the data directory instead of being sent: one .log file per batch, readable as text.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "sent-mail"
TIERDESK_EMAIL_MAX_ATTACHMENT_BYTES = env_int(
    "EMAIL_MAX_ATTACHMENT_BYTES", 26_214_400, minimum=1024
)
TIERDESK_EMAIL_SENDER_LIMIT_PER_HOUR = env_int("EMAIL_SENDER_LIMIT_PER_HOUR", 60, minimum=0)
# An agent hears of a ticket reaching their queue at once, then at most once per this many
# minutes (a digest of what arrived meanwhile); 0: a mail per ticket.
TIERDESK_EMAIL_DIGEST_MINUTES = env_int("EMAIL_DIGEST_MINUTES", 10, minimum=0, maximum=1440)
# The default mailbox, polled over IMAP when a host is given (more mailboxes: the admin).
TIERDESK_EMAIL_IMAP_HOST = env_str("EMAIL_IMAP_HOST", "")
TIERDESK_EMAIL_IMAP_PORT = env_int("EMAIL_IMAP_PORT", 993, minimum=1, maximum=65535)
TIERDESK_EMAIL_IMAP_SECURITY = env_str("EMAIL_IMAP_SECURITY", "tls")
if TIERDESK_EMAIL_IMAP_SECURITY not in ("tls", "starttls", "none"):
    raise ConfigurationError("TIERDESK_EMAIL_IMAP_SECURITY must be tls, starttls or none.")
TIERDESK_EMAIL_IMAP_USER = env_str("EMAIL_IMAP_USER", "")
TIERDESK_EMAIL_IMAP_PASSWORD = env_str("EMAIL_IMAP_PASSWORD", "")
TIERDESK_EMAIL_IMAP_FOLDER = env_str("EMAIL_IMAP_FOLDER", "INBOX")
TIERDESK_EMAIL_IMAP_VERIFY_CERTIFICATE = env_bool("EMAIL_IMAP_VERIFY_CERTIFICATE", True)
TIERDESK_EMAIL_IMAP_CA_FILE = env_str("EMAIL_IMAP_CA_FILE", "")
# What a new message of the default mailbox becomes (slugs; a tier by its level number).
TIERDESK_EMAIL_IMAP_ORGANIZATION = env_str("EMAIL_IMAP_ORGANIZATION", "")
TIERDESK_EMAIL_IMAP_TIER = env_int("EMAIL_IMAP_TIER", 0, minimum=0) or None
TIERDESK_EMAIL_IMAP_TEAM = env_str("EMAIL_IMAP_TEAM", "")
TIERDESK_EMAIL_IMAP_CATEGORY = env_str("EMAIL_IMAP_CATEGORY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One line per finished background task (every ticket change queues a search refresh)
        # drowns the log; failures are logged at ERROR whatever this says.
        "django_tasks": {"level": env_str("TASK_LOG_LEVEL", "WARNING")},
    },
}
