"""My team, a report's schedule, one-off sessions and the history of a pair."""

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from pdplanner.accounts import choices, policy
from pdplanner.accounts import queries as accounts_queries
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation, today_for
from pdplanner.errors import PermissionDenied, RuleViolation, apply_violation
from pdplanner.forms import status_code
from pdplanner.inputs import query_int
from pdplanner.supervision import cadence, my_team, queries, team_rows
from pdplanner.supervision.forms import ScheduleForm, SessionTimeForm
from pdplanner.supervision.views import bp


def _report(person_id: int) -> User:
    """Return a direct report of the viewer, or answer 404."""
    person = accounts_queries.user(person_id)
    if person is None or not policy.is_supervisor_of(current_user, person):
        abort(404)
    return person


@bp.route("/team")
def team():
    """My team: each report's goals, adherence, sessions and flags; the branch below."""
    today = today_for(current_user)
    rows, page = my_team.team(current_user, today, query_int("page", 1, minimum=1),
                              current_app.config["TEAM_PER_PAGE"])
    return render_template("supervision/team.html", rows=team_rows.rows_html(rows), page=page,
                           today=today,
                           unresolved=my_team.sessions_to_resolve(current_user))


@bp.route("/team/to-resolve")
def to_resolve():
    """Every past session you lead still left open, a page at a time, oldest first."""
    page = my_team.sessions_to_resolve(current_user, query_int("page", 1, minimum=1),
                                       my_team.RESOLVE_PER_PAGE)
    return render_template("supervision/to_resolve.html", unresolved=page)


@bp.route("/team/<int:person_id>/schedule", methods=["GET", "POST"])
def schedule(person_id: int):
    """Set how often and when you meet a report; coming sessions are created."""
    person = _report(person_id)
    current = queries.schedule_of(current_user.id, person.id)
    # The saved first date may have passed: keeping it is fine (DateWithin lets it through).
    form = ScheduleForm(obj=current if request.method == "GET" else None,
                        **({"starts_on": current.starts_on} if current else {}))
    form.cadence.choices = choices.cadence_choices()
    if request.method == "GET" and current is None:
        form.cadence.data = organisation().default_cadence
        form.starts_on.data = today_for(current_user) + timedelta(days=7)
    if form.validate_on_submit():
        try:
            change = cadence.set_schedule(current_user, person, form.cadence.data,
                                            form.starts_on.data, form.at.data,
                                            form.duration_minutes.data)
        except RuleViolation as error:
            apply_violation(form, error)
        except PermissionDenied:
            abort(403)
        else:
            flash(schedule_saved_message(change), "success")
            return redirect(url_for("supervision.history", person_id=person.id))
    return render_template("supervision/schedule.html", form=form, person=person,
                           current=current), status_code(form)


def schedule_saved_message(change: cadence.ScheduleChange) -> str:
    """Say what saving a schedule did to the coming sessions."""
    said = [ngettext("Schedule saved: %(num)d session planned.",
                     "Schedule saved: %(num)d sessions planned.", change.coming)]
    if change.removed:
        said.append(ngettext("%(num)d empty session of the old rhythm was removed.",
                             "%(num)d empty sessions of the old rhythm were removed.",
                             change.removed))
    if change.kept:
        said.append(ngettext("%(num)d session with notes or points was kept.",
                             "%(num)d sessions with notes or points were kept.", change.kept))
    return " ".join(said)


@bp.route("/team/<int:person_id>/sessions/new", methods=["GET", "POST"])
def session_new(person_id: int):
    """Add a one-off session with a report."""
    person = _report(person_id)
    form = SessionTimeForm()
    if form.validate_on_submit():
        try:
            session = cadence.add_one_off(current_user, person, form.day.data, form.at.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Session added."), "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return render_template("supervision/session_time.html", form=form, person=person,
                           session=None), status_code(form)


@bp.route("/team/<int:person_id>/sessions")
def history(person_id: int):
    """All sessions with a report and what was agreed."""
    person = _report(person_id)
    found = queries.pair_sessions(current_user.id, person.id)
    return render_template("supervision/history.html", person=person, sessions=found.sessions,
                           actions=found.actions, groups=queries.session_groups(found.sessions),
                           schedule=queries.schedule_of(current_user.id, person.id),
                           as_supervisor=True)


@bp.route("/sessions")
def my_sessions():
    """The sessions where you are the report (without your supervisor's private notes)."""
    found = queries.my_sessions(current_user)
    return render_template("supervision/history.html", person=current_user,
                           sessions=found.sessions, actions=found.actions,
                           groups=queries.session_groups(found.sessions), schedule=None,
                           as_supervisor=False)
