"""pdplanner: a staff professional-development planner with goal tracking."""

from __future__ import annotations

import importlib
import os
import secrets
import time
from pathlib import Path

from flask import Flask, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from pdplanner import paths
from pdplanner.extensions import babel, csrf, db, login_manager, migrate
from pdplanner.inputs import register_input_guards

WEAK_SECRET_MARKERS = ("change", "secret", "dev", "test", "example")


def load_config_module():
    """Import config.py from the wheel (pdplanner.config) or the source tree (config)."""
    try:
        return importlib.import_module("pdplanner.config")
    except ModuleNotFoundError:
        return importlib.import_module("config")


def create_app(config: str | type | None = None, **overrides) -> Flask:
    """Build the app: config → extensions → blueprints → errors → CLI; start nothing."""
    app = Flask(
        __name__,
        template_folder=str(paths.resource_dir("templates")),
        static_folder=str(paths.resource_dir("static")),
        instance_path=os.environ.get("PDPLANNER_INSTANCE") or None,
    )
    configure(app, config, overrides)
    register_extensions(app)
    register_input_guards(app)  # before the blueprints: their <int:…> rules use its converter
    register_blueprints(app)
    register_errors_and_security(app)
    register_template_helpers(app)
    return app


def configure(app: Flask, config, overrides: dict) -> None:
    """Load the configuration class, then environment and keyword overrides."""
    module = load_config_module()
    name = config or os.environ.get("PDPLANNER_CONFIG", "development")
    app.config.from_object(module.CONFIGS[name] if isinstance(name, str) else name)
    # Tests read TEST_DATABASE_URL only, so a suite never runs against a real DATABASE_URL.
    url_variable = "TEST_DATABASE_URL" if app.config.get("TESTING") else "DATABASE_URL"
    if os.environ.get(url_variable):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ[url_variable]
    if os.environ.get("SECRET_KEY") and not app.config.get("TESTING"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config.update(overrides)
    production = name == "production" or getattr(name, "__name__", "") == "ProductionConfig"
    if production:
        check_production(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = Path(app.instance_path) / "pdplanner.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    translations = paths.resource_dir("translations")
    paths.compile_stale_translations(translations)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)


def check_production(app: Flask) -> None:
    """Refuse to start production without a database URL and a strong secret key."""
    key = app.config.get("SECRET_KEY") or ""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        raise RuntimeError("Production needs DATABASE_URL (e.g. postgresql+psycopg://…).")
    if len(key) < 32 or any(marker in key.lower() for marker in WEAK_SECRET_MARKERS):
        raise RuntimeError(
            "Production needs a strong SECRET_KEY: at least 32 random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
        )


def instance_secret_key(instance: Path) -> str:
    """Read the development secret key kept in instance/, creating it the first time."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


#: How often a pooled SQLite connection refreshes the query planner's statistics (seconds).
OPTIMIZE_EVERY = 3600.0


def _is_sqlite(dbapi_connection) -> bool:
    return dbapi_connection is not None and \
        type(dbapi_connection).__module__.startswith("sqlite3")


def _optimize(dbapi_connection, connection_record, mask: str = "") -> None:
    """Run SQLite's PRAGMA optimize (usually a no-op; a bounded ANALYZE when stale)."""
    try:
        dbapi_connection.execute(f"PRAGMA optimize{mask}")
    except Exception:  # noqa: BLE001 - statistics are an optimisation; never fail a request
        return
    connection_record.info["optimized_at"] = time.monotonic()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Turn on WAL, a busy timeout and foreign keys for every SQLite connection."""
    if not _is_sqlite(dbapi_connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is durable against application crashes and much faster to commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # SQLite's advice for long-lived connections: a bounded optimize of every table on open,
    # then a plain one now and then (below), so the planner's statistics stay current.
    cursor.execute("PRAGMA analysis_limit=400")
    cursor.close()
    _optimize(dbapi_connection, connection_record, "=0x10002")


@event.listens_for(Engine, "checkin")
def _sqlite_optimize_now_and_then(dbapi_connection, connection_record):
    """Refresh statistics of the tables this pooled connection used, at most hourly."""
    if _is_sqlite(dbapi_connection) and \
            time.monotonic() - connection_record.info.get("optimized_at", 0) >= OPTIMIZE_EVERY:
        _optimize(dbapi_connection, connection_record)


@event.listens_for(Engine, "close")
def _sqlite_optimize_on_close(dbapi_connection, connection_record):
    """Refresh statistics before a connection closes, as SQLite's documentation advises."""
    if _is_sqlite(dbapi_connection):
        _optimize(dbapi_connection, connection_record)


#: Search structures written by hand in migrations, which the models do not describe.
HAND_MADE = ("lesson_fts", "ix_lesson_search_simple")


def _managed_by_models(obj, name, type_, reflected, compare_to) -> bool:
    """Keep hand-made full-text search tables and indexes out of autogenerate."""
    return not (name or "").startswith(HAND_MADE)


def register_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    import pdplanner.registry  # noqa: F401  (all tables known before the first query)
    from pdplanner.accounts.loader import load_user, select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(paths.resource_dir("migrations")),
                     render_as_batch=True, compare_type=True, include_object=_managed_by_models)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)


def register_blueprints(app: Flask) -> None:
    """Attach one blueprint per room."""
    from pdplanner.accounts.views import bp as accounts_bp
    from pdplanner.catalog.views import bp as catalog_bp
    from pdplanner.exchanges.views import bp as exchanges_bp
    from pdplanner.insights.views import bp as insights_bp
    from pdplanner.learning.views import bp as learning_bp
    from pdplanner.main.views import bp as main_bp
    from pdplanner.reminders import listeners as reminder_listeners
    from pdplanner.reminders.views import bp as reminders_bp
    from pdplanner.supervision import listeners
    from pdplanner.supervision.views import bp as supervision_bp

    for blueprint in (main_bp, accounts_bp, catalog_bp, learning_bp, supervision_bp,
                      reminders_bp, insights_bp, exchanges_bp):
        app.register_blueprint(blueprint)
    listeners.register()
    reminder_listeners.register()


def register_errors_and_security(app: Flask) -> None:
    """Error pages, the route policy and security headers."""
    from pdplanner.accounts.policy import register_policy
    from pdplanner.errors import register_error_handlers
    from pdplanner.security import register_security_headers, trust_proxies

    trust_proxies(app)
    register_error_handlers(app)
    register_policy(app)
    register_security_headers(app)


def _unread() -> int:
    """Count the signed-in person's unread notifications (0 when signed out)."""
    if not current_user or not current_user.is_authenticated:
        return 0
    from pdplanner.reminders.queries import unread_count

    return unread_count(current_user)


def register_template_helpers(app: Flask) -> None:
    """Give templates the language, navigation roles and a POST-button form."""
    from flask_babel import get_locale

    from pdplanner import formatting
    from pdplanner.accounts.policy import is_hr
    from pdplanner.forms import EmptyForm
    from pdplanner.navigation import back_link
    from pdplanner.types import utcnow

    formatting.register(app)
    app.jinja_env.globals["back_link"] = back_link

    @app.context_processor
    def inject():
        if not has_request_context():  # e-mails rendered by the scheduler
            return {"current_language": str(get_locale() or "en")}
        return {
            "current_language": str(get_locale() or "en"),
            "is_hr": is_hr(current_user) if current_user else False,
            # formdata=None: the error page of an over-long body must not read that body.
            "post_form": EmptyForm(formdata=None),
            "request_path": request.full_path.rstrip("?") if request else "/",
            "now_utc": utcnow(),
            "unread": _unread(),
        }
