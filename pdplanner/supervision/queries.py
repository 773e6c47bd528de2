"""Reads for supervision: sessions and the agenda (My team is in `my_team`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Row, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased, joinedload, lazyload, load_only

from pdplanner.accounts.models import User
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
from pdplanner.learning.rows import GOAL_PROGRESS, skills_of_goals
from pdplanner.supervision.models import (
    AgendaItem,
    AgreedAction,
    GoalReview,
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
    return db.session.scalar(_session_for(), {"viewer_id": viewer.id, "id": session_id})


@cache
def _session_for() -> Select:
    viewer = bindparam("viewer_id")
    return select(Session).where(Session.deleted_at.is_(None), Session.id == bindparam("id"),
                                 or_(Session.supervisor_id == viewer,
                                     Session.report_id == viewer))


@cache
def _session_lists() -> tuple[Select, Select, Select, Select]:
    """A report's sessions (newest first) with their supervisor's name, and the texts of
    their agreed actions: all of them, or one pair's; rows built once."""
    supervisor = aliased(User)
    live = (Session.report_id == bindparam("report_id"), Session.deleted_at.is_(None))
    pair = Session.supervisor_id == bindparam("supervisor_id")
    sessions = (select(Session.id, Session.starts_at, Session.status, Session.held_on,
                       Session.missed_reason, supervisor.name.label("supervisor_name"))
                .join(supervisor, supervisor.id == Session.supervisor_id).where(*live)
                .order_by(Session.starts_at.desc()))
    actions = (select(AgreedAction.session_id, AgreedAction.text)
               .join(Session, Session.id == AgreedAction.session_id).where(*live)
               .order_by(AgreedAction.id))
    return sessions, actions, sessions.where(pair), actions.where(pair)


@dataclass(frozen=True)
class SessionList:
    """Sessions as their list shows them: rows, and each one's agreed actions' texts."""

    sessions: list[Row]
    actions: dict[int, list[str]]


def _session_list(sessions: Select, actions: Select, values: dict) -> SessionList:
    texts: dict[int, list[str]] = {}
    for session_id, text in db.session.execute(actions, values):
        texts.setdefault(session_id, []).append(text)
    return SessionList(db.session.execute(sessions, values).all(), texts)


def pair_sessions(supervisor_id: int, report_id: int) -> SessionList:
    """Return all sessions of a pair, newest first."""
    _, _, sessions, actions = _session_lists()
    return _session_list(sessions, actions, {"supervisor_id": supervisor_id,
                                             "report_id": report_id})


def my_sessions(viewer: User) -> SessionList:
    """Return the sessions where the viewer is the report, newest first."""
    sessions, actions, _, _ = _session_lists()
    return _session_list(sessions, actions, {"report_id": viewer.id})


@dataclass
class SessionGroups:
    """A person's sessions as they read them: the next one, the others coming, the past."""

    next: Session | None
    coming: list[Session]
    past: list[Session]


def session_groups(sessions: list, now: datetime | None = None) -> SessionGroups:
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
    """What a session is built from, as rows: goals (id, title, status, visibility,
    agreed_at, progress, review_note: this session's note on it), outcomes (id, planned_on,
    status, activity_title, reflection_id, learned, apply: the shared reflection, if any)."""

    goals: list[Row]
    waiting: list[Row]
    suggestions: list[Row]
    outcomes: list[Row]
    since: date | None
    #: each goal's skills as (id, name in English, name in French), by goal id
    skills: dict[int, list[Row]] = field(default_factory=dict)


def no_agenda() -> Agenda:
    """An empty agenda, for a viewer who may see none of the report's goals."""
    return Agenda(goals=[], waiting=[], suggestions=[], outcomes=[], since=None)


@cache
def _previous_held() -> Select:
    """The day the pair's last session before this one was held."""
    return select(func.max(Session.held_on)).where(
        Session.supervisor_id == bindparam("supervisor_id"),
        Session.report_id == bindparam("report_id"),
        Session.status == SessionStatus.HELD, Session.starts_at < bindparam("starts_at"))


@cache
def _agenda_statements() -> tuple[Select, Select]:
    """The agenda's reads as rows, built once: the goals to review (latest progress computed,
    this session's review note joined) with the supervisor's suggestions; each outcome since
    with its shared reflection (one at most)."""
    report, supervisor = bindparam("report_id"), bindparam("supervisor_id")
    open_shared = and_(SHARED_LIVE, Goal.status.in_(OPEN_STATUSES))
    suggested = and_(Goal.status == GoalStatus.SUGGESTED, Goal.deleted_at.is_(None),
                     Goal.suggested_by_id == supervisor)
    goals = (select(Goal.id, Goal.title, Goal.status, Goal.visibility, Goal.agreed_at,
                    GOAL_PROGRESS, GoalReview.progress_note.label("review_note"))
             .outerjoin(GoalReview, and_(GoalReview.goal_id == Goal.id,
                                         GoalReview.session_id == bindparam("session_id")))
             .where(Goal.owner_id == report, or_(open_shared, suggested))
             .order_by(Goal.created_at, Goal.id))
    outcomes = (select(Occurrence.id, Occurrence.planned_on, Occurrence.status,
                       Activity.title.label("activity_title"),
                       Reflection.id.label("reflection_id"), Reflection.learned,
                       Reflection.apply)
                .join(Activity, Activity.id == Occurrence.activity_id)
                .join(Goal, Goal.id == Activity.goal_id)
                .outerjoin(Reflection, and_(Reflection.occurrence_id == Occurrence.id,
                                            Reflection.visibility == "shared"))
                .where(SHARED_LIVE, Goal.owner_id == report, Activity.deleted_at.is_(None),
                       Occurrence.status.in_((OccurrenceStatus.DONE, OccurrenceStatus.MISSED)),
                       Occurrence.planned_on > bindparam("since"),
                       Occurrence.planned_on <= bindparam("until"))
                .order_by(Occurrence.planned_on, Occurrence.id))
    return goals, outcomes


_UNREAD = object()


def agenda(session, previous: date | None | object = _UNREAD, *,
           with_skills: bool = False) -> Agenda:
    """Build the agenda from the report's shared goals and what happened since the last
    session held (`previous`, read when not given); skills only when asked for."""
    goals_read, outcomes_read = _agenda_statements()
    pair = {"report_id": session.report_id, "supervisor_id": session.supervisor_id}
    if previous is _UNREAD:
        previous = db.session.scalar(_previous_held(), pair | {"starts_at": session.starts_at})
    both = db.session.execute(goals_read, pair | {"session_id": session.id}).all()
    goals = [g for g in both if g.status in OPEN_STATUSES and g.visibility == "shared"]
    suggestions = [g for g in both if g.status == GoalStatus.SUGGESTED]
    skills = skills_of_goals([g.id for g in goals]) if with_skills else {}
    since = previous or (session.starts_at.date() - timedelta(days=60))
    outcomes = db.session.execute(outcomes_read, {"report_id": session.report_id,
                                                  "since": since,
                                                  "until": session.starts_at.date()}).all()
    return Agenda(goals=goals, waiting=[g for g in goals if g.agreed_at is None],
                  suggestions=suggestions, outcomes=outcomes, since=previous, skills=skills)


def agenda_for(viewer: User, session: Row, *, with_skills: bool = False) -> Agenda:
    """The agenda as the viewer may see it (`session` a row of `session_page`): a former
    supervisor sees none of the report's goals, dates or reflections, which are shared with
    the current supervisor only."""
    # The report, or their current direct supervisor (as `policy.is_supervisor_of` says).
    if viewer.id == session.report_id or (
            session.report_supervisor_id == viewer.id and viewer.active):
        return agenda(session, session.previous_held_on, with_skills=with_skills)
    return no_agenda()


def next_session_of(report: User) -> Session | None:
    """Return the report's next planned session (not a deleted one), with its supervisor's
    name."""
    return db.session.scalar(_next_session(), {"report_id": report.id, "now": utcnow()})


@cache
def _next_session() -> Select:
    # The supervisor for their name only: not their team and level, as their whole record
    # would bring (home shows who, not where).
    return (select(Session).where(Session.report_id == bindparam("report_id"),
                                  Session.deleted_at.is_(None),
                                  Session.status == SessionStatus.PLANNED,
                                  Session.starts_at >= bindparam("now"))
            .order_by(Session.starts_at).limit(1)
            .options(joinedload(Session.supervisor).options(load_only(User.name),
                                                            lazyload("*"))))


def agenda_item(item_id: int) -> AgendaItem | None:
    """Return an agenda item by id (callers check its session)."""
    return db.session.get(AgendaItem, item_id)


def agreed_action(action_id: int) -> AgreedAction | None:
    """Return an agreed action by id (callers check its session)."""
    return db.session.get(AgreedAction, action_id)
