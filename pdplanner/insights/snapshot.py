"""Rebuild the dashboard's snapshot from the live tables.

Run by the scheduler (``insights.refresh``), by ``pdplanner insights refresh``, after the demo
seed, on a dashboard's first view, and when someone asks for fresh figures. Every count is a
GROUP BY in the database (``INSERT … SELECT``): nothing is loaded as objects. Only the median
days between sessions are computed here, from three small columns.

The refresh works on a connection of its own, in two transactions. The first only reads the
live tables and fills TEMPORARY copies of the snapshot tables (on SQLite a temporary table
lives outside the database file, so this takes no write lock however long it runs). The
second, short one writes the rows that changed: each statement of a page sees the old figures
or the new ones, never half of a swap, and writers wait for that short copy rather than for
the counting.
"""

from __future__ import annotations

import time as clock
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation
from pdplanner.extensions import db
from pdplanner.insights.models import (
    GapFacts,
    MonthFacts,
    PersonFacts,
    SessionFacts,
    SkillFacts,
    SkillTotals,
    Snapshot,
    SupervisorFacts,
    SupervisorMonthFacts,
    TeamMonthFacts,
)
from pdplanner.learning.models import (
    Activity,
    Goal,
    GoalStatus,
    Occurrence,
    OccurrenceStatus,
    SkillAssessment,
    goal_alignment,
)
from pdplanner.supervision.models import GoalReview, Session, SessionStatus
from pdplanner.types import today_in, utcnow

#: How far back the monthly tables go: 12 months for the protocol, 8 quarters of growth.
MONTHS_KEPT = 24
#: The dashboard's periods, in months (the current month counts as one).
PERIODS = (3, 6, 12)
#: Goals that count as chosen: not a suggestion still waiting, not a declined one.
COUNTED = (GoalStatus.SUGGESTED, GoalStatus.DECLINED)
#: The counters of MonthFacts and TeamMonthFacts.
SUMS = ("planned", "done", "missed", "cancelled", "to_resolve", "goals_new", "goals_self",
        "goals_aligned", "goals_personal", "goals_achieved")
#: Every snapshot table, emptied in this order before a rebuild.
TABLES = (SkillTotals, SkillFacts, SupervisorFacts, GapFacts, SupervisorMonthFacts,
          TeamMonthFacts, SessionFacts, MonthFacts, PersonFacts)
#: Temporary copies of the snapshot tables, filled before the swap (see the module's text).
STAGING = MetaData()
STAGED = {model: Table(f"staged_{model.__tablename__}", STAGING,
                       *[Column(c.name, c.type) for c in model.__table__.columns],
                       prefixes=["TEMPORARY"])
          for model in TABLES}
#: The PostgreSQL advisory lock taken by a refresh.
LOCK_KEY = 6_417_001


class month_start(FunctionElement):  # noqa: N801 (an SQL function is named like one)
    """The first day of the month of a date, or of a UTC timestamp (``utc=True``)."""

    type = Date()
    inherit_cache = True
    name = "month_start"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_start, "postgresql")
def _month_start_postgresql(element, compiler, **kw):
    # Timestamps are timestamptz: read them in UTC whatever the session's time zone.
    inner = compiler.process(element.clauses, **kw)
    if getattr(element, "utc", False):
        inner = f"({inner} AT TIME ZONE 'UTC')"
    return f"CAST(date_trunc('month', {inner}) AS DATE)"


def _month(column, utc: bool = False) -> month_start:
    element = month_start(column)
    element.utc = utc
    return element


def first_of_month(day: date, months_back: int = 0) -> date:
    """Return the first day of the month `months_back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def current() -> Snapshot | None:
    """Return the latest snapshot's stamp, or None before the first refresh."""
    return db.session.get(Snapshot, 1)


def identity(stamp: Snapshot) -> tuple:
    """Tell one snapshot from another: when it was taken, for which day, how long it took."""
    return (stamp.refreshed_at, stamp.as_of, stamp.seconds)


def count_where(condition):
    """SQL: how many rows of the group meet `condition`."""
    return func.sum(case((condition, 1), else_=0))


def _zero():
    return literal(0, Integer)


def _people(conn, as_of: date) -> None:
    """Active goals, latest learning done, latest session, oldest date to resolve."""
    live = and_(Goal.deleted_at.is_(None), Activity.deleted_at.is_(None))
    goals = (select(Goal.owner_id.label("pid"), func.count().label("n"))
             .where(Goal.status == GoalStatus.ACTIVE, Goal.deleted_at.is_(None))
             .group_by(Goal.owner_id).subquery())
    dates = (select(Goal.owner_id.label("pid"),
                    func.max(case((Occurrence.status == OccurrenceStatus.DONE,
                                   Occurrence.happened_on))).label("last_done"),
                    func.min(case((Occurrence.status == OccurrenceStatus.PLANNED,
                                   Occurrence.planned_on))).label("oldest_open"))
             .join(Activity, Activity.goal_id == Goal.id)
             .join(Occurrence, Occurrence.activity_id == Activity.id)
             .where(live, or_(Occurrence.status == OccurrenceStatus.DONE,
                              and_(Occurrence.status == OccurrenceStatus.PLANNED,
                                   Occurrence.planned_on <= as_of)))
             .group_by(Goal.owner_id).subquery())
    held = (select(Session.report_id.label("pid"), func.max(Session.held_on).label("last"))
            .where(Session.status == SessionStatus.HELD, Session.deleted_at.is_(None))
            .group_by(Session.report_id).subquery())
    rows = (select(User.id, User.team_id, User.level_id, User.name, func.coalesce(goals.c.n, 0),
                   dates.c.last_done, held.c.last, dates.c.oldest_open,
                   User.supervisor_id.is_not(None))
            .outerjoin(goals, goals.c.pid == User.id).outerjoin(dates, dates.c.pid == User.id)
            .outerjoin(held, held.c.pid == User.id).where(User.active.is_(True)))
    conn.execute(insert(STAGED[PersonFacts]).from_select(
        ["person_id", "team_id", "level_id", "person_name", "active_goals", "last_done_on",
         "last_held_on", "oldest_open_on", "has_supervisor"], rows))


def _months(conn, first: date, as_of: date) -> None:
    """Activity dates by outcome, goals started and achieved: per person and month."""
    since = datetime.combine(first, time(), tzinfo=UTC)
    status = Occurrence.status
    dates = (select(_month(Occurrence.planned_on).label("month"), Goal.owner_id.label("pid"),
                    func.count().label("planned"),
                    count_where(status == OccurrenceStatus.DONE).label("done"),
                    count_where(status == OccurrenceStatus.MISSED).label("missed"),
                    count_where(status == OccurrenceStatus.CANCELLED).label("cancelled"),
                    count_where(status == OccurrenceStatus.PLANNED).label("to_resolve"),
                    _zero().label("goals_new"), _zero().label("goals_self"),
                    _zero().label("goals_aligned"), _zero().label("goals_personal"),
                    _zero().label("goals_achieved"))
             .join(Activity, Occurrence.activity_id == Activity.id)
             .join(Goal, Activity.goal_id == Goal.id)
             .where(Goal.deleted_at.is_(None), Activity.deleted_at.is_(None),
                    status != OccurrenceStatus.RESCHEDULED, Occurrence.planned_on >= first,
                    Occurrence.planned_on <= as_of)
             .group_by(_month(Occurrence.planned_on), Goal.owner_id))
    aligned = Goal.id.in_(select(goal_alignment.c.goal_id))
    started = (select(_month(Goal.created_at, utc=True), Goal.owner_id, _zero(), _zero(),
                      _zero(), _zero(), _zero(), func.count(),
                      count_where(Goal.chosen_by == "self"), count_where(aligned),
                      count_where(Goal.personal_interest.is_(True)), _zero())
               .where(Goal.deleted_at.is_(None), Goal.status.not_in(COUNTED),
                      Goal.created_at >= since)
               .group_by(_month(Goal.created_at, utc=True), Goal.owner_id))
    achieved = (select(_month(Goal.achieved_at, utc=True), Goal.owner_id, _zero(), _zero(),
                       _zero(), _zero(), _zero(), _zero(), _zero(), _zero(), _zero(),
                       func.count())
                .where(Goal.deleted_at.is_(None), Goal.status == GoalStatus.ACHIEVED,
                       Goal.achieved_at >= since)
                .group_by(_month(Goal.achieved_at, utc=True), Goal.owner_id))
    parts = union_all(dates, started, achieved).subquery()
    rows = (select(parts.c.month, parts.c.pid, User.team_id, User.level_id,
                   *[func.sum(parts.c[name]) for name in SUMS])
            .join(User, User.id == parts.c.pid).where(User.active.is_(True))
            .group_by(parts.c.month, parts.c.pid, User.team_id, User.level_id))
    conn.execute(insert(STAGED[MonthFacts]).from_select(
        ["month", "person_id", "team_id", "level_id", *SUMS], rows))


def _session_rows(first: date, now: datetime):
    """One row per session that counts: its month, pair, team, level, held and reviewed.

    A session held before its planned day counts from the day it was held."""
    since = datetime.combine(first, time(), tzinfo=UTC)
    held = Session.status == SessionStatus.HELD
    early = and_(held, Session.starts_at > now)
    flags = (Session.report_id.label("pid"), Session.supervisor_id.label("sid"),
             User.team_id.label("team_id"), User.level_id.label("level_id"),
             case((held, 1), else_=0).label("held"),
             case((and_(held, Session.id.in_(select(GoalReview.session_id))), 1),
                  else_=0).label("reviewed"))
    live = and_(User.active.is_(True), Session.deleted_at.is_(None))
    on_time = (select(_month(Session.starts_at, utc=True).label("month"), *flags)
               .join(User, User.id == Session.report_id)
               .where(live, Session.status != SessionStatus.CANCELLED, Session.starts_at <= now,
                      Session.starts_at >= since))
    ahead = (select(_month(Session.held_on).label("month"), *flags)
             .join(User, User.id == Session.report_id)
             .where(live, early, Session.held_on >= first))
    return union_all(on_time, ahead).subquery()


def _sessions(conn, first: date, now: datetime) -> None:
    """Sessions due, held and reviewing a goal: per supervisor, report and month."""
    r = _session_rows(first, now).c
    rows = (select(r.month, r.pid, r.sid, r.team_id, r.level_id, func.count(),
                   func.sum(r.held), func.sum(r.reviewed))
            .group_by(r.month, r.pid, r.sid, r.team_id, r.level_id))
    conn.execute(insert(STAGED[SessionFacts]).from_select(
        ["month", "person_id", "supervisor_id", "team_id", "level_id", "due", "held",
         "reviewed"], rows))


def median_days(counts) -> int:
    """The median of gaps given as (days, how many), rounded as ``round(median(...))``."""
    values = sorted((days, n) for days, n in counts if n)
    total = sum(n for _days, n in values)

    def at(index: int) -> int:
        for days, n in values:
            if index < n:
                return days
            index -= n
        raise IndexError(index)

    middle = total // 2
    return round(at(middle) if total % 2 else (at(middle - 1) + at(middle)) / 2)


def _gaps(conn, as_of: date, now: datetime) -> None:
    """Days between held sessions of the same pair: counted per month, and their medians."""
    since = datetime.combine(first_of_month(as_of, max(PERIODS) - 1), time(), tzinfo=UTC)
    rows = conn.execute(
        select(Session.supervisor_id, Session.report_id, Session.held_on, User.team_id,
               User.level_id)
        .join(User, User.id == Session.report_id)
        .where(User.active.is_(True), Session.status == SessionStatus.HELD,
               Session.deleted_at.is_(None),
               Session.held_on.is_not(None), Session.starts_at >= since,
               or_(Session.starts_at <= now, Session.held_on <= now.date()))
        .order_by(Session.supervisor_id, Session.report_id, Session.held_on))
    counted: dict[tuple, int] = defaultdict(int)
    previous = None
    for supervisor_id, report_id, day, team_id, level_id in rows:
        if previous and previous[:2] == (supervisor_id, report_id):
            counted[(first_of_month(previous[2]), report_id, supervisor_id,
                     (day - previous[2]).days, team_id, level_id)] += 1
        previous = (supervisor_id, report_id, day)
    if not counted:
        return
    conn.execute(insert(STAGED[GapFacts]), [
        {"month": month, "person_id": report_id, "supervisor_id": supervisor_id, "days": days,
         "team_id": team_id, "level_id": level_id, "n": n}
        for (month, report_id, supervisor_id, days, team_id, level_id), n in counted.items()])
    medians = []
    for months in PERIODS:
        start = first_of_month(as_of, months - 1)
        found: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for (month, _report, supervisor_id, days, _team, _level), n in counted.items():
            if month >= start:
                found[supervisor_id][days] += n
        medians += [{"supervisor_id": s, "months": months,
                     "median_gap": median_days(gaps.items())} for s, gaps in found.items()]
    if medians:
        conn.execute(insert(STAGED[SupervisorFacts]), medians)


def _skills(conn) -> None:
    """First and latest level per person and skill, self-rated and by a supervisor."""
    by_self = SkillAssessment.assessed_by_id == SkillAssessment.person_id
    rating = SkillAssessment.id
    ends = (select(SkillAssessment.person_id, SkillAssessment.skill_id,
                   func.min(case((by_self, rating))).label("first_self"),
                   func.max(case((by_self, rating))).label("latest_self"),
                   func.min(case((~by_self, rating))).label("first_supervisor"),
                   func.max(case((~by_self, rating))).label("latest_supervisor"),
                   func.max(rating).label("latest"))
            .group_by(SkillAssessment.person_id, SkillAssessment.skill_id).subquery())
    names = ("first_self", "latest_self", "first_supervisor", "latest_supervisor", "latest")
    found = {name: db.aliased(SkillAssessment, name=f"a_{name}") for name in names}
    rows = select(ends.c.person_id, ends.c.skill_id, User.team_id, User.level_id, User.name,
                  *[found[name].level for name in names])
    rows = rows.select_from(ends).join(User, User.id == ends.c.person_id)
    for name in names:
        rows = rows.outerjoin(found[name], found[name].id == ends.c[name])
    rows = rows.where(User.active.is_(True))
    conn.execute(insert(STAGED[SkillFacts]).from_select(
        ["person_id", "skill_id", "team_id", "level_id", "person_name", *names], rows))


def _totals(conn) -> None:
    """Sum the per-person tables for the whole organisation's page (no filter)."""
    m, s, f = (STAGED[model].c for model in (MonthFacts, SessionFacts, SkillFacts))
    counts = select(m.month, m.team_id, *[m[name] for name in SUMS], _zero().label("held"))
    held = select(s.month, s.team_id, *[_zero() for _name in SUMS], s.held)
    parts = union_all(counts, held).subquery()
    conn.execute(insert(STAGED[TeamMonthFacts]).from_select(
        ["month", "team_id", *SUMS, "held"],
        select(parts.c.month, parts.c.team_id,
               *[func.sum(parts.c[name]) for name in (*SUMS, "held")])
        .group_by(parts.c.month, parts.c.team_id)))
    conn.execute(insert(STAGED[SupervisorMonthFacts]).from_select(
        ["month", "supervisor_id", "due", "held", "reviewed"],
        select(s.month, s.supervisor_id, func.sum(s.due), func.sum(s.held), func.sum(s.reviewed))
        .group_by(s.month, s.supervisor_id)))
    conn.execute(insert(STAGED[SkillTotals]).from_select(
        ["skill_id", "rated_self", "first_self", "latest_self", "rated_supervisor",
         "first_supervisor", "latest_supervisor"],
        select(f.skill_id, func.count(f.first_self), func.coalesce(func.sum(f.first_self), 0),
               func.coalesce(func.sum(f.latest_self), 0), func.count(f.first_supervisor),
               func.coalesce(func.sum(f.first_supervisor), 0),
               func.coalesce(func.sum(f.latest_supervisor), 0))
        .group_by(f.skill_id)))


def _build(conn, now: datetime, as_of: date) -> None:
    """Fill the temporary copies from the live tables (reads only the real tables)."""
    STAGING.drop_all(conn, checkfirst=True)  # left over by a refresh that died half-way
    STAGING.create_all(conn)
    first = first_of_month(as_of, MONTHS_KEPT - 1)
    _people(conn, as_of)
    _months(conn, first, as_of)
    _sessions(conn, first, now)
    _gaps(conn, as_of, now)
    _skills(conn)
    _totals(conn)


def _replace(conn, table: Table, staged: Table) -> None:
    """Make `table` hold exactly the rows of `staged`, writing only the rows that changed.

    Most figures do not move between two refreshes ten minutes apart, so rewriting only the
    difference keeps the write transaction short and the database's log small.
    """
    surrogate = "id" in table.c and table.c.id.primary_key
    names = [c.name for c in staged.columns if not (surrogate and c.name == "id")]
    if surrogate:  # no natural key to compare rows by: replace every row
        conn.execute(delete(table))
        conn.execute(insert(table).from_select(names, select(*[staged.c[n] for n in names])))
        return
    key = [c.name for c in table.primary_key.columns]
    gone = select(*[table.c[n] for n in names]).except_(
        select(*[staged.c[n] for n in names])).subquery()
    conn.execute(delete(table).where(
        tuple_(*[table.c[n] for n in key]).in_(select(*[gone.c[n] for n in key]))))
    new = select(*[staged.c[n] for n in names]).except_(select(*[table.c[n] for n in names]))
    conn.execute(insert(table).from_select(names, new))


def _swap(conn, now: datetime, as_of: date, started: float) -> None:
    """Replace the snapshot with the copies and stamp it (the short write transaction)."""
    if conn.dialect.name == "postgresql":
        # One swap at a time (the scheduler and a person asking at once); SQLite's writer
        # lock already serialises them.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    for model in TABLES:
        _replace(conn, model.__table__, STAGED[model])
    values = {"refreshed_at": now, "as_of": as_of,
              "seconds": round(clock.perf_counter() - started, 3)}
    if conn.execute(update(Snapshot).where(Snapshot.id == 1).values(**values)).rowcount == 0:
        conn.execute(insert(Snapshot).values(id=1, **values))


def refresh() -> Snapshot:
    """Rebuild every figure from the live tables; return the new stamp.

    Call it with nothing pending in the session: it works on a connection of its own.
    """
    started = clock.perf_counter()
    now = utcnow()
    as_of = today_in(organisation().timezone)
    with db.engine.connect() as conn:
        postgresql = conn.dialect.name == "postgresql"
        try:
            if postgresql:  # every count from one moment (SQLite's transaction already is)
                conn.execution_options(isolation_level="REPEATABLE READ")
            _build(conn, now, as_of)
            conn.commit()  # ends the reading transaction; the temporary tables stay
            if postgresql:  # the swap waits for another one's commit, then sees its rows
                conn.execution_options(isolation_level="READ COMMITTED")
            _swap(conn, now, as_of, started)
            conn.commit()
            if postgresql:
                # Fresh statistics at once (autovacuum would take a while): the planner
                # then joins a team's twenty rows by key instead of scanning every person.
                conn.execute(text("ANALYZE " + ", ".join(m.__tablename__ for m in TABLES)))
                conn.commit()
        finally:
            conn.rollback()
            STAGING.drop_all(conn, checkfirst=True)
            conn.commit()
    return db.session.get(Snapshot, 1, populate_existing=True)


def refresh_if_older(seconds: int) -> Snapshot:
    """Refresh unless the snapshot is younger than `seconds` (a double click costs nothing).

    A stamp from the future (a clock that ran ahead, a restored backup) counts as old, or
    it would hold off every refresh until the real clock caught up with it.
    """
    stamp = current()
    age = utcnow() - stamp.refreshed_at if stamp is not None else None
    if age is not None and timedelta(0) <= age < timedelta(seconds=seconds):
        return stamp
    return refresh()
