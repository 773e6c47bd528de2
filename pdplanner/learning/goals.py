"""Writes to goals: create, edit, lifecycle, agreement, check-ins, comments, suggestions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pdplanner import audit, events, idempotency
from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.catalog.models import Alignment, Skill, SkillStatus
from pdplanner.errors import PermissionDenied, RuleViolation, StaleEdit
from pdplanner.extensions import db
from pdplanner.learning.models import (
    OPEN_STATUSES,
    Activity,
    CheckIn,
    Goal,
    GoalComment,
    GoalStatus,
    Occurrence,
    OccurrenceStatus,
)
from pdplanner.transaction import use_case
from pdplanner.types import utcnow

TEXT_MAX = 2000
#: Allowed lifecycle moves: action → (statuses it starts from, status it leads to).
TRANSITIONS = {
    "activate": ((GoalStatus.DRAFT,), GoalStatus.ACTIVE),
    "pause": ((GoalStatus.ACTIVE,), GoalStatus.PAUSED),
    "resume": ((GoalStatus.PAUSED,), GoalStatus.ACTIVE),
    "achieve": ((GoalStatus.ACTIVE, GoalStatus.PAUSED), GoalStatus.ACHIEVED),
    "drop": (OPEN_STATUSES, GoalStatus.DROPPED),
    "reopen": ((GoalStatus.ACHIEVED, GoalStatus.DROPPED), GoalStatus.ACTIVE),
}


@dataclass
class GoalData:
    """What an employee writes about a goal."""

    title: str
    why: str = ""
    success: str = ""
    target_date: date | None = None
    skill_ids: list[int] = field(default_factory=list)
    alignment_ids: list[int] = field(default_factory=list)
    personal_interest: bool = False
    visibility: str = "private"
    new_topic: str = ""


def clean_text(value: str | None, field_name: str, limit: int = TEXT_MAX) -> str:
    """Return trimmed text no longer than `limit`, or raise RuleViolation."""
    value = (value or "").strip()
    if len(value) > limit:
        raise RuleViolation(field_name, _l("Keep this under %(n)d characters.", n=limit))
    return value


def check_title(title: str | None, field_name: str = "title") -> str:
    """Return a 3-200 character title, or raise RuleViolation."""
    title = (title or "").strip()
    if not 3 <= len(title) <= 200:
        raise RuleViolation(field_name, _l("Write a title of 3 to 200 characters."))
    return title


def apply_goal_data(owner: User, goal: Goal, data: GoalData) -> None:
    """Validate `data` and copy it onto the goal (no commit)."""
    title = check_title(data.title)
    why, success = clean_text(data.why, "why"), clean_text(data.success, "success")
    if (data.target_date is not None and data.target_date != goal.target_date
            and data.target_date < today_for(owner)):  # an unchanged, passed date is kept
        raise RuleViolation("target_date", _l("Choose a target date from today on."))
    if data.visibility not in ("private", "shared"):
        raise RuleViolation("visibility", _l("Choose who can see this goal."))
    topic = (data.new_topic or "").strip()
    if topic and not 2 <= len(topic) <= 160:
        raise RuleViolation("new_topic", _l("Name the topic in 2 to 160 characters."))
    skills = list(db.session.scalars(select(Skill).where(Skill.id.in_(data.skill_ids))))
    allowed = {s.id for s in skills if s.status == SkillStatus.CATALOGUE
               or (s.proposed_by_id == owner.id and s.status in (SkillStatus.PROPOSED,
                                                                 SkillStatus.PERSONAL))}
    if set(data.skill_ids) - allowed:
        raise RuleViolation("skill_ids", _l("Choose skills from the list."))
    alignments = list(db.session.scalars(select(Alignment).where(
        Alignment.id.in_(data.alignment_ids), Alignment.archived.is_(False))))
    if len(alignments) != len(set(data.alignment_ids)):
        raise RuleViolation("alignment_ids", _l("Choose values and priorities from the list."))
    if topic:
        proposal = Skill(name_en=topic, name_fr=topic, status=SkillStatus.PROPOSED,
                         proposed_by_id=owner.id)
        db.session.add(proposal)
        skills.append(proposal)
    goal.title, goal.why, goal.success, goal.target_date = title, why, success, data.target_date
    goal.visibility, goal.personal_interest = data.visibility, bool(data.personal_interest)
    goal.skills, goal.alignments = skills, alignments


@use_case
def create_goal(owner: User, data: GoalData, start: bool, token: str | None = None) -> Goal:
    """Create one of the owner's own goals (a draft, or active at once); once per form."""
    if (done := idempotency.already_done(token, "goal")) is not None:
        return db.session.get(Goal, int(done.split(":")[1]))
    goal = Goal(owner_id=owner.id, chosen_by="self",
                status=GoalStatus.ACTIVE if start else GoalStatus.DRAFT)
    with db.session.no_autoflush:
        apply_goal_data(owner, goal, data)
    db.session.add(goal)
    db.session.flush()
    audit.record(owner.id, "goal.create", f"goal:{goal.id}")
    idempotency.remember(token, f"goal:{goal.id}")
    if not idempotency.commit_once(token):
        return db.session.get(Goal, int(idempotency.already_done(token).split(":")[1]))
    return goal


@use_case
def update_goal(owner: User, goal: Goal, data: GoalData, version: int) -> None:
    """Save the owner's edit, refusing it when the goal changed since the form was loaded."""
    if not policy.may_edit_goal(owner, goal):
        raise PermissionDenied()
    if version != goal.version:
        raise StaleEdit()
    with db.session.no_autoflush:
        apply_goal_data(owner, goal, data)
    audit.record(owner.id, "goal.update", f"goal:{goal.id}")


@use_case
def change_status(owner: User, goal: Goal, action: str, reason: str = "") -> None:
    """Move a goal along its lifecycle; dropping needs a reason."""
    if not policy.may_edit_goal(owner, goal):
        raise PermissionDenied()
    if action not in TRANSITIONS or goal.status not in TRANSITIONS[action][0]:
        raise RuleViolation(None, _l("This goal cannot do that in its current state."))
    reason = clean_text(reason, "reason", 1000)
    if action == "drop" and not reason:
        raise RuleViolation("reason", _l("Say briefly why you drop this goal."))
    goal.status = TRANSITIONS[action][1]
    if action == "drop":
        goal.drop_reason = reason
    goal.achieved_at = utcnow() if action == "achieve" else goal.achieved_at
    if goal.status not in OPEN_STATUSES:
        settle_open_dates(goal)
    audit.record(owner.id, f"goal.{action}", f"goal:{goal.id}")


def settle_open_dates(goal: Goal) -> None:
    """Tell reminders that the goal's still-open dates need nothing more (goal closed)."""
    for occurrence_id in db.session.scalars(
            select(Occurrence.id).join(Activity, Occurrence.activity_id == Activity.id)
            .where(Activity.goal_id == goal.id, Occurrence.status == OccurrenceStatus.PLANNED)):
        events.subject_settled.send(f"occurrence:{occurrence_id}")


@use_case
def agree(supervisor: User, goal: Goal) -> None:
    """Record that the owner's supervisor agreed this goal, now."""
    if not policy.is_supervisor_of(supervisor, goal.owner) or goal.visibility != "shared":
        raise PermissionDenied()
    if goal.status not in OPEN_STATUSES:
        raise RuleViolation(None, _l("Only a goal in progress can be agreed."))
    goal.agreed_at, goal.agreed_by_id = utcnow(), supervisor.id
    audit.record(supervisor.id, "goal.agree", f"goal:{goal.id}")


@use_case
def add_checkin(owner: User, goal: Goal, on: date | None, progress: int | None,
                note: str, token: str | None = None) -> None:
    """Record progress on a goal at a date (not in the future)."""
    if not policy.may_edit_goal(owner, goal):
        raise PermissionDenied()
    if idempotency.already_done(token, "checkin"):
        return
    if on is None or on > today_for(owner):
        raise RuleViolation("on", _l("Choose a date up to today."))
    if progress is None or not 0 <= progress <= 100:
        raise RuleViolation("progress", _l("Give a progress between 0 and 100 %."))
    checkin = CheckIn(goal_id=goal.id, on=on, progress=progress,
                      note=clean_text(note, "note", 1000))
    db.session.add(checkin)
    db.session.flush()
    audit.record(owner.id, "goal.checkin", f"goal:{goal.id}")
    idempotency.remember(token, f"checkin:{checkin.id}")
    idempotency.commit_once(token)


@use_case
def add_comment(author: User, goal: Goal, text: str) -> None:
    """Comment on a goal: its owner, or their supervisor on a shared goal."""
    if goal.owner_id != author.id and not (
            policy.is_supervisor_of(author, goal.owner) and goal.visibility == "shared"):
        raise PermissionDenied()
    text = clean_text(text, "text")
    if not text:
        raise RuleViolation("text", _l("Write a comment first."))
    db.session.add(GoalComment(goal_id=goal.id, author_id=author.id, text=text))
    audit.record(author.id, "goal.comment", f"goal:{goal.id}")


@use_case
def set_deleted(owner: User, goal: Goal, deleted: bool) -> None:
    """Delete a goal softly, or undo that."""
    if not policy.may_edit_goal(owner, goal):
        raise PermissionDenied()
    goal.deleted_at = utcnow() if deleted else None
    if deleted:
        settle_open_dates(goal)
    audit.record(owner.id, "goal.delete" if deleted else "goal.restore", f"goal:{goal.id}")
