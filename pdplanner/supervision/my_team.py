"""My team: one page of the branch below a supervisor, each person's figures read with it in
one statement (the page of people is a CTE the figures are grouped over); the page's people
are then kept per process under the people stamp, and later requests read only their figures
by id (supervision/branch_pages.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import (
    CTE,
    BigInteger,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    select,
)

from pdplanner.accounts import people_stamp
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import MAX_DEPTH, branch
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Goal, GoalStatus, Occurrence, OccurrenceStatus
from pdplanner.paging import Page
from pdplanner.supervision.branch_pages import Person, branch_pages
from pdplanner.supervision.models import Session, SessionStatus
from pdplanner.supervision.queries import SHARED_LIVE
from pdplanner.types import utcnow


@dataclass
class TeamRow:
    """One person's figures on My team (shared goals only: private ones stay private)."""

    id: int
    name: str
    #: The person's supervisor's name ("via …" below the direct reports).
    via: str | None
    direct: bool
    depth: int
    active_goals: int = 0
    progress: int = 0
    done: int = 0
    missed: int = 0
    to_resolve: int = 0
    last_held: date | None = None
    next_session: datetime | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def adherence(self) -> int | None:
        """Share of resolved dates that were done, in percent (None with nothing resolved)."""
        total = self.done + self.missed
        return round(100 * self.done / total) if total else None


def _count_if(*conditions):
    return func.sum(case((and_(*conditions), 1), else_=0))


#: The statement's parameters: the viewer, the page's bounds, and the days and instant
#: the figures are counted against.
VIEWER = bindparam("viewer_id", type_=Integer)
#: 64-bit: the last page number a query string may ask for (2**31 - 1) times 50 is past 2**31.
PER_PAGE, OFFSET = bindparam("per_page", type_=Integer), bindparam("offset", type_=BigInteger)
SINCE, TODAY, NOW = bindparam("since"), bindparam("today"), bindparam("now")
#: The ids of a page of the branch kept from an earlier request.
IDS = bindparam("ids", expanding=True)


def _page_of_branch() -> CTE:
    """Everyone below the viewer, one page of them (direct reports first, then each level
    down, by name), each with their supervisor's name and the branch's size.

    The branch is walked as `accounts.queries.branch` walks it, carrying the names along, so
    the page needs no second look at the people (or their supervisors) it found."""
    top = (select(User.id, User.name, literal(0).label("depth"),
                  cast(null(), User.name.type).label("via"))
           .where(User.id == VIEWER).cte("team_branch", recursive=True))
    below = top.union(  # UNION, not UNION ALL: a loop adds no row twice at one depth
        select(User.id, User.name, top.c.depth + 1, top.c.name).join(
            top, User.supervisor_id == top.c.id)
        .where(User.active.is_(True), top.c.depth < MAX_DEPTH))
    sort_name = func.lower(below.c.name)
    return (select(below.c.id, below.c.name, below.c.via, below.c.depth,
                   sort_name.label("sort_name"), func.count().over().label("total"))
            .where(below.c.depth > 0).order_by(below.c.depth, sort_name, below.c.id)
            .limit(PER_PAGE).offset(OFFSET).cte("team_page"))


def _with_figures(people: Select, page=None) -> Select:
    """The people (ids from `people`) with their goals, dates and sessions grouped per person,
    and the people stamp read in the same statement."""
    goals = (select(Goal.owner_id.label("id"), func.count().label("active"))
             .where(SHARED_LIVE, Goal.status == GoalStatus.ACTIVE, Goal.owner_id.in_(people))
             .group_by(Goal.owner_id).subquery("team_goals"))
    # One pass over the shared goals' dates: no filter on status or day for the planner to
    # mistake for the way in (it starts from the people's goals, then their activities).
    dates = (select(Goal.owner_id.label("id"),
                    _count_if(Occurrence.status == OccurrenceStatus.DONE,
                              Occurrence.planned_on >= SINCE).label("done"),
                    _count_if(Occurrence.status == OccurrenceStatus.MISSED,
                              Occurrence.planned_on >= SINCE).label("missed"),
                    _count_if(Occurrence.status == OccurrenceStatus.PLANNED,
                              Occurrence.planned_on < TODAY).label("open"))
             .select_from(Occurrence).join(Activity).join(Goal)
             .where(SHARED_LIVE, Goal.owner_id.in_(people), Activity.deleted_at.is_(None))
             .group_by(Goal.owner_id).subquery("team_dates"))
    planned = Session.status == SessionStatus.PLANNED
    sessions = (select(Session.report_id.label("id"),
                       func.max(case((Session.status == SessionStatus.HELD, Session.held_on)))
                       .label("last_held"),
                       func.min(case((and_(planned, Session.starts_at >= NOW),
                                      Session.starts_at))).label("coming"),
                       _count_if(planned, Session.starts_at < NOW).label("open"))
                .where(Session.report_id.in_(people), Session.deleted_at.is_(None))
                .group_by(Session.report_id)
                .subquery("team_sessions"))
    if page is None:  # the page was kept: its people by id, in any order
        page = select(User.id).where(User.id.in_(people)).subquery("team_known")
        columns, order = [page.c.id], [page.c.id]
    else:
        columns = [page.c.id, page.c.name, page.c.via, page.c.depth, page.c.total]
        order = [page.c.depth, page.c.sort_name, page.c.id]
    return (select(*columns, goals.c.active, dates.c.done, dates.c.missed,
                   dates.c.open.label("open_dates"), sessions.c.last_held, sessions.c.coming,
                   sessions.c.open.label("open_sessions"), people_stamp.current().label("stamp"))
            .select_from(page).outerjoin(goals, goals.c.id == page.c.id)
            .outerjoin(dates, dates.c.id == page.c.id)
            .outerjoin(sessions, sessions.c.id == page.c.id).order_by(*order))


@cache
def _statement() -> Select:
    """The page's people found by walking the branch, with their figures (built once: only
    its parameters change from one request to the next)."""
    page = _page_of_branch()
    return _with_figures(select(page.c.id), page)


@cache
def _known_statement() -> Select:
    """The figures of a kept page's people, by id (built once)."""
    return _with_figures(IDS)


def _row(person, found: Row, today: date) -> TeamRow:
    """Turn one person (id, name, via, depth) and their figures into the row My team shows,
    flags included."""
    row = TeamRow(id=person.id, name=person.name, via=person.via, direct=person.depth == 1,
                  depth=person.depth, active_goals=found.active or 0, done=found.done or 0,
                  missed=found.missed or 0,
                  to_resolve=(found.open_dates or 0) + (found.open_sessions or 0),
                  last_held=found.last_held, next_session=found.coming)
    if not row.active_goals:
        row.flags.append("no_goal")
    if row.last_held is None or row.last_held < today - timedelta(days=60):
        row.flags.append("no_session")
    return row


def team(viewer: User, today: date, page_number: int, per_page: int) -> tuple[list[TeamRow], Page]:
    """Return one page of My team (direct reports first, then the branch below) with each
    person's figures, in one statement whatever the branch's size.

    The page's people (who, named how, at what depth, and the branch's size) are kept per
    process under the people stamp they were read with; the next request reads only their
    figures and the stamp, and walks the branch again if the stamp has moved."""
    values = {"viewer_id": viewer.id, "per_page": per_page,
              "offset": (page_number - 1) * per_page, "since": today - timedelta(days=90),
              "today": today, "now": utcnow()}
    kept_pages = branch_pages()
    key = (viewer.id, page_number, per_page)
    kept = kept_pages.get(key)
    if kept is not None:
        stamp, people, total = kept
        figures = db.session.execute(_known_statement(),
                                     {**values, "ids": [p.id for p in people]}).all()
        if len(figures) == len(people) and figures[0].stamp == stamp:
            by_id = {f.id: f for f in figures}
            rows = [_row(person, by_id[person.id], today) for person in people]
            return rows, Page(page=page_number, per_page=per_page, total=total, items=rows)
    found = db.session.execute(_statement(), values).all()
    if found:
        total = found[0].total
        if found[0].stamp is not None:
            kept_pages.put(found[0].stamp, key, (
                [Person(f.id, f.name, f.via, f.depth) for f in found], total))
    else:  # past the last page (or nobody below): the size still tells the pager
        below = branch(viewer)
        total = db.session.scalar(select(func.count()).select_from(below)
                                  .where(below.c.depth > 0)) if page_number > 1 else 0
    rows = [_row(person, person, today) for person in found]
    return rows, Page(page=page_number, per_page=per_page, total=total, items=rows)


#: Sessions to resolve shown on My team (the oldest); the rest are on their own page.
RESOLVE_SHOWN = 10
#: Sessions to resolve a page on that page.
RESOLVE_PER_PAGE = 25


@cache
def _to_resolve_statement() -> Select:
    """A page of a supervisor's past sessions still planned, with the report's name and how
    many there are (built once)."""
    return (select(Session.id, Session.starts_at, User.name, func.count().over().label("total"))
            .join(User, User.id == Session.report_id)
            .where(Session.supervisor_id == VIEWER, Session.status == SessionStatus.PLANNED,
                   Session.deleted_at.is_(None), Session.starts_at < NOW)
            .order_by(Session.starts_at, Session.id).limit(PER_PAGE).offset(OFFSET))


def sessions_to_resolve(supervisor: User, page_number: int = 1,
                        per_page: int = RESOLVE_SHOWN) -> Page:
    """Return one page of the supervisor's past sessions still open (held or missed?) as
    (id, starts_at, name) rows, oldest first, with how many there are."""
    found = db.session.execute(_to_resolve_statement(), {
        "viewer_id": supervisor.id, "now": utcnow(), "per_page": per_page,
        "offset": (page_number - 1) * per_page}).all()
    total = found[0].total if found else 0
    if not found and page_number > 1:  # past the end: the pager still needs the size
        total = sessions_to_resolve(supervisor, 1, 1).total
    return Page(page=page_number, per_page=per_page, total=total, items=found)
