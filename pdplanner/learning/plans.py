"""Writes to plans: activities and their occurrences, outcomes, reflections, self-ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pdplanner import audit, events, idempotency
from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.catalog.models import Skill, SkillStatus
from pdplanner.errors import PermissionDenied, RuleViolation
from pdplanner.extensions import db
from pdplanner.learning.goals import check_title, clean_text
from pdplanner.learning.models import (
    ACTIVITY_KINDS,
    OPEN_STATUSES,
    RECURRENCES,
    Activity,
    Goal,
    Occurrence,
    OccurrenceStatus,
    Reflection,
    SkillAssessment,
)
from pdplanner.learning.recurrence import MAX_OCCURRENCES, MAX_SPAN_DAYS, occurrence_dates
from pdplanner.transaction import use_case
from pdplanner.types import utcnow


@dataclass
class ActivityData:
    """When and how an activity happens."""

    kind: str
    title: str
    with_whom: str = ""
    starts_on: date | None = None
    start_time: time | None = None
    duration_minutes: int | None = 60
    recurrence: str = "none"
    until: date | None = None


def _check(owner: User, data: ActivityData, saved_start: date | None = None) -> list[date]:
    """Validate an activity and return its planned dates (`saved_start` may be over a year old)."""
    if data.kind not in ACTIVITY_KINDS:
        raise RuleViolation("kind", _l("Choose a kind of activity."))
    check_title(data.title)
    clean_text(data.with_whom, "with_whom", 200)
    if data.starts_on is None:
        raise RuleViolation("starts_on", _l("Choose a date."))
    if data.starts_on != saved_start and data.starts_on < today_for(owner) - timedelta(days=365):
        raise RuleViolation("starts_on", _l("Choose a date within the last year or later."))
    if data.duration_minutes is None or not 5 <= data.duration_minutes <= 1440:
        raise RuleViolation("duration_minutes", _l("Give a duration of 5 to 1440 minutes."))
    if data.recurrence not in RECURRENCES:
        raise RuleViolation("recurrence", _l("Choose how often it repeats."))
    if data.recurrence == "none":
        return [data.starts_on]
    if data.until is None or data.until <= data.starts_on:
        raise RuleViolation("until", _l("The last date must come after the first."))
    if (data.until - data.starts_on).days > MAX_SPAN_DAYS:
        raise RuleViolation("until", _l("A repeating activity can last at most 2 years."))
    dates = occurrence_dates(data.starts_on, data.recurrence, data.until)
    if len(dates) > MAX_OCCURRENCES:
        raise RuleViolation("until", _l("That makes more than %(n)d sessions; choose an "
                                        "earlier last date.", n=MAX_OCCURRENCES))
    return dates


def _owned_open_goal(owner: User, goal: Goal) -> None:
    """Refuse others' goals and goals that no longer take activities."""
    if not policy.may_edit_goal(owner, goal):
        raise PermissionDenied()
    if goal.status not in OPEN_STATUSES or goal.deleted_at is not None:
        raise RuleViolation(None, _l("An achieved or dropped goal takes no new activities."))


@use_case
def add_activity(owner: User, goal: Goal, data: ActivityData,
                 token: str | None = None) -> Activity:
    """Plan an activity on one of the owner's open goals, with all its occurrences."""
    if (done := idempotency.already_done(token, "activity")) is not None:
        return db.session.get(Activity, int(done.split(":")[1]))
    _owned_open_goal(owner, goal)
    dates = _check(owner, data)
    activity = Activity(goal_id=goal.id, kind=data.kind, title=data.title.strip(),
                        with_whom=(data.with_whom or "").strip(), starts_on=data.starts_on,
                        start_time=data.start_time, duration_minutes=data.duration_minutes,
                        recurrence=data.recurrence,
                        until=data.until if data.recurrence != "none" else None)
    activity.occurrences = [Occurrence(planned_on=day) for day in dates]
    db.session.add(activity)
    db.session.flush()
    audit.record(owner.id, "activity.create", f"activity:{activity.id}", f"{len(dates)} dates")
    idempotency.remember(token, f"activity:{activity.id}")
    idempotency.commit_once(token)
    return activity


def add_activity_for(goal: Goal, data: ActivityData) -> Activity:
    """Plan an activity agreed in supervision on the report's goal (caller checks, commits)."""
    if goal.status not in OPEN_STATUSES or goal.deleted_at is not None:
        raise RuleViolation("goal_id", _l("An achieved or dropped goal takes no new "
                                          "activities."))
    dates = _check(goal.owner, data)
    activity = Activity(goal_id=goal.id, kind=data.kind, title=data.title.strip(),
                        with_whom=(data.with_whom or "").strip()[:200],
                        starts_on=data.starts_on, duration_minutes=data.duration_minutes or 60,
                        recurrence="none")
    activity.occurrences = [Occurrence(planned_on=day) for day in dates]
    db.session.add(activity)
    db.session.flush()
    return activity


@use_case
def update_activity(owner: User, activity: Activity, data: ActivityData) -> None:
    """Change an activity; future open occurrences follow the new schedule, history stays."""
    _owned_open_goal(owner, activity.goal)
    dates = _check(owner, data, saved_start=activity.starts_on)
    today = today_for(owner)
    for field_name in ("kind", "with_whom", "start_time", "duration_minutes", "recurrence"):
        setattr(activity, field_name, getattr(data, field_name))
    activity.title, activity.starts_on = data.title.strip(), data.starts_on
    activity.until = data.until if data.recurrence != "none" else None
    kept = [o for o in activity.occurrences if o.status != OccurrenceStatus.PLANNED
            or o.planned_on < today]
    for occurrence in activity.occurrences:
        if occurrence not in kept and occurrence.reflection is None:
            events.subject_settled.send(f"occurrence:{occurrence.id}")  # its reminders go
            db.session.delete(occurrence)
    taken = {o.planned_on for o in kept}
    for day in dates:
        if day >= today and day not in taken:
            db.session.add(Occurrence(activity=activity, planned_on=day))
    audit.record(owner.id, "activity.update", f"activity:{activity.id}")


@use_case
def set_activity_deleted(owner: User, activity: Activity, deleted: bool) -> None:
    """Delete an activity softly, or undo that."""
    if not policy.may_edit_goal(owner, activity.goal):
        raise PermissionDenied()
    activity.deleted_at = utcnow() if deleted else None
    audit.record(owner.id, "activity.delete" if deleted else "activity.restore",
                 f"activity:{activity.id}")
    if deleted:
        for occurrence in activity.occurrences:
            if occurrence.status == OccurrenceStatus.PLANNED:
                events.subject_settled.send(f"occurrence:{occurrence.id}")


@use_case
def resolve(owner: User, occurrence: Occurrence, outcome: str,
            happened_on: date | None = None, reason: str = "") -> None:
    """Say what became of an occurrence: done (when), missed (why, optional) or cancelled."""
    if not policy.may_edit_goal(owner, occurrence.activity.goal):
        raise PermissionDenied()
    if occurrence.status == OccurrenceStatus.RESCHEDULED:
        raise RuleViolation(None, _l("This date was moved; record the new one instead."))
    if outcome == OccurrenceStatus.DONE:
        happened_on = happened_on or min(occurrence.planned_on, today_for(owner))
        if happened_on > today_for(owner):
            raise RuleViolation("happened_on", _l("It cannot have happened in the future."))
        if happened_on < occurrence.planned_on - timedelta(days=365):
            raise RuleViolation("happened_on",
                                _l("Choose a date no more than a year before the planned day."))
        occurrence.happened_on, occurrence.missed_reason = happened_on, ""
    elif outcome == OccurrenceStatus.MISSED:
        occurrence.missed_reason, occurrence.happened_on = clean_text(reason, "reason", 500), None
    elif outcome == OccurrenceStatus.CANCELLED:
        occurrence.happened_on = None
    else:
        raise RuleViolation("outcome", _l("Choose done, missed or cancelled."))
    occurrence.status, occurrence.resolved_at = OccurrenceStatus(outcome), utcnow()
    audit.record(owner.id, f"occurrence.{outcome}", f"occurrence:{occurrence.id}")
    events.subject_settled.send(f"occurrence:{occurrence.id}")


@use_case
def resolve_with_reflection(owner: User, occurrence: Occurrence, outcome: str, learned: str = "",
                            apply: str = "", shared: bool = False) -> None:
    """Mark a date done or missed in one tap; a done one may carry its reflection with it."""
    resolve(owner, occurrence, outcome)
    if outcome == OccurrenceStatus.DONE and (learned.strip() or apply.strip()):
        save_reflection(owner, occurrence, learned, apply, "shared" if shared else "private")


@use_case
def reschedule(owner: User, occurrence: Occurrence, new_date: date | None) -> Occurrence:
    """Move an open occurrence to a new date; the old one stays in the history."""
    if not policy.may_edit_goal(owner, occurrence.activity.goal):
        raise PermissionDenied()
    if occurrence.status != OccurrenceStatus.PLANNED:
        raise RuleViolation(None, _l("Only a date still planned can be moved."))
    if new_date is None or new_date < today_for(owner):
        raise RuleViolation("new_date", _l("Choose a new date from today on."))
    if any(o.planned_on == new_date and o.status == OccurrenceStatus.PLANNED
           for o in occurrence.activity.occurrences):
        raise RuleViolation("new_date", _l("This activity is already planned on that day."))
    successor = Occurrence(activity_id=occurrence.activity_id, planned_on=new_date,
                           rescheduled_from_id=occurrence.id)
    occurrence.status, occurrence.resolved_at = OccurrenceStatus.RESCHEDULED, utcnow()
    db.session.add(successor)
    db.session.flush()
    audit.record(owner.id, "occurrence.reschedule", f"occurrence:{occurrence.id}",
                 f"to occurrence:{successor.id}")
    events.subject_settled.send(f"occurrence:{occurrence.id}")
    return successor


@use_case
def save_reflection(owner: User, occurrence: Occurrence, learned: str, apply: str,
                    visibility: str) -> Reflection:
    """Write what one learned from a done occurrence; private unless shared."""
    if occurrence.activity.goal.owner_id != owner.id:
        raise PermissionDenied()
    if occurrence.status != OccurrenceStatus.DONE:
        raise RuleViolation(None, _l("Reflect on an activity once it is done."))
    if visibility not in ("private", "shared"):
        raise RuleViolation("visibility", _l("Choose who can read this reflection."))
    learned, apply = clean_text(learned, "learned"), clean_text(apply, "apply")
    if not learned and not apply:
        raise RuleViolation("learned", _l("Write at least one line."))
    reflection = occurrence.reflection or Reflection(occurrence=occurrence, owner_id=owner.id)
    reflection.learned, reflection.apply, reflection.visibility = learned, apply, visibility
    db.session.add(reflection)
    db.session.flush()
    audit.record(owner.id, "reflection.save", f"reflection:{reflection.id}")
    return reflection


@use_case
def assess_skill(person: User, skill_id: int | None, level: int | None, note: str = "") -> None:
    """Rate oneself on a skill from 1 (aware) to 4 (can teach others); history is kept."""
    skill = db.session.scalar(select(Skill).where(Skill.id == skill_id)) if skill_id else None
    if skill is None or not (skill.status == SkillStatus.CATALOGUE
                             or skill.proposed_by_id == person.id):
        raise RuleViolation("skill_id", _l("Choose a skill from the list."))
    if level not in (1, 2, 3, 4):
        raise RuleViolation("level", _l("Choose a level from 1 to 4."))
    db.session.add(SkillAssessment(person_id=person.id, skill_id=skill.id, level=level,
                                   assessed_by_id=person.id, note=clean_text(note, "note", 500)))
    audit.record(person.id, "skill.assess", f"skill:{skill.id}", str(level))
