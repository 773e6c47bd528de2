"""The printable plan's reads, as rows in two statements built once: the goals in progress
with the person's supervisor, and the dates of the weeks it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Row, Select, and_, bindparam, select
from sqlalchemy.orm import aliased

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Goal, Occurrence, OccurrenceStatus
from pdplanner.learning.queries import IN_PROGRESS, owner_dates
from pdplanner.learning.rows import GOAL_PROGRESS


@cache
def _goals_and_supervisor() -> Select:
    """The person (one row at least) with their supervisor's name, joined to each goal in
    progress (its latest progress computed), newest first."""
    person, supervisor = aliased(User), aliased(User)
    return (select(supervisor.name.label("supervisor_name"), Goal.id, Goal.title, Goal.status,
                   Goal.success, Goal.target_date, GOAL_PROGRESS)
            .select_from(person)
            .outerjoin(supervisor, supervisor.id == person.supervisor_id)
            .outerjoin(Goal, and_(Goal.owner_id == person.id, Goal.deleted_at.is_(None),
                                  Goal.status.in_(IN_PROGRESS)))
            .where(person.id == bindparam("owner_id"))
            .order_by(Goal.created_at.desc(), Goal.id.desc()))


@cache
def _dates() -> Select:
    """The owner's dates from `first` to `last`, rescheduled ones left out, with what the
    sheet shows of their activity."""
    return (owner_dates()
            .with_only_columns(Occurrence.planned_on, Occurrence.status, Activity.title,
                               Activity.kind, Activity.with_whom)
            .where(Occurrence.planned_on.between(bindparam("first"), bindparam("last")),
                   Occurrence.status != OccurrenceStatus.RESCHEDULED)
            .order_by(Occurrence.planned_on, Occurrence.id))


@dataclass(frozen=True)
class PrintedPlan:
    """What the printable plan shows: goals in progress (rows), the supervisor's name (None
    without one), the coming dates (rows) and the recent dates' counts by status."""

    goals: list[Row]
    supervisor_name: str | None
    coming: list[Row]
    recent: dict[str, int]


def printed_plan(owner: User, today: date, first: date, last: date) -> PrintedPlan:
    """Read the owner's printable plan: dates from `first` to `last`, coming from `today`."""
    rows = db.session.execute(_goals_and_supervisor(), {"owner_id": owner.id}).all()
    dates = db.session.execute(_dates(), {"owner_id": owner.id, "first": first,
                                          "last": last}).all()
    recent: dict[str, int] = {}
    for row in dates:
        if row.planned_on < today:
            recent[row.status] = recent.get(row.status, 0) + 1
    return PrintedPlan(goals=[row for row in rows if row.id is not None],
                       supervisor_name=rows[0].supervisor_name,
                       coming=[row for row in dates if row.planned_on >= today],
                       recent=recent)
