"""A planned session's slot, which its supervisor moves to another day and time or
cancels (the cadence's writes; the session's own page is `session.py`)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner.errors import PermissionDenied, RuleViolation, apply_violation
from pdplanner.forms import EmptyForm, status_code
from pdplanner.supervision import cadence, sessions
from pdplanner.supervision.forms import SessionTimeForm
from pdplanner.supervision.views import bp, led_session


@bp.route("/sessions/<int:session_id>/move", methods=["GET", "POST"])
def move(session_id: int):
    """Move a planned session to another date and time."""
    session = led_session(session_id)
    form = SessionTimeForm()
    if request.method == "GET":  # start from the current slot, in the supervisor's zone
        local = sessions.local_start(current_user, session)
        form.day.data, form.at.data = local.date(), local.time().replace(second=0,
                                                                         microsecond=0)
    if form.validate_on_submit():
        try:
            cadence.move(current_user, session, form.day.data, form.at.data)
        except RuleViolation as error:
            apply_violation(form, error)
        except PermissionDenied:
            abort(409)
        else:
            flash(_("Session moved."), "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return render_template("supervision/session_time.html", form=form, person=session.report,
                           session=session), status_code(form)


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
def cancel(session_id: int):
    """Cancel a planned session."""
    session = led_session(session_id)
    if EmptyForm().validate_on_submit():
        try:
            cadence.cancel(current_user, session)
        except PermissionDenied:
            abort(409)
        flash(_("Session cancelled."), "success")
    return redirect(url_for("supervision.history", person_id=session.report_id))
