"""The learning blueprint: goals, plans, outcomes, reflections, skills, suggestions."""

from flask import Blueprint, abort, g
from flask_login import current_user

from pdplanner.accounts import policy
from pdplanner.learning import queries
from pdplanner.learning.forms import SKILL_LEVELS

bp = Blueprint("learning", __name__)


@bp.app_template_filter("skill_level")
def skill_level(level: int) -> str:
    """"2 · Practising": a level and its meaning, translated once per request (the insights
    matrix shows hundreds)."""
    names = g.get("skill_level_names")
    if names is None:
        names = g.skill_level_names = {n: str(label) for n, label in SKILL_LEVELS.items()}
    return f"{level} · {names.get(level, level)}"


def visible_goal(goal_id: int):
    """Return a goal the viewer may read, or answer 404 as if it did not exist."""
    goal = queries.goal_for(current_user, goal_id)
    if goal is None:
        abort(404)
    return goal


def own_goal(goal_id: int):
    """Return one of the viewer's own goals: 404 if invisible, 403 if only readable."""
    goal = visible_goal(goal_id)
    if not policy.may_edit_goal(current_user, goal):
        abort(403)
    return goal


def _on_own_goal(found, goal):
    """Return `found` if it lies on one of the viewer's own goals: 404 if unseen, else 403."""
    if found is None:
        abort(404)
    if not policy.may_edit_goal(current_user, goal(found)):
        abort(403)
    return found


def own_occurrence(occurrence_id: int):
    """Return an occurrence on one of the viewer's own goals (404 / 403 otherwise)."""
    return _on_own_goal(queries.occurrence_for(current_user, occurrence_id),
                        lambda occurrence: occurrence.activity.goal)


def own_activity(activity_id: int):
    """Return an activity on one of the viewer's own goals (404 / 403 otherwise)."""
    return _on_own_goal(queries.activity_for(current_user, activity_id),
                        lambda activity: activity.goal)


from pdplanner.learning.views import goals, offline, plan, skills, team  # noqa: E402, F401
