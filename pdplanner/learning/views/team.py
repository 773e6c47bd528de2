"""Suggestions: a supervisor offers a goal to a report; the report accepts or declines."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner import idempotency
from pdplanner.accounts import policy
from pdplanner.accounts import queries as accounts_queries
from pdplanner.accounts.models import User
from pdplanner.errors import PermissionDenied, RuleViolation, apply_violation
from pdplanner.forms import EmptyForm, status_code
from pdplanner.learning import queries, suggestions
from pdplanner.learning.forms import ReasonForm, SuggestForm
from pdplanner.learning.goal_words import REPORT_PAGE
from pdplanner.learning.models import GoalStatus
from pdplanner.learning.views import bp, own_goal
from pdplanner.learning.views.helpers import fill_goal_choices, goal_data, language
from pdplanner.words import words


def _report_or_404(person_id: int) -> User:
    """Return a direct report of the viewer, or answer 404."""
    person = accounts_queries.user(person_id)
    if person is None or not policy.is_supervisor_of(current_user, person):
        abort(404)
    return person


@bp.route("/team/<int:person_id>")
def report(person_id: int):
    """A supervisor's view of one report's goals (those shared with them)."""
    person = _report_or_404(person_id)
    return render_template("learning/report.html", person=person,
                           goals=queries.person_goals(current_user, person),
                           ratings=queries.rating_history(person), lang=language(),
                           w=words(REPORT_PAGE))


@bp.route("/team/<int:person_id>/suggest", methods=["GET", "POST"])
def suggest(person_id: int):
    """Suggest a goal to a direct report; they choose whether to take it."""
    person = _report_or_404(person_id)
    form = SuggestForm()
    fill_goal_choices(form, person)
    if request.method == "GET":
        form.token.data = idempotency.new_token()
    if form.validate_on_submit():
        try:
            suggestions.suggest(current_user, person, goal_data(form), form.why.data,
                                form.token.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Suggestion sent to %(name)s.", name=person.name), "success")
            return redirect(url_for("learning.report", person_id=person.id))
    return render_template("learning/suggest_form.html", form=form, person=person), \
        status_code(form)


@bp.route("/suggestions/<int:goal_id>/accept", methods=["POST"])
def suggestion_accept(goal_id: int):
    """Take a suggested goal as one's own."""
    goal = own_goal(goal_id)
    if EmptyForm().validate_on_submit():
        try:
            suggestions.accept(current_user, goal)
        except PermissionDenied:
            abort(409)
        flash(_("The goal is yours now: change anything you like."), "success")
    return redirect(url_for("learning.goal", goal_id=goal.id))


@bp.route("/suggestions/<int:goal_id>/decline", methods=["GET", "POST"])
def suggestion_decline(goal_id: int):
    """Decline a suggested goal, saying why."""
    goal = own_goal(goal_id)
    if goal.status != GoalStatus.SUGGESTED:
        return redirect(url_for("learning.goal", goal_id=goal.id))
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            suggestions.decline(current_user, goal, form.reason.data)
        except PermissionDenied:
            abort(409)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Suggestion declined."), "success")
            return redirect(url_for("main.index"))
    return render_template("learning/decline_form.html", form=form, goal=goal), \
        status_code(form)
