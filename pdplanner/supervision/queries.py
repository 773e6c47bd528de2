"""Reads for supervision: sessions and the agenda (My team is in `my_team`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, func, or_, select
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


def session_for(viewer: User, session_id: int) -> Session | None:
    """Return a session of the viewer's, else None (the view answers 404)."""
    return db.session.scalar(sessions_visible_to(viewer).where(Session.id == session_id)
                             .options(joinedload(Session.report), joinedload(Session.supervisor),
                                      selectinload(Session.items).joinedload(AgendaItem.author),
                                      selectinload(Session.actions),
                                      selectinload(Session.reviews)))


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


def my_sessions(viewer: User) -> list[Session]:
    """Return the sessions where the viewer is the report, newest first."""
    return list(db.session.scalars(select(Session).where(
        Session.report_id == viewer.id, Session.deleted_at.is_(None))
        .options(selectinload(Session.actions), joinedload(Session.supervisor))
        .order_by(Session.starts_at.desc())))


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


def agenda(session: Session) -> Agenda:
    """Build the agenda from the report's shared goals and what happened since last time."""
    previous = db.session.scalar(select(func.max(Session.held_on)).where(
        Session.supervisor_id == session.supervisor_id, Session.report_id == session.report_id,
        Session.status == SessionStatus.HELD, Session.starts_at < session.starts_at))
    goals = list(db.session.scalars(select(Goal).where(
        SHARED_LIVE, Goal.owner_id == session.report_id,
        Goal.status.in_(OPEN_STATUSES))
        .options(selectinload(Goal.checkins), selectinload(Goal.skills))
        .order_by(Goal.created_at)))
    suggestions = list(db.session.scalars(select(Goal).where(
        Goal.owner_id == session.report_id, Goal.status == GoalStatus.SUGGESTED,
        Goal.suggested_by_id == session.supervisor_id, Goal.deleted_at.is_(None))))
    since = previous or (session.starts_at.date() - timedelta(days=60))
    outcomes = list(db.session.scalars(
        select(Occurrence).join(Activity).join(Goal)
        .where(SHARED_LIVE, Goal.owner_id == session.report_id,
               Activity.deleted_at.is_(None), Occurrence.status.in_((OccurrenceStatus.DONE,
                                                                     OccurrenceStatus.MISSED)),
               Occurrence.planned_on > since,
               Occurrence.planned_on <= session.starts_at.date())
        .options(contains_eager(Occurrence.activity)).order_by(Occurrence.planned_on)))
    reflections = {r.occurrence_id: r for r in db.session.scalars(select(Reflection).where(
        Reflection.occurrence_id.in_([o.id for o in outcomes]),
        Reflection.visibility == "shared"))}
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
    return db.session.scalar(select(Session).where(
        Session.report_id == report.id, Session.status == SessionStatus.PLANNED,
        Session.starts_at >= utcnow()).order_by(Session.starts_at).limit(1))


def agenda_item(item_id: int) -> AgendaItem | None:
    """Return an agenda item by id (callers check its session)."""
    return db.session.get(AgendaItem, item_id)


def agreed_action(action_id: int) -> AgreedAction | None:
    """Return an agreed action by id (callers check its session)."""
    return db.session.get(AgreedAction, action_id)
