"""The dashboard, the people behind a figure, CSV exports."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from pdplanner.accounts import policy
from pdplanner.accounts import queries as people_queries
from pdplanner.accounts.queries import organisation, today_for
from pdplanner.catalog import queries as catalog_queries
from pdplanner.extensions import db
from pdplanner.formatting import datetimeformat, timeformat
from pdplanner.forms import EmptyForm
from pdplanner.inputs import query_int
from pdplanner.insights import queries, snapshot
from pdplanner.insights.cache import figure_cache
from pdplanner.insights.export import to_csv
from pdplanner.insights.scope import may_see_dashboard, scope_for, viewer_key

bp = Blueprint("insights", __name__, url_prefix="/insights")


def _scope():
    """Build the viewer's scope from the filters in the query string (403 for employees)."""
    if not may_see_dashboard(current_user):
        abort(403)
    args = request.args
    return scope_for(current_user, today_for(current_user), query_int("team"),
                     query_int("level"), args.get("months", "12"))


def _stamp():
    """Return the snapshot's stamp, building the snapshot on the very first view."""
    return snapshot.current() or snapshot.refresh()


def _figures(scope) -> dict:
    """Compute every figure of the dashboard once."""
    monthly = queries.monthly(scope)
    return {"levels": queries.participation(scope),
            "choice": {**monthly["choice"], "topics": queries.topics(scope)},
            "months": monthly["months"], "teams": queries.teams(scope, monthly["by_team"]),
            "supervisors": queries.supervision(
                scope, current_app.config["INSIGHTS_SUPERVISORS_SHOWN"]),
            "growth": queries.growth(scope, monthly["achieved"]),
            "attention": queries.needs_attention(scope),
            "attention_reasons": attention_reasons()}


def attention_reasons() -> dict[str, str]:
    """The heading of each needs-attention list, in the viewer's language."""
    return {"no_goal": _("No active goal"), "no_session": _("No session held in 60 days"),
            "unresolved": _("Activities unresolved for more than 14 days")}


def _filters() -> dict:
    """The dashboard's filters from the query string or the refresh form, for a redirect."""
    given = request.values
    return {key: given.get(key) for key in ("team", "level", "months", "skill")
            if given.get(key)}


@bp.route("")
def dashboard():
    """Team-wide growth for HR (the organisation) or a supervisor (their branch).

    The figures are rendered once per scope and snapshot (``insights.cache``): a view reads
    the snapshot's stamp and, for a supervisor, their branch, then serves what was kept.
    """
    # Held for the whole request: the session keeps loaded rows only while someone holds
    # them, and the scope's day and the page's base ask for the organisation again.
    org = organisation()
    scope = _scope()
    stamp = _stamp()
    skill_id = query_int("skill")
    target = org.participation_target
    language = str(get_locale() or "en")
    key = (viewer_key(current_user), scope.team_id, scope.level_id, scope.months, skill_id,
           scope.today, language, str(get_timezone()), target)
    top, when, body = figure_cache().get_or_make(
        snapshot.identity(stamp), key, lambda: _render(scope, stamp, skill_id, target, language))
    return render_template("insights/dashboard.html", top=top, when=when, body=body,
                           filters=_filters())


def _render(scope, stamp, skill_id: int | None, target: int, language: str) -> tuple[str, ...]:
    """Render the dashboard for one scope: the filters, when the figures were taken, each table."""
    context = {
        "scope": scope, "target": target, "whole": policy.is_hr(current_user),
        "teams_list": people_queries.team_names(language), "levels_list": people_queries.levels(),
        "skills_list": catalog_queries.catalogue_skills(), "skill_id": skill_id,
        "matrix": queries.skills_matrix(scope, skill_id,
                                        current_app.config["INSIGHTS_MATRIX_SHOWN"]),
        **_figures(scope)}
    # The templates escape every value (autoescape): their output is safe HTML as it is.
    return (Markup(render_template("insights/_filters.html", **context)),  # noqa: S704
            datetimeformat(stamp.refreshed_at, "d MMM y, HH:mm"),
            Markup(render_template("insights/_figures.html", **context)))  # noqa: S704


@bp.route("/refresh", methods=["POST"])
def refresh():
    """Rebuild the figures now (unless they are less than a minute old), then show them."""
    if not may_see_dashboard(current_user):
        abort(403)
    if EmptyForm().validate_on_submit():
        wait = current_app.config["INSIGHTS_REFRESH_MIN_SECONDS"]
        before = snapshot.current()
        taken = before.refreshed_at if before else None
        if snapshot.refresh_if_older(wait).refreshed_at == taken:
            flash(_not_refreshed(taken, wait), "info")
        else:
            flash(_("The figures are up to date."), "success")
    return redirect(url_for("insights.dashboard", **_filters()))


def _not_refreshed(taken, wait: int) -> str:
    """Say when the figures were taken and from when a new refresh is possible."""
    return _("Not refreshed: these figures were taken at %(taken)s; a new refresh is "
             "possible from %(next)s.", taken=timeformat(taken, "HH:mm:ss"),
             next=timeformat(taken + timedelta(seconds=wait), "HH:mm:ss"))


@bp.route("/people")
def people():
    """The people a figure or a needs-attention list counts (or those it leaves out), by page."""
    scope = _scope()
    metric = request.args.get("metric", "with_goal")
    if metric not in queries.LISTS:
        abort(404)
    present = request.args.get("present", "1") == "1"
    _stamp()
    page = db.paginate(queries.people_behind(scope, metric, present), error_out=False,
                       page=query_int("page", 1, minimum=1),
                       per_page=current_app.config["PEOPLE_PER_PAGE"], max_per_page=100)
    params = {"metric": metric, "present": "1" if present else "0",
              **{key: request.args.get(key, "") for key in ("team", "level", "months")}}
    return render_template("insights/people.html", metric=metric, present=present,
                           page=page, params=params, is_hr=policy.is_hr(current_user))


def _table(name: str, scope) -> tuple[list[str], list[list]]:
    """Return the header and rows of one exportable table (computing that table only)."""
    _stamp()
    language = str(get_locale() or "en")
    if name == "participation":
        return ([_("Level"), _("Staff"), _("With an active goal"), _("Learning done (90 days)"),
                 _("Session held (60 days)")],
                [[r.name, r.staff, r.with_goal, r.learned, r.supervised]
                 for r in queries.participation(scope)])
    if name == "protocol":
        return ([_("Month"), _("Planned"), _("Done"), _("Missed"), _("Cancelled"),
                 _("To resolve")],
                [[m["month"], m["planned"], m["done"], m["missed"], m["cancelled"],
                  m["to_resolve"]] for m in queries.monthly(scope)["months"]])
    if name == "teams":
        return ([_("Team or site"), _("Staff"), _("With an active goal"), _("Done"),
                 _("Missed"), _("Adherence"), _("Sessions held")],
                [[t["name"], t["staff"], t["with_goal"], t["done"], t["missed"],
                  t["adherence"], t["held"]]
                 for t in queries.teams(scope, queries.monthly(scope)["by_team"])])
    if name == "supervision":
        return ([_("Supervisor"), _("Sessions due"), _("Sessions held"), _("Median days between"),
                 _("Reviewed a goal")],
                [[s["name"], s["due"], s["held"], s["median_gap"], s["reviewed"]]
                 for s in queries.supervision(scope).rows])
    if name == "growth":
        return ([_("Skill"), _("Rated by"), _("People"), _("First level"), _("Latest level")],
                [[g["skill"].name_for(language),
                  _("themselves") if g["by_self"] else _("supervisor"),
                  g["people"], g["first"], g["latest"]]
                 for g in queries.growth(scope, [])["skills"]])
    if name == "skills":
        return ([_("Person"), _("Skill"), _("Level")],
                [[person, skill, level] for person, _team, skill, level in
                 queries.skills_matrix(scope, query_int("skill"), limit=None)])
    if name == "attention":
        reasons = attention_reasons()
        return ([_("Person"), _("Reason")],
                [[p.name, reasons[key]]
                 for key, found in queries.needs_attention(scope, limit=None).items()
                 for p in found.people])
    abort(404)


@bp.route("/export/<name>.csv")
def export(name: str):
    """Download one table as CSV (numbers and names only; formulas neutralised)."""
    header, rows = _table(name, _scope())
    body = "\ufeff" + to_csv(header, rows)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="pdplanner-{name}.csv"'})
