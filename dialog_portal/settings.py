"""Dialogportalen settings: one module, configured from the environment.

With nothing set the portal runs on the embedded default: SQLite, a local-memory
cache and Celery on kombu's filesystem broker (no server needed). Set
``DATABASE_URL`` and ``REDIS_URL`` to run on PostgreSQL and Redis. Every variable
is documented in ``.env.example`` and the README.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dialog_portal import branding
from meetings import sso_config

BASE_DIR = Path(__file__).resolve().parent.parent

# Every setting below is read after .env is loaded, so a value there counts (the environment still wins).
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# A relative folder is taken from the project's folder (where .env lives), not from wherever the command runs.
VAR_DIR = BASE_DIR / env.str("DIALOG_VAR_DIR", default="var")

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The absolute address of the portal, used in e-mails and calendar feeds.
# Unset, it follows the port `make run` serves on (PORT, exported by scripts/run), so `PORT=8080 make run` links to
# localhost:8080.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default=f"http://localhost:{env.int('PORT', default=8000)}").rstrip("/")
PORTAL_MUNICIPALITY_NAME = env.str("PORTAL_MUNICIPALITY_NAME", default="Dalby Kommune")
# Where people write to the secretariat (shown where only the secretariat can help, e.g. changing a login address).
PORTAL_SECRETARIAT_EMAIL = env.str("PORTAL_SECRETARIAT_EMAIL", default="")


def _refuse_bad(check, *args, **kwargs):
    """A setting checked by dialog_portal/branding.py; a bad one stops the portal here, with what to do."""
    try:
        return check(*args, **kwargs)
    except branding.BrandingError as exc:
        raise ImproperlyConfigured(str(exc)) from None


# The municipality's look: the header's colour (white text on it must reach 4.5:1, or the portal does not start) and
# its logo (an https address, or a path among the static files), shown in the header with the name as its text.
PORTAL_BRAND_COLOUR = _refuse_bad(
    branding.brand_colour, env.str("PORTAL_BRAND_COLOUR", default=branding.DEFAULT_BRAND_COLOUR)
)
PORTAL_LOGO = _refuse_bad(branding.logo, env.str("PORTAL_LOGO", default=""))

# --- The pages a Danish public site must have (dialog_portal/site_pages.py; docs/production.md) -----------------
# The accessibility statement the municipality publishes in the Agency for Digital Government's WAS tool: /was and
# the footer's link lead there. Unset, the portal shows its own statement at /tilgaengelighed/, from these settings.
DIALOG_WAS_URL = _refuse_bad(branding.https_address, env.str("DIALOG_WAS_URL", default=""), setting="DIALOG_WAS_URL")
# Whether the portal meets WCAG 2.1 AA: "full", "partial" (the known exceptions are listed) or "none".
DIALOG_ACCESSIBILITY_CONFORMANCE = env.str("DIALOG_ACCESSIBILITY_CONFORMANCE", default="partial")
if DIALOG_ACCESSIBILITY_CONFORMANCE not in ("full", "partial", "none"):
    raise ImproperlyConfigured("DIALOG_ACCESSIBILITY_CONFORMANCE must be full, partial or none.")
# The day (YYYY-MM-DD) the statement was last reviewed, and where to report what is hard to use.
_reviewed = env.str("DIALOG_ACCESSIBILITY_REVIEWED", default="")
try:
    DIALOG_ACCESSIBILITY_REVIEWED = dt.date.fromisoformat(_reviewed) if _reviewed else None
except ValueError:
    raise ImproperlyConfigured(
        f"DIALOG_ACCESSIBILITY_REVIEWED must be a date as YYYY-MM-DD, not {_reviewed!r}."
    ) from None
DIALOG_ACCESSIBILITY_EMAIL = env.str("DIALOG_ACCESSIBILITY_EMAIL", default=PORTAL_SECRETARIAT_EMAIL)
DIALOG_ACCESSIBILITY_PHONE = env.str("DIALOG_ACCESSIBILITY_PHONE", default="")
# The privacy notice at /privatliv/: a Markdown file the municipality edits (a relative path is taken from the project
# folder; read on every visit, so an edit shows at once), else the portal's own text. With the data protection
# officer's contact either way.
DIALOG_PRIVACY_NOTICE_FILE = env.str("DIALOG_PRIVACY_NOTICE_FILE", default="")
if DIALOG_PRIVACY_NOTICE_FILE:
    DIALOG_PRIVACY_NOTICE_FILE = str(BASE_DIR / DIALOG_PRIVACY_NOTICE_FILE)
    if not Path(DIALOG_PRIVACY_NOTICE_FILE).is_file():
        raise ImproperlyConfigured(f"DIALOG_PRIVACY_NOTICE_FILE {DIALOG_PRIVACY_NOTICE_FILE} is not a file.")
DIALOG_DPO_NAME = env.str("DIALOG_DPO_NAME", default="")
DIALOG_DPO_EMAIL = env.str("DIALOG_DPO_EMAIL", default="")
DIALOG_DPO_PHONE = env.str("DIALOG_DPO_PHONE", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    # The floors, bottom to top (docs/architecture.md).
    "core",
    "meetings",
    "codex",
    "agreements",
    "meetings.visits",
    "meetings.rotation",
    "meetings.hearings",
    "meetings.questions",
    "meetings.stories",
    "dialog_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Instead of Django's LocaleMiddleware: Danish until the person chooses (never the browser's Accept-Language).
    "meetings.middleware.PersonLanguageMiddleware",
    "dialog_portal.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "meetings.middleware.RequireTwoFactorMiddleware",
    "meetings.middleware.LoadRolesMiddleware",
]

ROOT_URLCONF = "dialog_portal.urls"
WSGI_APPLICATION = "dialog_portal.wsgi.application"

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
                "dialog_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the Celery worker share the file.
    # IMMEDIATE makes concurrent writers wait for each other instead of failing mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
    # The visits' start-time index carries status, workplace and id as covering columns for PostgreSQL's index-only
    # scans (migration 0029); SQLite, the embedded default, has no such columns and builds the index on the start time
    # alone. Said once here rather than as a warning every migrate prints on the embedded default.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# The test suite runs in several processes (pytest-xdist, docs/development.md), which set PYTEST_XDIST_WORKER to gw0,
# gw1, ... before these settings load; the processes they start inherit it. Each test process takes a Redis database
# of its own, REDIS_URL's number plus its own (gw1 of .../6 uses .../7), and Celery folders of its own: the tests
# empty the cache before each test (FLUSHDB) and run real Celery workers, and one process must never empty another's
# cache and sessions or take its tasks. Unset (the portal, a plain pytest run) nothing changes.
TEST_PROCESS = env.str("PYTEST_XDIST_WORKER", default="")


def _redis_database_plus(url: str, offset: int) -> str:
    """``url`` with its database number (the path; 0 when none) raised by ``offset``."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + offset
    return urlunsplit(parts._replace(path=f"/{number}"))


if REDIS_URL and TEST_PROCESS:
    REDIS_URL = _redis_database_plus(REDIS_URL, int(TEST_PROCESS.removeprefix("gw")))
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis outage is a cache miss, not a server error (see dialog_portal/cache.py).
            "BACKEND": "dialog_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Sessions are read from the shared cache (one Redis round trip instead of a query), and written to the
    # database too; the cached copy lives five minutes at most (core/sessions.py).
    SESSION_ENGINE = "core.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Never sessions in a per-process cache: a session logged out in one process would live on in the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    _celery_dir = VAR_DIR / "celery" / TEST_PROCESS if TEST_PROCESS else VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # One folder for both directions: producer and worker share this machine.
        "data_folder_in": str(_celery_dir / "broker"),
        "data_folder_out": str(_celery_dir / "broker"),
        "control_folder": str(_celery_dir / "control"),
        # The worker looks for new messages this often (seconds); the default of one second adds up.
        "polling_interval": 0.1,
    }
    CELERY_RESULT_BACKEND = f"file://{_celery_dir / 'results'}"
    for _folder in ("broker", "control", "results"):
        (_celery_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=CELERY_BROKER_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_RESULT_BACKEND)
if CELERY_BROKER_URL.startswith("redis"):
    # A task taken by a worker that dies before acknowledging it goes to another worker after this many
    # seconds; keep it above the longest task (planning a year takes seconds).
    # Workers look for such tasks every CELERY_UNACKED_RESTORE_INTERVAL seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Copenhagen"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # Remind those who still must sign the codex of trust (never twice a week for one version).
    "codex-remind-unsigned": {
        "task": "codex.tasks.remind_unsigned",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    # Remind the owner and the committee of items on the positive list due for review (once per review date).
    "codex-remind-policy-reviews": {
        "task": "codex.tasks.remind_policy_reviews",
        "schedule": crontab(minute=30, hour=7),
    },
    # Remind the committee's chair and the leader that a trial granted on a challenge of a rule ends soon.
    "codex-remind-trial-ends": {
        "task": "codex.tasks.remind_trial_ends",
        "schedule": crontab(minute=45, hour=7),
    },
    # Notices whose hand-over to the broker failed (broker down) are handed over again.
    "outbox-flush": {
        "task": "core.tasks.flush_outbox",
        "schedule": 60.0,
    },
    # Signed development agreements come into force when their period begins.
    "agreements-activate-due": {
        "task": "agreements.tasks.activate_due",
        "schedule": crontab(minute=5, hour=6),
    },
    # Remind whoever an agreement has waited on for more than DIALOG_AGREEMENT_REMINDER_DAYS days.
    "agreements-remind-waiting": {
        "task": "agreements.tasks.remind_waiting",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon-fri"),
    },
    # Tell leaders and chairs that a mid-term or final follow-up is coming up.
    "agreements-remind-followups": {
        "task": "agreements.tasks.remind_followups",
        "schedule": crontab(minute=10, hour=8, day_of_week="mon-fri"),
    },
    # Reminders 28 and 7 days before each committee meeting (never twice).
    "rotation-meeting-reminders": {
        "task": "meetings.rotation.tasks.send_meeting_reminders",
        "schedule": crontab(minute=0, hour=7),
    },
    # From DIALOG_ROTATION_DRAFT_DAY on, next year's draft plans for committees without one.
    "rotation-autumn-drafts": {
        "task": "meetings.rotation.tasks.draft_next_year_rotation",
        "schedule": crontab(minute=30, hour=6),
    },
    # On the 1st, the equal-access ledger of the month that ended is published on the public pages.
    "rotation-monthly-ledger": {
        "task": "meetings.rotation.tasks.publish_monthly_ledger",
        "schedule": crontab(minute=45, hour=3, day_of_month=1),
    },
    # Re-compute the audit log's and the signature log's hash chains; administrators are told of any break.
    "audit-verify-chains": {
        "task": "core.tasks.verify_chains",
        "schedule": crontab(minute=40, hour=2),
    },
    # Three working days before a hearing deadline, remind the workplaces that have not answered.
    "hearings-remind": {
        "task": "meetings.hearings.tasks.send_hearing_reminders",
        "schedule": crontab(minute=20, hour=7, day_of_week="mon-fri"),
    },
    # The day after a hearing deadline, tell the secretariat which responses are missing.
    "hearings-deadline-passed": {
        "task": "meetings.hearings.tasks.notice_missing_responses",
        "schedule": crontab(minute=25, hour=7),
    },
    # Two working days before a question's deadline, remind the leader of a workplace that has not answered.
    "questions-remind": {
        "task": "meetings.questions.tasks.send_question_reminders",
        "schedule": crontab(minute=35, hour=7, day_of_week="mon-fri"),
    },
    # Visits and meetings that are over and unconfirmed: remind those who must say what happened (once, then once
    # more after DIALOG_OUTCOME_REMINDER_DAYS). Nothing is marked held automatically.
    "visits-outcome-remind": {
        "task": "meetings.visits.tasks.remind_visit_outcomes",
        "schedule": crontab(minute=15),
    },
    # Monday morning: each person's weekly digest of notices (one e-mail, none when there is nothing new).
    "notice-digests": {
        "task": "meetings.notice_tasks.send_notice_digests",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
    "meetings-outcome-remind": {
        "task": "meetings.rotation.tasks.remind_meeting_outcomes",
        "schedule": crontab(minute=17),
    },
    # Holds for the waiting list that have lapsed: the time goes to the next in line.
    "visits-waitlist-lapse": {
        "task": "meetings.visits.tasks.lapse_waitlist_holds",
        "schedule": crontab(minute="*/10"),
    },
}

# --- Authentication (django-allauth) -------------------------------------------
AUTH_USER_MODEL = "meetings.User"
# Django's and allauth's backends, reading the signed-in person from the cache (meetings/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "meetings.auth_backends.CachedModelBackend",
    "meetings.auth_backends.CachedAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "meetings.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# The login address is set by the secretariat (import or admin) and is how the import finds a person: nobody adds
# or changes their own (the e-mail page only shows it; meetings/account_views.py). So the address counts as checked,
# and two-factor can be set up without a verification round.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
MFA_ALLOW_UNVERIFIED_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    # Failed logins per client address and per account. Past the address's limit a client is refused for a while;
    # past the account's, every password is refused alike and the owner who typed the right one gets a set-password
    # link by e-mail (meetings/login_protection.py).
    "login_failed": env.str("ACCOUNT_RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
# The client's address, which the rate limits count by. Behind a load balancer or TLS proxy every request comes from
# the proxy, so one client's failures would lock out everyone: set how many proxies in front of the portal append
# to X-Forwarded-For (the client is the address that many places from the end), or the header one trusted proxy
# sets to the client's address. With neither (the default) the forwarding headers are ignored, so nobody can choose
# their own address by sending one.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DIALOG_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("DIALOG_TRUSTED_CLIENT_IP_HEADER", default="") or None
ACCOUNT_SESSION_REMEMBER = None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Dialogportalen"
MFA_ADAPTER = "meetings.adapters.MFAAdapter"
# Fernet keys that encrypt TOTP secrets and recovery-code seeds at rest (comma-separated; the first encrypts, all
# decrypt). Required in production; while debugging a key is derived from the secret key (meetings/mfa_crypto.py).
DIALOG_MFA_KEYS = env.list("DIALOG_MFA_KEY", default=[])
_MAKE_MFA_KEY = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
if not DEBUG and not DIALOG_MFA_KEYS:
    raise ImproperlyConfigured(f"DIALOG_MFA_KEY must be set when DJANGO_DEBUG is off (make one with: {_MAKE_MFA_KEY}).")
for _key in DIALOG_MFA_KEYS:
    try:
        Fernet(_key.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"DIALOG_MFA_KEY holds a value that is not a Fernet key; make one with: {_MAKE_MFA_KEY}"
        ) from None
# When on, politicians and administrators must set up two-factor before using the portal.
DIALOG_REQUIRE_MFA = env.bool("DIALOG_REQUIRE_MFA", default=not DEBUG)
# Invitation and password-reset links stay valid this long (seconds).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=7 * 24 * 3600)

# --- Single sign-on (django-allauth's OpenID Connect and SAML providers; docs/sso.md) ----------------------------
# Each identity provider is a JSON object in a list; every one gets a button on the login page, by its name. Nobody is
# created by a login: the first login links an existing person (by a verified e-mail address or a subject id the
# secretariat registered), later logins find them by the provider's subject id (meetings/sso.py).
_SAML_SP_CERT_FILE = env.str("DIALOG_SAML_SP_CERT_FILE", default="")
_SAML_SP_KEY_FILE = env.str("DIALOG_SAML_SP_KEY_FILE", default="")
if bool(_SAML_SP_CERT_FILE) != bool(_SAML_SP_KEY_FILE):
    raise ImproperlyConfigured("Set both DIALOG_SAML_SP_CERT_FILE and DIALOG_SAML_SP_KEY_FILE, or neither.")
_seen_sso_ids: set[str] = set()
DIALOG_OIDC_PROVIDERS = sso_config.oidc_providers(env.json("DIALOG_OIDC_PROVIDERS", default=[]), seen=_seen_sso_ids)
DIALOG_SAML_PROVIDERS = sso_config.saml_providers(
    env.json("DIALOG_SAML_PROVIDERS", default=[]),
    sp_cert=Path(_SAML_SP_CERT_FILE).read_text(encoding="ascii") if _SAML_SP_CERT_FILE else "",
    sp_key=Path(_SAML_SP_KEY_FILE).read_text(encoding="ascii") if _SAML_SP_KEY_FILE else "",
    seen=_seen_sso_ids,
)
SOCIALACCOUNT_PROVIDERS = sso_config.socialaccount_providers(oidc=DIALOG_OIDC_PROVIDERS, saml=DIALOG_SAML_PROVIDERS)
# The roles that must log in through single sign-on (comma-separated: administrators, politicians, leaders, trio).
# Their password login is refused with a pointer to the provider's button, and the portal's own two-factor is not
# asked of them: the provider's counts.
DIALOG_SSO_ONLY = sso_config.sso_only_roles(env.list("DIALOG_SSO_ONLY", default=[]))
if DIALOG_SSO_ONLY and not SOCIALACCOUNT_PROVIDERS:
    raise ImproperlyConfigured("DIALOG_SSO_ONLY is set, but no provider is configured: nobody it names could log in.")
SOCIALACCOUNT_ADAPTER = "meetings.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking by e-mail is the portal's own, stricter rule (meetings/sso.py)
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the buttons post a form (with CSRF) that starts the login
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("DIALOG_SSO_TIMEOUT", default=10)

# --- Domain settings -------------------------------------------------------------
# Seats a host needs beyond the committee's members (the secretariat).
DIALOG_SECRETARIAT_SEATS = env.int("DIALOG_SECRETARIAT_SEATS", default=2)
# A workplace too small to seat its committee hosts in a borrowed venue: must that room be step-free, and how far
# away (km, by coordinates) may it be? Empty: no limit.
DIALOG_ROTATION_VENUE_STEP_FREE = env.bool("DIALOG_ROTATION_VENUE_STEP_FREE", default=True)
DIALOG_ROTATION_VENUE_MAX_KM = env.float("DIALOG_ROTATION_VENUE_MAX_KM", default=None)
# Turn the codex-of-trust gate on guarded actions off (e.g. during a roll-out).
DIALOG_CODEX_GATE = env.bool("DIALOG_CODEX_GATE", default=True)
# After a material change to the codex, people who had signed the version before may go on this many days (they see
# the banner with the last day) before the gate stops them. 0 stops them the day the new version comes into force.
DIALOG_CODEX_GRACE_DAYS = env.int("DIALOG_CODEX_GRACE_DAYS", default=14)
# The day (MM-DD) each autumn from which next year's rotation drafts are made and the secretariat told.
DIALOG_ROTATION_DRAFT_DAY = env.str("DIALOG_ROTATION_DRAFT_DAY", default="10-01")
# The equal-access map's background tiles: an https address with {z}, {x} and {y} (the usual tile scheme). Empty,
# the default, draws the map without tiles (the points, their names and a legend); the tile server's origin is added
# to the Content Security Policy's img-src. Its attribution is shown under the map.
DIALOG_MAP_TILES_URL = _refuse_bad(
    branding.https_address, env.str("DIALOG_MAP_TILES_URL", default=""), setting="DIALOG_MAP_TILES_URL"
)
if DIALOG_MAP_TILES_URL and not all(part in DIALOG_MAP_TILES_URL for part in ("{z}", "{x}", "{y}")):
    raise ImproperlyConfigured(
        f"DIALOG_MAP_TILES_URL must contain {{z}}, {{x}} and {{y}}, not {DIALOG_MAP_TILES_URL!r}."
    )
DIALOG_MAP_TILES_ATTRIBUTION = env.str("DIALOG_MAP_TILES_ATTRIBUTION", default="")
# A hearing period (from registering a matter to its deadline) is at least this many working days; a shorter one
# needs a written reason.
DIALOG_HEARING_WORKING_DAYS = env.int("DIALOG_HEARING_WORKING_DAYS", default=10)
# A file attached to a matter may be at most this many MB.
DIALOG_HEARING_FILE_MAX_MB = env.int("DIALOG_HEARING_FILE_MAX_MB", default=20)
# The owner and the committee are reminded this many days before an item on the positive list is due for review.
DIALOG_POLICY_REVIEW_NOTICE_DAYS = env.int("DIALOG_POLICY_REVIEW_NOTICE_DAYS", default=30)
# A question to a workplace is due this many working days after it is asked (Danish holidays excluded).
DIALOG_QUESTION_WORKING_DAYS = env.int("DIALOG_QUESTION_WORKING_DAYS", default=10)
# A story's photo larger than this many megabytes is refused (before it is resized and stripped of metadata).
DIALOG_STORY_PHOTO_MAX_MB = env.int("DIALOG_STORY_PHOTO_MAX_MB", default=10)
# The chair and the leader are reminded this many days before a trial granted on a challenge of a rule ends.
DIALOG_CHALLENGE_TRIAL_REMINDER_DAYS = env.int("DIALOG_CHALLENGE_TRIAL_REMINDER_DAYS", default=30)
# At most this many goals in one development agreement.
DIALOG_MAX_GOALS = env.int("DIALOG_MAX_GOALS", default=5)
# Remind whoever must act on a development agreement that has waited this many days (and again every as many).
DIALOG_AGREEMENT_REMINDER_DAYS = env.int("DIALOG_AGREEMENT_REMINDER_DAYS", default=7)
# Tell the leader and the committee's chair this many days before an agreement's follow-up is due.
DIALOG_AGREEMENT_FOLLOWUP_NOTICE_DAYS = env.int("DIALOG_AGREEMENT_FOLLOWUP_NOTICE_DAYS", default=14)
# A politician's visits and committee meetings at different addresses need this many minutes between them.
DIALOG_TRAVEL_MINUTES = env.int("DIALOG_TRAVEL_MINUTES", default=30)
# A visit or meeting that is over and unconfirmed is reminded about once, and once more after this many days.
DIALOG_OUTCOME_REMINDER_DAYS = env.int("DIALOG_OUTCOME_REMINDER_DAYS", default=7)
# A politician makes at most this many visits to the same workplace within 12 months, so attention spreads (0: no cap).
DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR = env.int("DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR", default=4)
# A time that opens is held this many hours for the first on a workplace's waiting list, then offered to the next.
DIALOG_WAITLIST_HOLD_HOURS = env.float("DIALOG_WAITLIST_HOLD_HOURS", default=24)
# Refuse organisation import files with more data rows than this.
DIALOG_IMPORT_MAX_ROWS = env.int("DIALOG_IMPORT_MAX_ROWS", default=50000)
# A notice whose delivery failed this many times is set aside as undeliverable (administrators see it and can retry).
DIALOG_OUTBOX_MAX_ATTEMPTS = env.int("DIALOG_OUTBOX_MAX_ATTEMPTS", default=8)
# Seconds before a failed notice is tried again; doubled after each failure, at most an hour (30 s: about an hour
# in all before a notice is given up with the default of 8 attempts).
DIALOG_OUTBOX_RETRY_SECONDS = env.float("DIALOG_OUTBOX_RETRY_SECONDS", default=30)

# --- The hash chains (audit log, signature log) ------------------------------------------
# The secret that keys every entry's hash (HMAC-SHA256): without it nobody can recompute a chain after editing it.
# Keep it outside the database (and its backups). To rotate, put the new key here and the old one in
# DIALOG_CHAIN_OLD_KEYS: each entry names its key by an id derived from the key, so old entries keep verifying.
_DEV_CHAIN_KEY = "dev-only-chain-key-do-not-use-in-production-0123456789"
DIALOG_CHAIN_KEY = env.str("DIALOG_CHAIN_KEY", default=_DEV_CHAIN_KEY if DEBUG else "")
if not DIALOG_CHAIN_KEY:
    raise ImproperlyConfigured("DIALOG_CHAIN_KEY must be set when DJANGO_DEBUG is off.")
DIALOG_CHAIN_OLD_KEYS = env.list("DIALOG_CHAIN_OLD_KEYS", default=[])
# Each new head of a chain is appended (and fsync'd) to a file here after commit; the file is never rewritten.
# Keep it where the database's users cannot write (another disk, a log shipper, chattr +a).
DIALOG_ANCHOR_DIR = Path(env.str("DIALOG_ANCHOR_DIR", default=str(VAR_DIR / "anchors")))

# --- E-mail -----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Dialogportalen <noreply@dialog.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Danish and English date and time formats (core/dates.py, docs/danish.md).
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "dialog_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # a year: the choice outlives the session

# --- Static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ---------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's own CSRF page is English and bare; ours is translated and says what to do.
CSRF_FAILURE_VIEW = "dialog_portal.views.csrf_failure"
# Content Security Policy (django-csp): our own files only. No inline scripts or styles anywhere, so no
# 'unsafe-inline'; images may be data: URIs (the two-factor QR code), and come from the logo's host when PORTAL_LOGO
# is an address and from the map's tile server when DIALOG_MAP_TILES_URL is set.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [
            SELF,
            "data:",
            *filter(None, [branding.logo_origin(PORTAL_LOGO), branding.logo_origin(DIALOG_MAP_TILES_URL)]),
        ],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The login buttons' forms lead on to the identity providers.
        "form-action": [SELF, *sso_config.login_origins(DIALOG_OIDC_PROVIDERS, DIALOG_SAML_PROVIDERS)],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secrets in addresses (calendar feeds, set-password links) are masked in every log line
    # (dialog_portal/log_filters.py).
    "filters": {"mask_secrets": {"()": "dialog_portal.log_filters.MaskSecretPaths"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["mask_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Named so its handlers from Django's own defaults (a second console) are removed: its lines reach the
        # root's console once. Without this every Django log line was printed twice.
        "django": {"level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        # "Not Found: <path>" and friends.
        "django.request": {"filters": ["mask_secrets"]},
        # runserver's access log.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["mask_secrets"],
        },
    },
}
