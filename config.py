"""Configuration classes, chosen by PDPLANNER_CONFIG (development, test or production)."""

import os
from datetime import timedelta


def _env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_limit(name: str, default: str) -> tuple[int, int]:
    """Read an attempt limit written "attempts/seconds", e.g. "30/600"."""
    attempts, seconds = os.environ.get(name, default).split("/")
    return int(attempts), int(seconds)


class Config:
    """Settings shared by every environment."""

    #: Read from the environment by create_app(); development generates one in instance/.
    SECRET_KEY: str | None = None
    #: Old keys still accepted for sessions and signed links while a new one rolls out.
    SECRET_KEY_FALLBACKS = [k for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k]
    #: None means "SQLite in the instance folder"; DATABASE_URL overrides it (see create_app).
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    #: Absolute address used in e-mailed links (e.g. https://pd.example.org).
    BASE_URL = os.environ.get("BASE_URL", "http://localhost:5000")

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    WTF_I18N_ENABLED = True
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "fr")

    #: Argon2id cost; OWASP minimum is m=19 MiB, t=2, p=1. These defaults sit above it.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 1

    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_LOCKOUT = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
    PASSWORD_RESET_MAX_AGE = 3600
    #: Attempts allowed per window (attempts, seconds), counted in the database so every
    #: worker and host shares them. A successful sign-in gives its attempt back.
    THROTTLE_SIGN_IN_PER_ADDRESS = _env_limit("THROTTLE_SIGN_IN_PER_ADDRESS", "30/600")
    THROTTLE_SIGN_IN_PER_ACCOUNT = _env_limit("THROTTLE_SIGN_IN_PER_ACCOUNT", "10/600")
    THROTTLE_RESET_PER_ADDRESS = _env_limit("THROTTLE_RESET_PER_ADDRESS", "10/3600")
    THROTTLE_RESET_PER_ACCOUNT = _env_limit("THROTTLE_RESET_PER_ACCOUNT", "3/3600")
    THROTTLE_INVITE_PER_ADDRESS = _env_limit("THROTTLE_INVITE_PER_ADDRESS", "30/3600")
    THROTTLE_INVITE_PER_ACCOUNT = _env_limit("THROTTLE_INVITE_PER_ACCOUNT", "3/3600")
    #: How many reverse proxies in front of the app set X-Forwarded-For/-Proto. 0 (the
    #: default) trusts none: the client address is the connection's.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    #: How long an invitation's link lets a new person choose their password (seconds).
    INVITATION_MAX_AGE = 7 * 24 * 3600

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "pdplanner <no-reply@localhost>")
    MAIL_TIMEOUT = 10
    #: The domain after the @ of our Message-IDs (default: BASE_URL's host name).
    MAIL_MESSAGE_ID_DOMAIN = os.environ.get("MAIL_MESSAGE_ID_DOMAIN")
    #: The demo only (`pdplanner demo` without MAIL_SERVER): print each mail to the console.
    MAIL_TO_CONSOLE = False

    #: SMS: the provider (android-gateway, twilio; none: texts wait in the outbox), its base
    #: URL when not the provider's own (a gateway phone on the local network), credentials,
    #: the sender (Twilio's From), the webhook signing key (the Android gateway's).
    SMS_PROVIDER = os.environ.get("SMS_PROVIDER") or None
    SMS_API_URL = os.environ.get("SMS_API_URL") or None
    SMS_USERNAME = os.environ.get("SMS_USERNAME")
    SMS_PASSWORD = os.environ.get("SMS_PASSWORD")
    SMS_SENDER = os.environ.get("SMS_SENDER", "")
    SMS_WEBHOOK_SECRET = os.environ.get("SMS_WEBHOOK_SECRET")
    SMS_TIMEOUT = int(os.environ.get("SMS_TIMEOUT", "15"))
    #: No text between these local hours (21:00 to 07:00): it waits for the morning.
    SMS_QUIET_FROM = 21
    SMS_QUIET_UNTIL = 7

    #: Reminders: how often the scheduler sweeps, how far back a sweep looks after downtime.
    REMINDER_SWEEP_SECONDS = int(os.environ.get("REMINDER_SWEEP_SECONDS", "300"))
    REMINDER_LOOKBACK_DAYS = 14
    SESSION_TOP_UP_SECONDS = 6 * 3600
    #: Insights: how often the scheduler rebuilds the dashboard's snapshot, and how young a
    #: snapshot may be before "Refresh now" rebuilds it again.
    INSIGHTS_REFRESH_SECONDS = int(os.environ.get("INSIGHTS_REFRESH_SECONDS", "600"))
    INSIGHTS_REFRESH_MIN_SECONDS = 60
    REMINDER_STALE_DAYS = int(os.environ.get("REMINDER_STALE_DAYS", "30"))
    #: How long a claim on outbox messages lasts; the sender renews it once half is spent,
    #: so it must exceed twice the longest single send (MAIL_TIMEOUT per SMTP step).
    OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
    OUTBOX_MAX_ATTEMPTS = 6
    #: Send a mail queued by a request inline (tests) instead of in a short-lived thread.
    MAIL_SEND_INLINE = False

    #: A share-back is due this many days after an exchange ends.
    EXCHANGE_SHARE_BACK_DAYS = int(os.environ.get("EXCHANGE_SHARE_BACK_DAYS", "14"))
    LESSONS_PER_PAGE = 20

    PEOPLE_PER_PAGE = 25
    #: Above this many active people, a person's supervisor is typed as an e-mail address
    #: instead of picked from a list of everyone (which grows with the organisation).
    SUPERVISOR_SELECT_MAX = int(os.environ.get("SUPERVISOR_SELECT_MAX", "300"))
    #: People per page of My team (a director's branch can be the whole organisation): as many
    #: as People shows, which covers a supervisor's direct reports on the first page. Each row
    #: counts the person's dates and sessions, so the page's cost follows this number.
    TEAM_PER_PAGE = 25
    #: The insights dashboard's supervision table shows this many supervisors at most (those
    #: furthest from their routine); its CSV lists them all.
    INSIGHTS_SUPERVISORS_SHOWN = 30
    #: My learning asks "did it happen?" about this many past dates at most (the latest,
    #: oldest first); the plan lists them all.
    HOME_TO_RESOLVE_SHOWN = 5
    #: The skills matrix shows this many ratings at most (the highest); its CSV lists them all.
    INSIGHTS_MATRIX_SHOWN = 300
    #: Each web process keeps the dashboard as rendered per scope until the snapshot changes:
    #: at most this many renderings and characters (about 60,000 a page at 10,000 people).
    INSIGHTS_CACHE_ENTRIES = 64
    INSIGHTS_CACHE_CHARS = 4_000_000
    #: Set to False by tests that check production-only behaviour.
    SECURITY_HSTS = False


class DevelopmentConfig(Config):
    """Local use: SQLite in instance/, a secret key generated once and kept there."""

    DEBUG = False


class TestConfig(Config):
    """Fresh in-memory database per app; fast password hashing; CSRF stays on."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
    #: Tests never touch DATABASE_URL; TEST_DATABASE_URL picks PostgreSQL (see create_app).
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8192
    BASE_URL = "http://localhost"
    MAIL_SERVER = None
    MAIL_SEND_INLINE = True
    INSIGHTS_REFRESH_MIN_SECONDS = 0  # "Refresh now" always rebuilds; one test sets a limit
    MAIL_TIMEOUT = 3
    SMS_PROVIDER = None
    SMS_TIMEOUT = 2


class ProductionConfig(Config):
    """Behind gunicorn and HTTPS, on PostgreSQL; refuses to start when unsafe."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    SECURITY_HSTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
