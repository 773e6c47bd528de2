"""Who a dashboard covers: HR the organisation, a supervisor their branch; with filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, select

from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.extensions import db

PERIODS = {"3": 91, "6": 182, "12": 365}


@dataclass(frozen=True)
class Scope:
    """The people counted and the period looked at."""

    people: Select  #: a SELECT of user ids
    since: date
    today: date
    team_id: int | None = None
    level_id: int | None = None
    months: str = "12"


def branch_ids(viewer: User) -> list[int]:
    """Return the viewer and everyone below them (depth-first, any depth)."""
    found, frontier = [viewer.id], [viewer.id]
    while frontier:
        below = list(db.session.scalars(select(User.id).where(User.supervisor_id.in_(frontier),
                                                              User.active.is_(True))))
        below = [i for i in below if i not in found]
        found.extend(below)
        frontier = below
    return found


def may_see_dashboard(viewer: User) -> bool:
    """HR, admins and anyone with reports have a dashboard; other employees do not."""
    return policy.is_hr(viewer) or viewer.is_supervisor


def scope_for(viewer: User, today: date, team_id: int | None = None,
              level_id: int | None = None, months: str = "12") -> Scope:
    """Build the scope: active people the viewer may count, narrowed by the filters."""
    query = select(User.id).where(User.active.is_(True))
    if not policy.is_hr(viewer):
        query = query.where(User.id.in_(branch_ids(viewer)))
    if team_id:
        query = query.where(User.team_id == team_id)
    if level_id:
        query = query.where(User.level_id == level_id)
    months = months if months in PERIODS else "12"
    return Scope(people=query, since=today - timedelta(days=PERIODS[months]), today=today,
                 team_id=team_id, level_id=level_id, months=months)
