"""My team's statements, each built once (only their parameters change between requests).

- `walk()`: one page of the branch below a supervisor (a CTE the figures are grouped over),
  each person's figures and figures stamp, and the people stamp, in one statement;
- `stamps()`: the figures stamps of a kept page's people, by id, with the people stamp;
- `recount()`: the figures (and stamps) of the people whose stamp moved, by id;
- `to_resolve()`: a page of a supervisor's past sessions still open."""

from __future__ import annotations

from functools import cache

from sqlalchemy import (
    CTE,
    BigInteger,
    Integer,
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
from pdplanner.accounts.queries import MAX_DEPTH
from pdplanner.learning.models import Activity, Goal, GoalStatus, Occurrence, OccurrenceStatus
from pdplanner.supervision import figures_stamp
from pdplanner.supervision.models import Session, SessionStatus
from pdplanner.supervision.queries import SHARED_LIVE

#: The statements' parameters: the viewer, the page's bounds, and the days and instant
#: the figures are counted against.
VIEWER = bindparam("viewer_id", type_=Integer)
#: 64-bit: the last page number a query string may ask for (2**31 - 1) times 50 is past 2**31.
PER_PAGE, OFFSET = bindparam("per_page", type_=Integer), bindparam("offset", type_=BigInteger)
SINCE, TODAY, NOW = bindparam("since"), bindparam("today"), bindparam("now")
#: The ids of the people asked about (a kept page's, or those whose stamp moved).
IDS = bindparam("ids", expanding=True)


def _count_if(*conditions):
    return func.sum(case((and_(*conditions), 1), else_=0))


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
    """The people (ids from `people`) with their goals, dates and sessions grouped per person
    and their figures stamps, and the people stamp, all read in the same statement."""
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
    if page is None:  # the people whose stamp moved, by id, in any order
        page = select(User.id).where(User.id.in_(people)).subquery("team_known")
        columns, order = [page.c.id], [page.c.id]
    else:
        columns = [page.c.id, page.c.name, page.c.via, page.c.depth, page.c.total]
        order = [page.c.depth, page.c.sort_name, page.c.id]
    return (select(*columns, goals.c.active, dates.c.done, dates.c.missed,
                   dates.c.open.label("open_dates"), sessions.c.last_held, sessions.c.coming,
                   sessions.c.open.label("open_sessions"),
                   figures_stamp.of(page.c.id).label("figures_stamp"),
                   people_stamp.current().label("stamp"))
            .select_from(page).outerjoin(goals, goals.c.id == page.c.id)
            .outerjoin(dates, dates.c.id == page.c.id)
            .outerjoin(sessions, sessions.c.id == page.c.id).order_by(*order))


@cache
def walk() -> Select:
    """The page's people found by walking the branch, with their figures."""
    page = _page_of_branch()
    return _with_figures(select(page.c.id), page)


@cache
def recount() -> Select:
    """The figures of some people, by id."""
    return _with_figures(IDS)


@cache
def stamps() -> Select:
    """The figures stamps of a kept page's people, by id, and the people stamp."""
    return (select(User.id, figures_stamp.of(User.id).label("figures_stamp"),
                   people_stamp.current().label("stamp")).where(User.id.in_(IDS)))


@cache
def to_resolve() -> Select:
    """A page of a supervisor's past sessions still planned, with the report's name and how
    many there are."""
    return (select(Session.id, Session.starts_at, User.name, func.count().over().label("total"))
            .join(User, User.id == Session.report_id)
            .where(Session.supervisor_id == VIEWER, Session.status == SessionStatus.PLANNED,
                   Session.deleted_at.is_(None), Session.starts_at < NOW)
            .order_by(Session.starts_at, Session.id).limit(PER_PAGE).offset(OFFSET))
