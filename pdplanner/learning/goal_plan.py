"""A goal's plan as its page reads it: the activities, their dates and the reflections the
viewer may read, as rows of one statement."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, false, select, true

from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.learning.goal_page import Owner
from pdplanner.learning.models import Activity, Goal, Occurrence, Reflection


def reflection_rule(viewer: User, found: Goal, owner: Owner) -> str:
    """Which of a goal's reflections the viewer reads: all if theirs; the shared ones if
    they supervise its owner and the goal is shared; else none."""
    if found.owner_id == viewer.id:
        return "all"
    if policy.is_supervisor_of(viewer, owner) and found.visibility == "shared":
        return "shared"
    return "none"


#: The reflections each rule lets the viewer read.
_REFLECTIONS = {"all": true(), "shared": Reflection.visibility == "shared", "none": false()}


class PlannedDate(NamedTuple):
    """One date of an activity, with the reflection the viewer may read (or None's)."""

    id: int
    planned_on: date
    status: str
    happened_on: date | None
    missed_reason: str
    reflection_id: int | None
    learned: str | None
    apply: str | None
    reflection_visibility: str | None


class PlannedActivity(NamedTuple):
    """One activity of a goal's plan and its dates, in order."""

    id: int
    kind: str
    title: str
    with_whom: str
    duration_minutes: int
    recurrence: str
    until: date | None
    start_time: time | None
    deleted_at: datetime | None
    dates: list[PlannedDate]


_ACTIVITY = (Activity.id, Activity.kind, Activity.title, Activity.with_whom,
             Activity.duration_minutes, Activity.recurrence, Activity.until,
             Activity.start_time, Activity.deleted_at)
_DATE = (Occurrence.id, Occurrence.planned_on, Occurrence.status, Occurrence.happened_on,
         Occurrence.missed_reason, Reflection.id, Reflection.learned, Reflection.apply,
         Reflection.visibility)


@cache
def _plan(rule: str) -> Select:
    """The goal's activities, dates and the reflections `rule` lets the viewer read."""
    return (select(*_ACTIVITY, *_DATE)
            .outerjoin(Occurrence, Occurrence.activity_id == Activity.id)
            .outerjoin(Reflection, and_(Reflection.occurrence_id == Occurrence.id,
                                        _REFLECTIONS[rule]))
            .where(Activity.goal_id == bindparam("goal_id"))
            .order_by(Activity.starts_on, Activity.id, Occurrence.planned_on, Occurrence.id))


def plan(viewer: User, found: Goal, owner: Owner) -> list[PlannedActivity]:
    """Return the goal's activities (deleted ones too) with their dates and the
    reflections the viewer may read, as rows read by one statement."""
    activities: list[PlannedActivity] = []
    width = len(_ACTIVITY)
    for row in db.session.execute(_plan(reflection_rule(viewer, found, owner)),
                                  {"goal_id": found.id}):
        if not activities or activities[-1].id != row[0]:
            activities.append(PlannedActivity(*row[:width], []))
        if row[width] is not None:
            activities[-1].dates.append(PlannedDate(*row[width:]))
    return activities
