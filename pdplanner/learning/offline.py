"""Actions a device queued offline (a date done or missed, a reflection, a check-in), recorded
once each: a key sent again answers as the first time; a stale action is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pdplanner.accounts.models import User
from pdplanner.errors import NotFound, RuleViolation
from pdplanner.extensions import db
from pdplanner.idempotency import DeviceAction, DeviceOutcome
from pdplanner.learning import goals, plans, queries
from pdplanner.learning.models import Occurrence, OccurrenceStatus
from pdplanner.transaction import use_case

#: The forms whose posts a device may keep offline, by endpoint.
OFFLINE_FORMS = ("learning.occurrence_quick", "learning.occurrence", "learning.reflection",
                 "learning.goal_checkin")
#: Why an action on a date resolved meanwhile is refused, by what it became.
ALREADY = {
    OccurrenceStatus.DONE: _l("This date was already marked done meanwhile: nothing was changed."),
    OccurrenceStatus.MISSED: _l("This date was already marked missed meanwhile: nothing was "
                                "changed."),
    OccurrenceStatus.CANCELLED: _l("This date was cancelled meanwhile: nothing was changed."),
    OccurrenceStatus.PLANNED: _l("This date is open again since: nothing was changed."),
}


@dataclass
class Answer:
    """What the device is told: recorded, or refused and why."""

    outcome: DeviceOutcome
    message: str = ""


def _first(person: User, key: str) -> Answer | None:
    """Return the answer given the first time this key came, if it came before."""
    row = db.session.scalar(select(DeviceAction).where(DeviceAction.person_id == person.id,
                                                       DeviceAction.key == key))
    return Answer(row.outcome, row.message) if row else None


def send(person: User, key: str, endpoint: str, args: dict, fields: dict[str, str]) -> Answer:
    """Record one queued action once; a refusal is remembered and answered again too."""
    if (first := _first(person, key)) is not None:
        return first
    what = _describe(endpoint, args)
    try:
        _record(person, key, what, endpoint, args, fields)
        return Answer(DeviceOutcome.RECORDED)
    except RuleViolation as error:
        answer = Answer(DeviceOutcome.REFUSED, str(error.message))
    except IntegrityError:  # the same key, sent twice at once: the other one was first
        return _first(person, key)
    try:
        _refuse(person, key, what, answer.message)
    except IntegrityError:
        return _first(person, key)
    return answer


def _describe(endpoint: str, args: dict) -> str:
    """Name the action for the record, e.g. "occurrence:12:done"."""
    target = args.get("occurrence_id") or args.get("goal_id")
    return f"{endpoint.removeprefix('learning.')}:{target}:{args.get('outcome', '')}"[:80]


@use_case
def _record(person: User, key: str, what: str, endpoint: str, args: dict,
            fields: dict[str, str]) -> None:
    """Apply the action and keep its key, in one transaction."""
    if endpoint == "learning.goal_checkin":
        goal = queries.goal_for(person, args["goal_id"])
        if goal is None:
            raise NotFound()
        goals.add_checkin(person, goal, _date(fields, "on"), _int(fields, "progress"),
                          fields.get("note", ""))
    else:
        occurrence = queries.occurrence_for(person, args["occurrence_id"])
        if occurrence is None:
            raise NotFound()
        _apply_to_occurrence(person, occurrence, endpoint, args, fields)
    db.session.add(DeviceAction(person_id=person.id, key=key, action=what,
                                outcome=DeviceOutcome.RECORDED))


@use_case
def _refuse(person: User, key: str, what: str, message: str) -> None:
    """Remember that the action was refused, and why."""
    db.session.add(DeviceAction(person_id=person.id, key=key, action=what,
                                outcome=DeviceOutcome.REFUSED, message=message))


def _apply_to_occurrence(person: User, occurrence: Occurrence, endpoint: str, args: dict,
                         fields: dict[str, str]) -> None:
    """Mark a date done or missed (with its reflection), or write its reflection."""
    if endpoint == "learning.reflection":
        plans.save_reflection(person, occurrence, fields.get("learned", ""),
                              fields.get("apply", ""), fields.get("visibility", "private"))
        return
    _check_still_as_seen(occurrence, fields.get("seen", OccurrenceStatus.PLANNED))
    if endpoint == "learning.occurrence_quick":
        plans.resolve_with_reflection(person, occurrence, args["outcome"],
                                      fields.get("learned", ""), fields.get("apply", ""),
                                      bool(fields.get("share")))
    else:
        plans.resolve(person, occurrence, fields.get("outcome", ""),
                      _date(fields, "happened_on"), fields.get("reason", ""))


def _check_still_as_seen(occurrence: Occurrence, seen: str) -> None:
    """Refuse an action on a date that changed since the page was read: moved or resolved."""
    if occurrence.status == seen:
        return
    if occurrence.status == OccurrenceStatus.RESCHEDULED:
        successor = db.session.scalar(select(Occurrence).where(
            Occurrence.rescheduled_from_id == occurrence.id))
        raise RuleViolation(None, _l(
            "This date was moved to %(day)s meanwhile: nothing was recorded.",
            day=format_date(successor.planned_on) if successor else "?"))
    raise RuleViolation(None, ALREADY[occurrence.status])


def _date(fields: dict[str, str], name: str) -> date | None:
    """Read a YYYY-MM-DD field; a wrong one is refused by name."""
    value = (fields.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RuleViolation(name, _l("Give a valid date.")) from None


def _int(fields: dict[str, str], name: str) -> int | None:
    """Read a whole-number field; a wrong one is refused by name."""
    value = (fields.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 3:
        raise RuleViolation(name, _l("Give a whole number from 0 to 100."))
    return int(value)
