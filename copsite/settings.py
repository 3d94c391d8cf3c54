"""Settings for the community of practice portal.

Every value comes from the environment (see .env.example). With nothing set, the portal runs on
embedded development defaults: SQLite, a filesystem Celery broker and emails printed to the console.
Production differs only by environment values.
"""

import email.utils
from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105 -- development only; refused when DEBUG is off
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
# Earlier keys, kept while rotating: emailed links and held anonymous answers made with them
# still open (see members/links.py).
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG=0 "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
# The port `make run` serves on (bin/run-dev exports it to the worker and beat too).
PORT = env.int("PORT", default=8000)
# Absolute links in emails: members/links.py joins every path to this, and nothing else does.
# In development it follows PORT, so `PORT=8050 make run` sends links that open; production
# sets it (check --deploy warns when it is missing, see copsite/checks.py).
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")
SITE_URL_FROM_ENV = "SITE_URL" in env.ENVIRON
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    # First, so that its createsuperuser (a verified address and a community record, so the
    # operator can log in at once) takes the place of django.contrib.auth's.
    "members",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its `unaccent` lookup: searches that ignore accents (members/accents.py).
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "anymail",
    "csp",
    "copsite",
    "meetings",
    "surveys",
    "resources",
    "announcements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "copsite.security.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "copsite.security.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: their choice (cookie), else the browser's, else LANGUAGE_CODE.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "members.middleware.MemberTimezoneMiddleware",
    # Pages that a view says are not there (a draft, an expired link) get the styled 404 even
    # with DEBUG on; unknown URLs still get Django's debug page.
    "copsite.middleware.NotFoundPageMiddleware",
]

ROOT_URLCONF = "copsite.urls"
WSGI_APPLICATION = "copsite.wsgi.application"

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
                "copsite.context_processors.site",
            ],
        },
    },
]

# Database: PostgreSQL in production and tests, SQLite as the zero-configuration default.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if "DATABASE_URL" not in env.ENVIRON:
    VAR_DIR.mkdir(exist_ok=True)  # the embedded SQLite default lives here
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is the Celery broker and the cache (allauth's rate limits live in the cache).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: with Redis down, pages still work (see copsite/cache.py).
            "BACKEND": "copsite.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="copsite"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:me"

# django-allauth: email only, mandatory verification confirmed by POST, rate limits on.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirmation links carry a random key looked up in the database: allauth's default (an HMAC
# key) is the EmailAddress id signed, readable in the link, the mail logs and browser history.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# A password reset by a code typed on the page where it was asked, not by a link: allauth's
# link carries the account's id (base36) and redirects to another URL with it, into mail logs
# and browser history. Fifteen minutes, three tries, for an eight-character code.
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm", "login": "members.forms.LoginForm"}
# Security notices (password changed, address changed or removed) by email, like any account.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# Canada's two official languages. The Canadian variants give Canadian formats (ISO dates, and
# "14 h 30" in French); a browser asking for "fr-FR" or "en-US" gets the nearest one. The
# language comes from the cookie set by the switcher, else the browser; URLs carry no language
# prefix, so signed links in emails stay valid whatever the reader's language.
# Catalogues live in locale/ (see locale/README.md).
LANGUAGE_CODE = "en-ca"
LANGUAGES = [("en-ca", "English"), ("fr-ca", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True
# 24-hour times in the admin as on the site (Django's en-CA locale writes "2:30 p.m.").
FORMAT_MODULE_PATH = ["copsite.formats"]

STATIC_URL = "static/"
# Where collectstatic writes (WhiteNoise serves it).
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from a Python package, never from a CDN.
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded resources live here, outside MEDIA_ROOT and never served by URL: every file goes
# through the download view, which checks who may have it.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
# The largest file a member may upload as a resource (bytes). Default: 20 MB.
RESOURCES_MAX_UPLOAD_BYTES = env.int("RESOURCES_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; EMAIL_URL=smtp://user:pass@host:port for real delivery.
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
_email_config = env.email_url_config(EMAIL_URL)
if _email_config["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    # Each message as one readable block on the terminal, not as the worker's log lines.
    _email_config["EMAIL_BACKEND"] = "members.outbox.console.ReadableConsoleEmailBackend"
vars().update(_email_config)
COMMUNITY_NAME = env.str("COMMUNITY_NAME", default="City Librarians Community of Practice")
# Every email, allauth's included, comes from the community by name.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f'"{COMMUNITY_NAME}" <hello@localhost>')
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where List-Unsubscribe mailto: requests go (handled by a person or the mail provider).
UNSUBSCRIBE_MAILTO = env.str(
    "UNSUBSCRIBE_MAILTO", default=email.utils.parseaddr(DEFAULT_FROM_EMAIL)[1] or "hello@localhost"
)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Bounces and complaints: the mail provider's signed webhook (members/webhooks.py). Without a
# signing key the webhook is off.
ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default="")}
# Where people write to the coordinators (shown on the contact page).
CONTACT_EMAIL = env.str(
    "CONTACT_EMAIL", default=email.utils.parseaddr(DEFAULT_FROM_EMAIL)[1] or "hello@localhost"
)

# Celery: Redis in production, kombu's filesystem transport when no REDIS_URL is set.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        # Every key of the broker's (queues, unacknowledged tasks, control channels) starts with
        # this, so that several portals, or parallel test processes, can share one Redis
        # database without taking each other's tasks.
        "global_keyprefix": env.str("CELERY_BROKER_KEY_PREFIX", default=""),
    }
else:
    _broker_dir = VAR_DIR / "broker"
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    # The host is ignored; without one, kombu warns on every message it sends.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# The outbox's tasks go to the "mail" queue. Named one by one: the glob "outgoing_email_*" once
# missed outgoing_emails_send_batch, so a round's batches went to the default queue.
CELERY_TASK_ROUTES = {
    **{
        f"members.tasks.{name}": {"queue": "mail"}
        for name in ("outgoing_email_send", "outgoing_emails_send_batch", "outgoing_email_sweep")
    },
    # A check-in round's chunks (invite, render, record) are mail too, by the same workers.
    "surveys.tasks.checkin_round_chunk": {"queue": "mail"},
}
CELERY_BEAT_SCHEDULE = {
    # Safety net: any outbox row whose send task was lost (broker down at commit) is re-enqueued.
    "outbox-sweep": {
        "task": "members.tasks.outgoing_email_sweep",
        "schedule": crontab(minute="*/5"),
    },
    # Hourly, so each going registrant is reminded about MEETING_REMINDER_HOURS before.
    "meeting-reminders": {
        "task": "meetings.tasks.meeting_reminders_send",
        "schedule": crontab(minute=7),
    },
    # The heart of the portal: daily, re-engagement for members at risk, then everyone due gets
    # this round's check-in (one entry point, so nobody gets both on one morning).
    "checkins-daily": {
        "task": "surveys.tasks.checkins_daily_run",
        "schedule": crontab(hour=9, minute=0),
    },
    "digest": {
        "task": "copsite.tasks.digest_send",
        "schedule": crontab(day_of_month=1, hour=8, minute=0),
    },
    # Safety net for announcements whose send task was lost (broker down when Send was pressed).
    "announcements-resume": {
        "task": "announcements.tasks.announcements_sending_resume",
        "schedule": crontab(minute="*/5"),
    },
    # Safety net for anonymous answers whose release task was lost (the batch filled meanwhile).
    "held-responses-release": {
        "task": "surveys.tasks.held_responses_release_due",
        "schedule": crontab(minute=23),
    },
    "survey-reminders": {
        "task": "surveys.tasks.survey_reminders_send",
        "schedule": crontab(hour=10, minute=15),
    },
}

# Meetings: how long before a meeting its going registrants are reminded by email.
MEETING_REMINDER_HOURS = env.int("MEETING_REMINDER_HOURS", default=24)

# Attrition: a member with no engagement for this many days gets a re-engagement check-in;
# no answer after the second number of days moves them to lapsed.
ATTRITION_AT_RISK_DAYS = env.int("ATTRITION_AT_RISK_DAYS", default=90)
ATTRITION_LAPSE_AFTER_DAYS = env.int("ATTRITION_LAPSE_AFTER_DAYS", default=30)
# A first check-in this many days after joining (the welcome email comes first).
FIRST_CHECKIN_AFTER_DAYS = env.int("FIRST_CHECKIN_AFTER_DAYS", default=30)
# Survey reminders go only to those who have not answered: at most this many, this far apart.
SURVEY_REMINDER_MAX = env.int("SURVEY_REMINDER_MAX", default=2)
SURVEY_REMINDER_MIN_GAP_DAYS = env.int("SURVEY_REMINDER_MIN_GAP_DAYS", default=5)
# Anonymous answers reach the results in shuffled batches of at least this many per survey and
# round (surveys/services/anonymity.py); a smaller batch stays held.
SURVEY_ANONYMITY_BATCH = env.int("SURVEY_ANONYMITY_BATCH", default=5)
if SURVEY_ANONYMITY_BATCH < 5:
    raise ImproperlyConfigured("SURVEY_ANONYMITY_BATCH must be 5 or more: fewer names people.")

# The outbox: how long a row may stay in "sending" before another worker may reclaim it (far
# longer than a batch takes: a reclaimed row whose worker is alive would go twice).
OUTBOX_SENDING_LEASE = timedelta(seconds=env.int("OUTBOX_SENDING_LEASE_SECONDS", default=600))
# Retries wait 1, 2, 4… times this, at most OUTBOX_RETRY_MAX_SECONDS: a task's countdown must
# stay well under the Redis visibility timeout (3600 s), or Redis would deliver it twice.
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=1800)
# Emails sent per task over one SMTP connection, and attempts before a row is marked failed.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=200)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
# Sent messages are recorded this many at a time: a worker killed mid-batch re-sends at most
# this many (those the SMTP server had accepted since the last record). 1 = each on its own.
OUTBOX_RECORD_EVERY = env.int("OUTBOX_RECORD_EVERY", default=10)
# Temporary bounces of different emails in a row (none delivered between) that suppress an
# address, as a hard bounce does at once.
OUTBOX_SOFT_BOUNCE_LIMIT = env.int("OUTBOX_SOFT_BOUNCE_LIMIT", default=3)
# A check-in round is handed to the workers this many people per task, each chunk recorded and
# queued in one transaction: the workers write chunks in parallel and send each as it commits.
CHECKIN_ROUND_CHUNK = env.int("CHECKIN_ROUND_CHUNK", default=500)

# The name in the header, page titles and the admin, where the full name would not fit a phone.
COMMUNITY_SHORT_NAME = env.str("COMMUNITY_SHORT_NAME", default="City Librarians")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # /healthz is probed over plain HTTP inside the container network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): everything from this site, nothing inline, no eval. The
# templates carry no inline script or style; htmx is told not to add its indicator <style> and
# not to eval (see the htmx-config meta tag in base.html). data: images are Bootstrap's SVG
# icons inside its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# The real client address behind reverse proxies (allauth's rate limits are keyed on it): the
# number of proxies in front of the portal that append to X-Forwarded-For (0: none, use the
# connecting address). Set it to what the deployment has; more would let clients spoof theirs.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
