"""A supervisor suggests a goal; the employee accepts it as theirs or declines with a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from pdplanner import audit, idempotency
from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.errors import PermissionDenied, RuleViolation
from pdplanner.extensions import db
from pdplanner.learning.goals import GoalData, apply_goal_data, clean_text
from pdplanner.learning.models import Goal, GoalStatus
from pdplanner.transaction import use_case


@use_case
def suggest(supervisor: User, report: User, data: GoalData, note: str,
            token: str | None = None) -> Goal:
    """Offer a goal to a direct report; it waits for their answer."""
    if not policy.is_supervisor_of(supervisor, report) or not report.active:
        raise PermissionDenied()
    if (done := idempotency.already_done(token, "goal")) is not None:
        return db.session.get(Goal, int(done.split(":")[1]))
    goal = Goal(owner_id=report.id, status=GoalStatus.SUGGESTED, chosen_by="suggested",
                suggested_by_id=supervisor.id)
    data.visibility, data.new_topic = "shared", ""
    with db.session.no_autoflush:
        apply_goal_data(report, goal, data)
    goal.why = goal.why or clean_text(note, "why")
    db.session.add(goal)
    db.session.flush()
    audit.record(supervisor.id, "goal.suggest", f"goal:{goal.id}")
    idempotency.remember(token, f"goal:{goal.id}")
    idempotency.commit_once(token)
    return goal


@use_case
def accept(owner: User, goal: Goal) -> None:
    """Take a suggested goal as one's own: it becomes active and fully editable."""
    if goal.owner_id != owner.id or goal.status != GoalStatus.SUGGESTED:
        raise PermissionDenied()
    goal.status = GoalStatus.ACTIVE
    audit.record(owner.id, "goal.accept", f"goal:{goal.id}")


@use_case
def decline(owner: User, goal: Goal, reason: str) -> None:
    """Decline a suggested goal, saying why."""
    if goal.owner_id != owner.id or goal.status != GoalStatus.SUGGESTED:
        raise PermissionDenied()
    reason = clean_text(reason, "reason", 1000)
    if not reason:
        raise RuleViolation("reason", _l("Say briefly why, so your supervisor understands."))
    goal.status, goal.decline_reason = GoalStatus.DECLINED, reason
    audit.record(owner.id, "goal.decline", f"goal:{goal.id}")
