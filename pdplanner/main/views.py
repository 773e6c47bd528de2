"""Home, language choice and a health check for load balancers."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from pdplanner.accounts import people, queries
from pdplanner.forms import EmptyForm
from pdplanner.security import safe_next
from pdplanner.transaction import database_answers

bp = Blueprint("main", __name__)

#: Name of the cookie that keeps a signed-out visitor's language.
LANGUAGE_COOKIE = "pdplanner_lang"


@bp.route("/")
def index():
    """Show My learning: goals, this week, what to resolve, suggestions, the streak."""
    from pdplanner.learning import queries as learning
    from pdplanner.supervision.queries import next_session_of

    user = current_user._get_current_object()
    today = queries.today_for(user)
    goals, suggestions = learning.goals_and_suggestions(user)
    monday, sunday = learning.week_of(today)
    dates = learning.dates_of(user, today, monday, sunday)
    to_resolve = dates.to_resolve
    shown = current_app.config["HOME_TO_RESOLVE_SHOWN"]
    return render_template(
        "main/index.html", user=user, today=today, goals=goals,
        this_week=dates.between(monday, sunday), to_resolve=to_resolve[-shown:],
        to_resolve_count=len(to_resolve),
        suggestions=suggestions,
        streak=learning.weeks_streak(user, today),
        reports=queries.direct_reports(user) if user.is_supervisor else [],
        next_session=next_session_of(user))


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch language: saved on the profile when signed in, in a cookie otherwise."""
    language = request.form.get("language", "")
    target = safe_next(request.form.get("next")) or url_for("main.index")
    response = redirect(target)
    if language not in ("en", "fr") or not EmptyForm().validate_on_submit():
        return response
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        people.update_profile(user, user.name, language, user.timezone)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600,
                        samesite="Lax", httponly=True)
    return response


@bp.route("/health")
def health():
    """Answer 200 when the database answers, 503 otherwise."""
    if not database_answers():
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


from pdplanner.main import app_shell  # noqa: E402, F401  (its routes join this blueprint)
