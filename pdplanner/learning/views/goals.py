"""Goal pages: list, create, view, edit, lifecycle, agreement, check-ins, comments, delete."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner import idempotency
from pdplanner.accounts import policy
from pdplanner.errors import PermissionDenied, RuleViolation, StaleEdit, apply_violation
from pdplanner.forms import EmptyForm, status_code
from pdplanner.learning import goal_html, goal_page, goal_plan, queries
from pdplanner.learning import goals as service
from pdplanner.learning.forms import CheckInForm, CommentForm, DropForm, GoalForm
from pdplanner.learning.goal_words import GOAL_PAGE
from pdplanner.learning.models import OPEN_STATUSES, GoalStatus
from pdplanner.learning.views import bp, own_goal, visible_goal
from pdplanner.learning.views.helpers import fill_goal_choices, goal_data, language, reader_today
from pdplanner.words import words


@bp.route("/goals")
def goals():
    """List one's own goals by state, and the recently deleted ones."""
    goals, deleted = queries.all_my_goals(current_user)
    return render_template("learning/goals.html", goals=goals, deleted=deleted)


@bp.route("/goals/new", methods=["GET", "POST"])
def goal_new():
    """Write a new goal of one's own choosing."""
    form = GoalForm()
    fill_goal_choices(form, current_user)
    if request.method == "GET":
        form.token.data = idempotency.new_token()
    if form.validate_on_submit():
        try:
            goal = service.create_goal(current_user, goal_data(form),
                                       start=request.form.get("start") == "1",
                                       token=form.token.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Your goal is saved. Next, plan when and how you will learn."), "success")
            return redirect(url_for("learning.goal", goal_id=goal.id))
    return render_template("learning/goal_form.html", form=form, goal=None), status_code(form)


@bp.route("/goals/<int:goal_id>")
def goal(goal_id: int):
    """Show a goal with its progress, plan, outcomes and comments."""
    found = goal_page.goal(current_user, goal_id)
    if found is None:
        abort(404)
    return _render_goal(*found)


#: Check-ins listed on a goal's page (the latest).
RECENT_CHECKINS = 6


def _render_goal(goal, people=None, comment_form=None, reason_form=None):
    """Render the goal page; a form given keeps the user's input and its errors (422).
    Forms are built only when the page shows them."""
    people = people or goal_page.people_of(goal)
    owner = people.owner
    viewer = current_user._get_current_object()
    today = reader_today()
    is_owner = goal.owner_id == viewer.id
    is_supervisor = policy.is_supervisor_of(viewer, owner)
    may_agree = is_supervisor and goal.visibility == "shared"
    live, open_ = goal.deleted_at is None, goal.status in OPEN_STATUSES
    checkin = None
    if is_owner and live and open_:
        checkin = CheckInForm(formdata=None, on=today)
        checkin.token.data = idempotency.new_token()
    if comment_form is None and (is_owner or may_agree) and live:
        comment_form = CommentForm(formdata=None)
    if reason_form is None and is_owner and live and open_:
        reason_form = DropForm(formdata=None)
    status = max(status_code(comment_form) if comment_form else 200,
                 status_code(reason_form) if reason_form else 200)
    w = words(GOAL_PAGE)
    details = goal_page.details(goal, language(), RECENT_CHECKINS)
    checkins = details.checkins
    percent = 100 if goal.status == GoalStatus.ACHIEVED else (
        checkins[0].progress if checkins else 0)
    plan = goal_html.plan_section(goal, goal_plan.plan(viewer, goal, owner), is_owner, today, w)
    actions = goal_html.actions_section(
        goal, details.comments, comment_form, reason_form, may_comment=is_owner or may_agree,
        may_agree=may_agree, is_owner=is_owner, w=w)
    return render_template(
        "learning/goal.html", goal=goal, owner=owner, people=people, checkin_form=checkin,
        checkins=checkins, percent=percent, details=details, plan=plan, actions=actions, w=w,
        is_owner=is_owner, is_supervisor=is_supervisor), status


def _may_comment(goal) -> bool:
    """Tell whether the viewer may comment: the owner, or their supervisor if shared."""
    return goal.owner_id == current_user.id or (
        policy.is_supervisor_of(current_user, goal.owner) and goal.visibility == "shared")


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def goal_edit(goal_id: int):
    """Edit one's own goal; a stale save answers 409 with the text kept."""
    goal = own_goal(goal_id)
    # The saved target date is the field's object data even on POST, so a date that has
    # passed since is kept as it is (a changed date must still be from today on).
    form = GoalForm(obj=goal if request.method == "GET" else None, target_date=goal.target_date)
    fill_goal_choices(form, current_user)
    if request.method == "GET":
        form.skill_ids.data = [s.id for s in goal.skills]
        form.alignment_ids.data = [a.id for a in goal.alignments]
        form.version.data = goal.version
    status = 200
    if form.validate_on_submit():
        try:
            service.update_goal(current_user, goal, goal_data(form), form.version.data or 0)
        except RuleViolation as error:
            apply_violation(form, error)
        except StaleEdit:
            form.form_errors.append(_("This goal was saved elsewhere (another tab?) since you "
                                      "opened it. Your text is below: check it and save again."))
            form.version.data = goal.version
            status = 409
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("learning.goal", goal_id=goal.id))
    status = status if status == 409 else status_code(form)
    return render_template("learning/goal_form.html", form=form, goal=goal), status


@bp.route("/goals/<int:goal_id>/status/<any(activate, pause, resume, achieve, drop, reopen)"
          ":action>", methods=["POST"])
def goal_status(goal_id: int, action: str):
    """Move a goal along its lifecycle (dropping asks for a reason)."""
    goal = own_goal(goal_id)
    form = DropForm() if action == "drop" else EmptyForm()
    if not form.validate_on_submit():
        if action == "drop":
            return _render_goal(goal, reason_form=form)
        return redirect(url_for("learning.goal", goal_id=goal.id))
    try:
        service.change_status(current_user, goal, action,
                              form.reason.data if action == "drop" else "")
    except RuleViolation as error:
        if action == "drop" and error.field == "reason":
            apply_violation(form, error)
            return _render_goal(goal, reason_form=form)
        flash(str(error.message), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("learning.goal", goal_id=goal.id))


@bp.route("/goals/<int:goal_id>/agree", methods=["POST"])
def goal_agree(goal_id: int):
    """The owner's supervisor records agreement with the goal."""
    goal = visible_goal(goal_id)
    if EmptyForm().validate_on_submit():
        try:
            service.agree(current_user, goal)
        except PermissionDenied:
            abort(403)
        except RuleViolation as error:
            flash(str(error.message), "error")
        else:
            flash(_("Agreement recorded."), "success")
    return redirect(url_for("learning.goal", goal_id=goal.id))


@bp.route("/goals/<int:goal_id>/checkins", methods=["POST"])
def goal_checkin(goal_id: int):
    """Record progress on one's own goal."""
    goal = own_goal(goal_id)
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            service.add_checkin(current_user, goal, form.on.data, form.progress.data,
                                form.note.data, form.token.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Progress recorded."), "success")
            return redirect(url_for("learning.goal", goal_id=goal.id))
    return render_template("learning/checkin_form.html", goal=goal, form=form), 422


@bp.route("/goals/<int:goal_id>/comments", methods=["POST"])
def goal_comment(goal_id: int):
    """Comment on a goal one may comment on."""
    goal = visible_goal(goal_id)
    if not _may_comment(goal):
        abort(403)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            service.add_comment(current_user, goal, form.text.data)
        except PermissionDenied:
            abort(403)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Comment added."), "success")
            return redirect(url_for("learning.goal", goal_id=goal.id) + "#comments")
    return _render_goal(goal, comment_form=form)


@bp.route("/goals/<int:goal_id>/<any(delete, restore):action>", methods=["POST"])
def goal_delete(goal_id: int, action: str):
    """Delete one's goal (with undo), or restore it."""
    goal = own_goal(goal_id)
    if EmptyForm().validate_on_submit():
        service.set_deleted(current_user, goal, action == "delete")
        if action == "delete":
            flash(_("Goal deleted. You can restore it from the bottom of “My goals”."), "success")
            return redirect(url_for("learning.goals"))
        flash(_("Goal restored."), "success")
    return redirect(url_for("learning.goal", goal_id=goal.id))
