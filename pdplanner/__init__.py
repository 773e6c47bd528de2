"""pdplanner: a staff professional-development planner with goal tracking."""

from __future__ import annotations

import os

from flask import Flask, g, has_request_context, request
from flask_login import current_user

from pdplanner import database, paths
from pdplanner.configuration import configure
from pdplanner.extensions import babel, csrf, db, login_manager, migrate
from pdplanner.inputs import register_input_guards


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
    register_plug_ins()
    register_errors_and_security(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    import pdplanner.registry  # noqa: F401  (all tables known before the first query)
    from pdplanner.identity.cookies import RememberedCookieSessions
    from pdplanner.identity.loader import load_user, select_locale, select_timezone

    app.session_interface = RememberedCookieSessions()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(paths.resource_dir("migrations")),
                     render_as_batch=True, compare_type=True,
                     include_object=database.managed_by_models)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "identity.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)


def register_blueprints(app: Flask) -> None:
    """Attach one blueprint per room."""
    from pdplanner.accounts.views import bp as accounts_bp
    from pdplanner.catalog.views import bp as catalog_bp
    from pdplanner.exchanges.views import bp as exchanges_bp
    from pdplanner.identity.views import bp as identity_bp
    from pdplanner.insights.views import bp as insights_bp
    from pdplanner.learning.views import bp as learning_bp
    from pdplanner.main.views import bp as main_bp
    from pdplanner.reminders.views import bp as reminders_bp
    from pdplanner.supervision.views import bp as supervision_bp

    for blueprint in (main_bp, identity_bp, accounts_bp, catalog_bp, learning_bp, supervision_bp,
                      reminders_bp, insights_bp, exchanges_bp):
        app.register_blueprint(blueprint)


def register_plug_ins() -> None:
    """Plug rooms into the rooms they build on: listeners to events, reminder kinds and
    calendars into the outbox, goals into a person's page (all safe to repeat)."""
    from pdplanner.accounts import queries as accounts_queries
    from pdplanner.exchanges import reminders as exchanges_reminders
    from pdplanner.identity import reminders as identity_reminders
    from pdplanner.identity import services as identity_services
    from pdplanner.learning import listeners as learning_listeners
    from pdplanner.learning import queries as learning_queries
    from pdplanner.learning import reminders as learning_reminders
    from pdplanner.reminders import kinds
    from pdplanner.reminders import listeners as reminder_listeners
    from pdplanner.reminders import notices as reminder_notices
    from pdplanner.supervision import listeners as supervision_listeners
    from pdplanner.supervision import reminders as supervision_reminders

    for listeners in (supervision_listeners, learning_listeners, reminder_listeners,
                      identity_services):
        listeners.register()
    for room in (learning_reminders, supervision_reminders, exchanges_reminders,
                 identity_reminders, reminder_notices):
        kinds.register(*room.KINDS)
    kinds.register_calendar("sessions", supervision_reminders.calendar_events)
    kinds.register_calendar("activities", learning_reminders.calendar_events)
    accounts_queries.add_to_person_page("goals", learning_queries.person_goals)


def register_errors_and_security(app: Flask) -> None:
    """Error pages, the route policy and security headers."""
    from pdplanner.accounts.policy import register_policy
    from pdplanner.errors import register_error_handlers
    from pdplanner.security import register_csrf_signing, register_security_headers, trust_proxies

    trust_proxies(app)
    register_error_handlers(app)
    register_policy(app)
    register_security_headers(app)
    register_csrf_signing(app)


def _unread(user) -> int:
    """Count the signed-in person's unread notifications (0 when signed out); a page read
    (GET) uses the count read with the person, a page after a write counts again."""
    if user is None or not user.is_authenticated:
        return 0
    if request.method in ("GET", "HEAD") and "unread_notifications" in g:
        return g.unread_notifications
    from pdplanner.reminders.queries import unread_count

    return unread_count(user)


def register_template_helpers(app: Flask) -> None:
    """Give templates the language, navigation roles and a POST-button form."""
    from flask_babel import get_locale

    from pdplanner import formatting
    from pdplanner.accounts.policy import is_hr
    from pdplanner.field_html import form_errors_html, form_field, post_button_html
    from pdplanner.forms import POST_BUTTON, csrf_input
    from pdplanner.labels import label
    from pdplanner.main import chrome, menu
    from pdplanner.navigation import back_link, url_for
    from pdplanner.select_html import options
    from pdplanner.types import utcnow

    formatting.register(app)
    menu.register(app)
    chrome.register(app)
    register_statuses(app)
    app.jinja_env.globals.update(back_link=back_link, label=label, csrf_input=csrf_input,
                                 url_for=url_for, options=options, form_field=form_field,
                                 form_errors_html=form_errors_html,
                                 post_button_html=post_button_html)

    @app.context_processor
    def inject():
        if not has_request_context():  # e-mails rendered by the scheduler
            return {"current_language": str(get_locale() or "en")}
        user = current_user._get_current_object()  # once, not through the proxy each time
        return {
            "current_language": str(get_locale() or "en"),
            "is_hr": is_hr(user) if user is not None else False,
            # A POST button's CSRF field, rendered once per request (never reads the body).
            "post_form": POST_BUTTON,
            "request_path": request.full_path.rstrip("?") if request else "/",
            "now_utc": utcnow(),
            "unread": _unread(user),
        }


def register_statuses(app: Flask) -> None:
    """Let templates compare statuses with their enums, never with bare strings, and name
    them with each room's labels."""
    from pdplanner.learning import badges, list_html, quick_actions
    from pdplanner.learning import labels as learning_labels
    from pdplanner.supervision import labels as supervision_labels

    learning_labels.register()
    supervision_labels.register()
    quick_actions.register()
    badges.register(app)
    list_html.register(app)
    app.jinja_env.globals["quick_actions"] = quick_actions.quick_actions
    from pdplanner.catalog.models import SkillStatus
    from pdplanner.learning.models import GoalStatus, OccurrenceStatus
    from pdplanner.reminders.models import OutboxStatus
    from pdplanner.supervision.models import SessionStatus

    app.jinja_env.globals.update(GoalStatus=GoalStatus, OccurrenceStatus=OccurrenceStatus,
                                 SessionStatus=SessionStatus, SkillStatus=SkillStatus,
                                 OutboxStatus=OutboxStatus)
