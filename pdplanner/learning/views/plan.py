"""Plan pages: activities, what became of each date, reflections, the printable plan."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner import idempotency
from pdplanner.accounts.queries import organisation, today_for
from pdplanner.errors import RuleViolation, apply_violation
from pdplanner.forms import EmptyForm, status_code
from pdplanner.learning import plans, queries
from pdplanner.learning.forms import (
    ActivityForm,
    QuickOutcomeForm,
    ReflectionForm,
    RescheduleForm,
    ResolveForm,
)
from pdplanner.learning.models import OccurrenceStatus
from pdplanner.learning.plans import ActivityData
from pdplanner.learning.printable import printed_plan
from pdplanner.learning.views import bp, own_activity, own_goal, own_occurrence


def _activity_data(form: ActivityForm) -> ActivityData:
    """Read an activity form."""
    return ActivityData(kind=form.kind.data, title=form.title.data,
                        with_whom=form.with_whom.data, starts_on=form.starts_on.data,
                        start_time=form.start_time.data,
                        duration_minutes=form.duration_minutes.data,
                        recurrence=form.recurrence.data, until=form.until.data)


@bp.route("/goals/<int:goal_id>/activities/new", methods=["GET", "POST"])
def activity_new(goal_id: int):
    """Plan when and how to learn for a goal."""
    goal = own_goal(goal_id)
    form = ActivityForm()
    if request.method == "GET":
        form.token.data = idempotency.new_token()
        form.starts_on.data = today_for(current_user) + timedelta(days=7)
    if form.validate_on_submit():
        try:
            plans.add_activity(current_user, goal, _activity_data(form), form.token.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Activity planned."), "success")
            return redirect(url_for("learning.goal", goal_id=goal.id) + "#plan")
    return render_template("learning/activity_form.html", form=form, goal=goal,
                           activity=None), status_code(form)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
def activity_edit(activity_id: int):
    """Change an activity; dates already resolved stay as they were."""
    activity = own_activity(activity_id)
    # The saved dates are the fields' object data even on POST, so a first date that has
    # aged past the look-back is kept as it is (a changed date must still be within it).
    form = ActivityForm(obj=activity if request.method == "GET" else None,
                        starts_on=activity.starts_on, until=activity.until)
    if form.validate_on_submit():
        try:
            plans.update_activity(current_user, activity, _activity_data(form))
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("learning.goal", goal_id=activity.goal_id) + "#plan")
    return render_template("learning/activity_form.html", form=form, goal=activity.goal,
                           activity=activity), status_code(form)


@bp.route("/activities/<int:activity_id>/<any(delete, restore):action>", methods=["POST"])
def activity_delete(activity_id: int, action: str):
    """Delete an activity (with undo), or restore it."""
    activity = own_activity(activity_id)
    if EmptyForm().validate_on_submit():
        plans.set_activity_deleted(current_user, activity, action == "delete")
        flash(_("Activity deleted.") if action == "delete" else _("Activity restored."),
              "success")
    return redirect(url_for("learning.goal", goal_id=activity.goal_id) + "#plan")


@bp.route("/occurrences/<int:occurrence_id>", methods=["GET", "POST"])
def occurrence(occurrence_id: int):
    """Say whether a planned date happened: done, missed or cancelled."""
    occurrence = own_occurrence(occurrence_id)
    form = ResolveForm(planned_on=occurrence.planned_on)
    if request.method == "GET":
        form.outcome.data = request.args.get("outcome") or occurrence.status
        form.happened_on.data = occurrence.happened_on or min(occurrence.planned_on,
                                                              today_for(current_user))
        form.reason.data = occurrence.missed_reason
    if form.validate_on_submit():
        try:
            plans.resolve(current_user, occurrence, form.outcome.data, form.happened_on.data,
                          form.reason.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            if form.outcome.data == OccurrenceStatus.DONE:
                flash(_("Well done! Note what you learned while it is fresh."), "success")
                return redirect(url_for("learning.reflection", occurrence_id=occurrence.id))
            flash(_("Saved."), "success")
            return redirect(_back())
    return render_template("learning/occurrence.html", occurrence=occurrence, form=form,
                           reschedule_form=RescheduleForm(formdata=None)), status_code(form)


def _back() -> str:
    """Return where to go after a quick action: the page it came from, else home."""
    from pdplanner.security import safe_next

    return safe_next(request.form.get("next")) or url_for("main.index")


@bp.route("/occurrences/<int:occurrence_id>/quick/<any(done, missed):outcome>",
          methods=["POST"])
def occurrence_quick(occurrence_id: int, outcome: str):
    """One tap from My learning: mark a date done (on its planned day), with what one learned
    if one writes it, or missed."""
    occurrence = own_occurrence(occurrence_id)
    form = QuickOutcomeForm()
    if form.validate_on_submit():
        try:
            plans.resolve_with_reflection(current_user, occurrence, outcome,
                                          form.learned.data or "", form.apply.data or "",
                                          form.share.data)
        except RuleViolation as error:
            flash(str(error.message), "error")
        else:
            flash(_("Marked as done.") if outcome == OccurrenceStatus.DONE
                  else _("Marked as missed."), "success")
    return redirect(_back())


@bp.route("/occurrences/<int:occurrence_id>/reschedule", methods=["POST"])
def occurrence_reschedule(occurrence_id: int):
    """Move a planned date; the old date stays in the history."""
    occurrence = own_occurrence(occurrence_id)
    form = RescheduleForm()
    if form.validate_on_submit():
        try:
            plans.reschedule(current_user, occurrence, form.new_date.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Moved to the new date."), "success")
            return redirect(url_for("learning.goal", goal_id=occurrence.activity.goal_id)
                            + "#plan")
    return render_template("learning/occurrence.html", occurrence=occurrence,
                           form=ResolveForm(formdata=None, planned_on=occurrence.planned_on),
                           reschedule_form=form), 422


@bp.route("/occurrences/<int:occurrence_id>/reflection", methods=["GET", "POST"])
def reflection(occurrence_id: int):
    """Write what you learned and will apply (private unless you share it)."""
    occurrence = own_occurrence(occurrence_id)
    form = ReflectionForm(obj=occurrence.reflection if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            plans.save_reflection(current_user, occurrence, form.learned.data, form.apply.data,
                                  form.visibility.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Reflection saved."), "success")
            return redirect(url_for("learning.goal", goal_id=occurrence.activity.goal_id)
                            + "#plan")
    return render_template("learning/reflection_form.html", occurrence=occurrence,
                           form=form), status_code(form)


@bp.route("/plan")
def plan():
    """Show one's whole protocol: past and coming dates of every goal."""
    today = today_for(current_user)
    first, last = today - timedelta(weeks=12), today + timedelta(weeks=12)
    dates = queries.dates_of(current_user, today, first, last)
    return render_template(
        "learning/plan.html", today=today, to_resolve=dates.to_resolve,
        coming=dates.between(today, last), past=dates.between(first, today - timedelta(1)))


@bp.route("/plan/print")
def plan_print():
    """A one-page learning plan to print for a field supervision visit."""
    today = today_for(current_user)
    plan = printed_plan(current_user, today, today - timedelta(weeks=8),
                        today + timedelta(weeks=8))
    return render_template("learning/plan_print.html", today=today, person=current_user,
                           org=organisation(), plan=plan)
