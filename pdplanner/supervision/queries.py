"""Reads for supervision: sessions and the agenda (My team is in `my_team`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from pdplanner.accounts.models import User
from pdplanner.accounts.policy import is_supervisor_of
from pdplanner.extensions import db
from pdplanner.learning.models import (
    OPEN_STATUSES,
    Activity,
    Goal,
    GoalStatus,
    Occurrence,
    OccurrenceStatus,
    Reflection,
)
from pdplanner.supervision.models import (
    AgendaItem,
    AgreedAction,
    PrivateNote,
    Schedule,
    Session,
    SessionStatus,
)
from pdplanner.types import utcnow

SHARED_LIVE = and_(Goal.visibility == "shared", Goal.deleted_at.is_(None))


def sessions_visible_to(viewer: User) -> Select:
    """Sessions the viewer takes part in (as supervisor or as report)."""
    return select(Session).where(Session.deleted_at.is_(None), or_(
        Session.supervisor_id == viewer.id, Session.report_id == viewer.id))


@cache
def _session_page_statement() -> Select:
    """A session with everything its page shows, built once (building it, loader options
    and all, cost more than running it)."""
    viewer = bindparam("viewer_id")
    return (select(Session).where(Session.deleted_at.is_(None), Session.id == bindparam("id"),
                                  or_(Session.supervisor_id == viewer,
                                      Session.report_id == viewer))
            .options(joinedload(Session.report), joinedload(Session.supervisor),
                     selectinload(Session.items).joinedload(AgendaItem.author),
                     selectinload(Session.actions), selectinload(Session.reviews)))


def session_for(viewer: User, session_id: int) -> Session | None:
    """Return a session of the viewer's, else None (the view answers 404)."""
    return db.session.scalar(_session_page_statement(),
                             {"viewer_id": viewer.id, "id": session_id})


def private_note_of(author: User, session: Session) -> str:
    """Return the author's own private note on a session ("" if none): nobody else's, ever."""
    return db.session.scalar(select(PrivateNote.text).where(
        PrivateNote.session_id == session.id, PrivateNote.author_id == author.id)) or ""


def pair_sessions(supervisor_id: int, report_id: int) -> list[Session]:
    """Return all sessions of a pair, newest first."""
    return list(db.session.scalars(select(Session).where(
        Session.supervisor_id == supervisor_id, Session.report_id == report_id,
        Session.deleted_at.is_(None)).options(selectinload(Session.actions))
        .order_by(Session.starts_at.desc())))


@cache
def _my_sessions() -> Select:
    return (select(Session).where(Session.report_id == bindparam("viewer_id"),
                                  Session.deleted_at.is_(None))
            .options(selectinload(Session.actions), joinedload(Session.supervisor))
            .order_by(Session.starts_at.desc()))


def my_sessions(viewer: User) -> list[Session]:
    """Return the sessions where the viewer is the report, newest first."""
    return list(db.session.scalars(_my_sessions(), {"viewer_id": viewer.id}))


@dataclass
class SessionGroups:
    """A person's sessions as they read them: the next one, the others coming, the past."""

    next: Session | None
    coming: list[Session]
    past: list[Session]


def session_groups(sessions: list[Session], now: datetime | None = None) -> SessionGroups:
    """Group sessions: the next planned one, the others still to come in date order, then
    the past (and those already held) most recent first."""
    now = now or utcnow()
    ahead = sorted((s for s in sessions if s.starts_at >= now and s.status != SessionStatus.HELD),
                   key=lambda s: s.starts_at)
    following = next((s for s in ahead if s.status == SessionStatus.PLANNED), None)
    past = sorted((s for s in sessions if s.starts_at < now or s.status == SessionStatus.HELD),
                  key=lambda s: s.starts_at, reverse=True)
    return SessionGroups(following, [s for s in ahead if s is not following], past)


def schedule_of(supervisor_id: int, report_id: int) -> Schedule | None:
    """Return the pair's schedule, if any."""
    return db.session.scalar(select(Schedule).where(Schedule.supervisor_id == supervisor_id,
                                                    Schedule.report_id == report_id))


@dataclass
class Agenda:
    """What a session is built from."""

    goals: list[Goal]
    waiting: list[Goal]
    suggestions: list[Goal]
    outcomes: list[Occurrence]
    reflections: dict[int, Reflection]
    since: date | None


@cache
def _agenda_statements() -> tuple[Select, Select, Select]:
    """The agenda's three reads, built once: the last held session's day; the goals to
    review with the supervisor's suggestions; each outcome since with its shared reflection
    (one at most)."""
    report, supervisor = bindparam("report_id"), bindparam("supervisor_id")
    previous = select(func.max(Session.held_on)).where(
        Session.supervisor_id == supervisor, Session.report_id == report,
        Session.status == SessionStatus.HELD, Session.starts_at < bindparam("starts_at"))
    open_shared = and_(SHARED_LIVE, Goal.status.in_(OPEN_STATUSES))
    suggested = and_(Goal.status == GoalStatus.SUGGESTED, Goal.deleted_at.is_(None),
                     Goal.suggested_by_id == supervisor)
    goals = (select(Goal).where(Goal.owner_id == report, or_(open_shared, suggested))
             .options(selectinload(Goal.checkins), selectinload(Goal.skills))
             .order_by(Goal.created_at, Goal.id))
    outcomes = (select(Occurrence, Reflection).join(Activity).join(Goal)
                .outerjoin(Reflection, and_(Reflection.occurrence_id == Occurrence.id,
                                            Reflection.visibility == "shared"))
                .where(SHARED_LIVE, Goal.owner_id == report, Activity.deleted_at.is_(None),
                       Occurrence.status.in_((OccurrenceStatus.DONE, OccurrenceStatus.MISSED)),
                       Occurrence.planned_on > bindparam("since"),
                       Occurrence.planned_on <= bindparam("until"))
                .options(contains_eager(Occurrence.activity))
                .order_by(Occurrence.planned_on, Occurrence.id))
    return previous, goals, outcomes


def agenda(session: Session) -> Agenda:
    """Build the agenda from the report's shared goals and what happened since last time."""
    previous_held, goals_read, outcomes_read = _agenda_statements()
    pair = {"report_id": session.report_id, "supervisor_id": session.supervisor_id}
    previous = db.session.scalar(previous_held, pair | {"starts_at": session.starts_at})
    both = list(db.session.scalars(goals_read, pair))
    goals = [g for g in both if g.status in OPEN_STATUSES and g.visibility == "shared"]
    suggestions = [g for g in both if g.status == GoalStatus.SUGGESTED]
    since = previous or (session.starts_at.date() - timedelta(days=60))
    rows = db.session.execute(outcomes_read, {"report_id": session.report_id, "since": since,
                                              "until": session.starts_at.date()}).all()
    outcomes = [occurrence for occurrence, _reflection in rows]
    reflections = {o.id: r for o, r in rows if r is not None}
    return Agenda(goals=goals, waiting=[g for g in goals if g.agreed_at is None],
                  suggestions=suggestions, outcomes=outcomes, reflections=reflections,
                  since=previous)


def agenda_for(viewer: User, session: Session) -> Agenda:
    """The agenda as the viewer may see it: a former supervisor sees none of the report's
    goals, dates or reflections, which are shared with the current supervisor only."""
    if viewer.id == session.report_id or is_supervisor_of(viewer, session.report):
        return agenda(session)
    return Agenda(goals=[], waiting=[], suggestions=[], outcomes=[], reflections={}, since=None)


def next_session_of(report: User) -> Session | None:
    """Return the report's next planned session."""
    return db.session.scalar(_next_session(), {"report_id": report.id, "now": utcnow()})


@cache
def _next_session() -> Select:
    return (select(Session).where(Session.report_id == bindparam("report_id"),
                                  Session.status == SessionStatus.PLANNED,
                                  Session.starts_at >= bindparam("now"))
            .order_by(Session.starts_at).limit(1).options(joinedload(Session.supervisor)))


def agenda_item(item_id: int) -> AgendaItem | None:
    """Return an agenda item by id (callers check its session)."""
    return db.session.get(AgendaItem, item_id)


def agreed_action(action_id: int) -> AgreedAction | None:
    """Return an agreed action by id (callers check its session)."""
    return db.session.get(AgreedAction, action_id)
