"""Django settings for econsec.

One persistence layer (docs/decisions/0002-store.md): a SQLite file under the data directory by
default, PostgreSQL (or any Django engine) when DATABASE_URL is set.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
import platformdirs

from econsec.web.secret_key import installation_key


def data_dir() -> Path:
    """Where econsec keeps its SQLite file, uploads and caches (ECONSEC_DATA_DIR overrides)."""
    configured = os.environ.get("ECONSEC_DATA_DIR")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir("econsec"))
    path.mkdir(parents=True, exist_ok=True)
    return path


DATA_DIR = data_dir()
BASE_DIR = Path(__file__).resolve().parent

DEBUG = os.environ.get("ECONSEC_DEBUG", "0") == "1"
# Production is one switch (docs/decisions/0050-web-serving.md): ECONSEC_PRODUCTION=1 demands a
# real secret key and turns on secure cookies, HSTS and the HTTPS redirect.
PRODUCTION = os.environ.get("ECONSEC_PRODUCTION", "0") == "1"
SECRET_KEY = os.environ.get("ECONSEC_SECRET_KEY", "")
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("ECONSEC_PRODUCTION=1 needs ECONSEC_SECRET_KEY (a long random string)")
if not SECRET_KEY:
    # Outside production each installation generates its own key (econsec.web.secret_key).
    SECRET_KEY = installation_key(DATA_DIR)
if PRODUCTION:
    DEBUG = False
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ECONSEC_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("ECONSEC_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("ECONSEC_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
if PRODUCTION and os.environ.get("ECONSEC_BEHIND_PROXY", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "econsec.web",
    "econsec.valuechain",
    "econsec.stress",
    "econsec.guideline",
    "econsec.screening",
    "econsec.exposure",
    "econsec.reports",
    "econsec.governance",
    "econsec.planning",
    "econsec.monitoring",
    "econsec.technology",
    "econsec.survey",
    "econsec.visuals",
]

MIDDLEWARE = [
    # First: an oversized body is refused before anything reads it; a locked database
    # anywhere below becomes a retryable 503 (econsec.web.guards).
    "econsec.web.guards.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the signed-in user's saved language wins over the browser's.
    "econsec.web.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            # Each capability's pages live in its own web/templates (econsec.web.loaders).
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.app_directories.Loader",
                        "econsec.web.loaders.CapabilityTemplateLoader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "econsec.web.context.workbench",
            ],
        },
    },
    {
        # Page parts that loop (rows, tiers, cards, navigation: econsec.web.jinja); the pages
        # themselves are Django templates.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "OPTIONS": {"environment": "econsec.web.jinja.environment"},
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'econsec.sqlite3'}"
# Connections are kept between requests (per server thread): opening a SQLite connection and
# running its PRAGMAs cost ~1.4 ms of CPU per request, a fifth of a list page
# (docs/decisions/0058-per-request-cpu.md). ECONSEC_CONN_MAX_AGE=0 closes them after each request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_db,
        conn_max_age=int(os.environ.get("ECONSEC_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server read while a background import writes. Transactions begin
    # IMMEDIATE: a transaction that read first and then wants to write would otherwise fail at
    # once ("database is locked") when another writer got in between, without waiting; this
    # way it waits up to the timeout at its start (docs/decisions/0092-hardening-the-server.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("ECONSEC_SQLITE_TIMEOUT", "30")),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Tokyo"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
# Static assets ship inside the package and are served by the app itself (no CDN, works
# offline); WhiteNoise reads them straight from the app directories, so no collectstatic step.
WHITENOISE_USE_FINDERS = True
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "econsec.web.loaders.CapabilityStaticFinder",
]
WHITENOISE_AUTOREFRESH = DEBUG

ROOT_URLCONF = "econsec.web.urls"
WSGI_APPLICATION = "econsec.web.wsgi.application"
# Django's database sessions and ModelBackend, with the per-request reads compiled once
# (docs/decisions/0058-per-request-cpu.md).
SESSION_ENGINE = "econsec.web.sessions"
AUTHENTICATION_BACKENDS = ["econsec.web.backends.PreparedModelBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = 60 * 60 * 12
# Uploaded workbooks go to a file on disk, not memory, above this size.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# The largest request body accepted at all, refused on its Content-Length before it is read
# (econsec.web.guards); the embedded servers get the same limit. Pages that accept less
# register their own limit (econsec.registry.register_body_limit).
ECONSEC_MAX_REQUEST_BYTES = int(os.environ.get("ECONSEC_MAX_REQUEST_BYTES", str(64 * 1024 * 1024)))
# Content-Security-Policy of every response: scripts and styles from this site's static files
# only, nothing inline.
ECONSEC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Optional tile server under the supplier map (econsec.visuals.tiles): a URL template with {z},
# {x} and {y}; unset, the map draws the shipped Natural Earth outline and asks no other host.
ECONSEC_MAP_TILES = os.environ.get("ECONSEC_MAP_TILES", "")
ECONSEC_MAP_TILES_ATTRIBUTION = os.environ.get("ECONSEC_MAP_TILES_ATTRIBUTION", "")
# Seconds a client is asked to wait (Retry-After) when the database is busy.
ECONSEC_RETRY_AFTER_SECONDS = 5

# Login throttling (econsec.web.throttle): failures per user name and client address.
ECONSEC_LOGIN_MAX_FAILURES = int(os.environ.get("ECONSEC_LOGIN_MAX_FAILURES", "5"))
ECONSEC_LOGIN_LOCK_SECONDS = int(os.environ.get("ECONSEC_LOGIN_LOCK_SECONDS", "300"))
# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the
# client; from anyone else the header is ignored.
ECONSEC_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("ECONSEC_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in ECONSEC_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise RuntimeError(f"ECONSEC_TRUSTED_PROXIES: {_proxy!r} is not an address") from exc

# Background jobs run in a separate worker process (`econsec worker`) that polls the database,
# so the embedded SQLite default needs no extra server (docs/decisions/0051-background-jobs.md).
# Where the job worker keeps its heartbeat and running jobs their progress while their own
# transaction hides it (econsec.web.worker); shared by the server and the worker.
ECONSEC_RUN_DIR = Path(os.environ.get("ECONSEC_RUN_DIR") or DATA_DIR / "run")
# Seconds a stopping worker lets its running job finish before interrupting it (the job is then
# queued again).
ECONSEC_WORKER_GRACE_SECONDS = float(os.environ.get("ECONSEC_WORKER_GRACE_SECONDS", "30"))
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ECONSEC_TASK_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# Outgoing mail (governance notifications) through Django's SMTP backend.
EMAIL_HOST = os.environ.get("ECONSEC_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ECONSEC_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ECONSEC_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ECONSEC_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ECONSEC_SMTP_STARTTLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("ECONSEC_MAIL_FROM", "econsec@localhost")
# The address users reach econsec at (https://econsec.example.co.jp), for links in e-mails and
# webhook bodies; unset, they carry the page's path only. The in-app inbox links same-site.
ECONSEC_BASE_URL = os.environ.get("ECONSEC_BASE_URL", "").strip().rstrip("/")
# The lowest severity of a monitoring alert that notifies (low, medium, high; off: none).
ECONSEC_MONITORING_NOTIFY_SEVERITY = os.environ.get("ECONSEC_MONITORING_NOTIFY_SEVERITY", "medium")
if ECONSEC_MONITORING_NOTIFY_SEVERITY not in ("low", "medium", "high", "off"):
    raise RuntimeError("ECONSEC_MONITORING_NOTIFY_SEVERITY must be low, medium, high or off")
