"""Who a dashboard covers: HR the organisation, a supervisor their branch; with filters."""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select

from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import branch
from pdplanner.extensions import db
from pdplanner.insights.snapshot import PERIODS, first_of_month


@dataclass(frozen=True)
class Scope:
    """The people counted and the period looked at (whole calendar months)."""

    people: Select  #: a SELECT of the live ids of the active people counted
    branch: Select | None  #: a SELECT of the viewer's branch; None for the organisation
    since: date  #: the first day of the period's first month
    today: date
    team_id: int | None = None
    level_id: int | None = None
    months: str = "12"

    @property
    def whole(self) -> bool:
        """True for the whole organisation with no filter: the summed tables answer it."""
        return self.branch is None and not self.team_id and not self.level_id

    def of(self, table) -> list:
        """Return the conditions narrowing a snapshot table to this scope."""
        conditions = []
        if self.branch is not None:
            conditions.append(table.person_id.in_(self.branch))
        if self.team_id:
            conditions.append(table.team_id == self.team_id)
        if self.level_id:
            conditions.append(table.level_id == self.level_id)
        return conditions


def branch_of(viewer: User) -> Select:
    """Return a SELECT of the viewer and every active person below them, at any depth."""
    return select(branch(viewer).c.id)


def viewer_key(viewer: User) -> tuple:
    """Whose figures a viewer sees, as a cache key: the organisation for HR; else the viewer
    and their branch as it is now (one statement), so a report moved away drops out at once."""
    if policy.is_hr(viewer):
        return ("organisation",)
    ids = sorted(db.session.scalars(branch_of(viewer)))
    digest = hashlib.blake2b(array("q", ids).tobytes(), digest_size=16).hexdigest()
    return ("branch", viewer.id, digest)


def may_see_dashboard(viewer: User) -> bool:
    """HR, admins and anyone with reports have a dashboard; other employees do not."""
    return policy.is_hr(viewer) or viewer.is_supervisor


def scope_for(viewer: User, today: date, team_id: int | None = None,
              level_id: int | None = None, months: str = "12") -> Scope:
    """Build the scope: active people the viewer may count, narrowed by the filters."""
    query = select(User.id).where(User.active.is_(True))
    branch = None if policy.is_hr(viewer) else branch_of(viewer)
    if branch is not None:
        query = query.where(User.id.in_(branch))
    if team_id:
        query = query.where(User.team_id == team_id)
    if level_id:
        query = query.where(User.level_id == level_id)
    months = months if months.isdigit() and int(months) in PERIODS else "12"
    return Scope(people=query, branch=branch, since=first_of_month(today, int(months) - 1),
                 today=today, team_id=team_id, level_id=level_id, months=months)
