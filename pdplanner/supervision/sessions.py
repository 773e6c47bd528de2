"""Writes during a session: agenda, goal reviews, ratings, agreed actions, notes, outcome."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from pdplanner import audit, events
from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import timezone_of, today_for
from pdplanner.errors import PermissionDenied, RuleViolation, StaleEdit
from pdplanner.extensions import db
from pdplanner.learning.goals import clean_text
from pdplanner.learning.models import OPEN_STATUSES, Goal, GoalComment, SkillAssessment
from pdplanner.learning.plans import ActivityData, add_activity_for
from pdplanner.supervision.models import (
    AgendaItem,
    AgreedAction,
    GoalReview,
    PrivateNote,
    Session,
    SessionStatus,
)
from pdplanner.transaction import use_case
from pdplanner.types import utcnow


def _supervisor(user: User, session: Session) -> None:
    """Only the session's supervisor may do this."""
    if session.supervisor_id != user.id:
        raise PermissionDenied()


def _participant(user: User, session: Session) -> None:
    """Only the two people of the session may do this."""
    if user.id not in (session.supervisor_id, session.report_id):
        raise PermissionDenied()


@use_case
def add_item(user: User, session: Session, text: str) -> None:
    """Add a point to the agenda (either person)."""
    _participant(user, session)
    text = clean_text(text, "text", 500)
    if not text:
        raise RuleViolation("text", _l("Write the point first."))
    db.session.add(AgendaItem(session_id=session.id, author_id=user.id, text=text))
    audit.record(user.id, "agenda.add", f"session:{session.id}")


@use_case
def set_item_covered(user: User, item: AgendaItem, covered: bool) -> None:
    """Tick an agenda point as covered (or not)."""
    _participant(user, item.session)
    item.covered = covered


def _report_goal(session: Session, goal_id: int) -> Goal:
    """Return one of the report's goals shared with their current supervisor, or refuse."""
    if not policy.is_supervisor_of(session.supervisor, session.report):
        raise PermissionDenied()  # a former supervisor no longer reviews or plans their goals
    goal = db.session.get(Goal, goal_id)
    if goal is None or goal.owner_id != session.report_id or goal.visibility != "shared" \
            or goal.deleted_at is not None:
        raise PermissionDenied()
    return goal


@use_case
def review_goal(supervisor: User, session: Session, goal_id: int, note: str, agree: bool,
                level: int | None, skill_id: int | None, comment: str) -> None:
    """Note progress on a goal, agree it, rate a skill of it, comment: one save."""
    _supervisor(supervisor, session)
    goal = _report_goal(session, goal_id)
    review = db.session.scalar(select(GoalReview).where(
        GoalReview.session_id == session.id, GoalReview.goal_id == goal.id)) or GoalReview(
        session_id=session.id, goal_id=goal.id)
    review.progress_note = clean_text(note, "note", 2000)
    if agree and goal.status in OPEN_STATUSES:
        review.agreed = True
        goal.agreed_at, goal.agreed_by_id = utcnow(), supervisor.id
    if level is not None:
        if level not in (1, 2, 3, 4):
            raise RuleViolation("level", _l("Choose a level from 1 to 4."))
        if skill_id not in {s.id for s in goal.skills}:
            raise RuleViolation("skill_id", _l("Choose one of the goal's skills."))
        db.session.add(SkillAssessment(person_id=goal.owner_id, skill_id=skill_id, level=level,
                                       assessed_by_id=supervisor.id))
    comment = clean_text(comment, "comment", 2000)
    if comment:
        db.session.add(GoalComment(goal_id=goal.id, author_id=supervisor.id, text=comment))
    db.session.add(review)
    audit.record(supervisor.id, "session.review_goal", f"session:{session.id}",
                 f"goal:{goal.id}")


@use_case
def add_action(supervisor: User, session: Session, text: str, owner: str,
               due_on: date | None, goal_id: int | None, kind: str = "on_the_job") -> None:
    """Record an agreed action: a planned activity on the report's plan, or a task."""
    _supervisor(supervisor, session)
    from pdplanner.learning.goals import check_title

    text = check_title(text, "text")
    if owner not in ("report", "supervisor"):
        raise RuleViolation("owner", _l("Say who will do it."))
    if due_on is None or due_on < today_for(supervisor):
        raise RuleViolation("due_on", _l("Choose a date from today on."))
    action = AgreedAction(session_id=session.id, text=text, owner=owner, due_on=due_on)
    if owner == "report":
        if goal_id is None:
            raise RuleViolation("goal_id", _l("Choose the goal this activity serves."))
        goal = _report_goal(session, goal_id)
        activity = add_activity_for(goal, ActivityData(kind=kind, title=text, starts_on=due_on,
                                                       with_whom=supervisor.name))
        action.activity_id = activity.id
    db.session.add(action)
    audit.record(supervisor.id, "session.action", f"session:{session.id}", owner)


@use_case
def complete_task(supervisor: User, action: AgreedAction) -> None:
    """Tick off one of the supervisor's own tasks."""
    _supervisor(supervisor, action.session)
    action.done_at = None if action.done_at else utcnow()


@use_case
def save_notes(supervisor: User, session: Session, shared: str, private: str,
               version: int) -> None:
    """Save the shared notes and the supervisor's own private note, refusing a stale save."""
    _supervisor(supervisor, session)
    if version != session.version:
        raise StaleEdit()
    session.shared_notes = clean_text(shared, "shared_notes", 10000)
    private = clean_text(private, "private_notes", 10000)
    note = db.session.scalar(select(PrivateNote).where(
        PrivateNote.session_id == session.id, PrivateNote.author_id == supervisor.id))
    if note is None and private:
        db.session.add(PrivateNote(session_id=session.id, author_id=supervisor.id, text=private))
    elif note is not None:
        note.text = private
    flag_modified(session, "shared_notes")  # a private edit bumps the version too (409 on race)
    audit.record(supervisor.id, "session.notes", f"session:{session.id}")


def _carry_over(session: Session) -> None:
    """Copy uncovered points to the pair's next planned session (no commit)."""
    following = db.session.scalar(select(Session).where(
        Session.supervisor_id == session.supervisor_id, Session.report_id == session.report_id,
        Session.status == SessionStatus.PLANNED, Session.starts_at > session.starts_at,
        Session.id != session.id).order_by(Session.starts_at))
    if following is None:
        return
    for item in session.items:
        if not item.covered:
            db.session.add(AgendaItem(session_id=following.id, author_id=item.author_id,
                                      text=item.text, carried_from_id=item.id))


def local_start(user: User, session: Session) -> datetime:
    """When the session starts, in this person's time zone."""
    return session.starts_at.astimezone(ZoneInfo(timezone_of(user)))


def planned_day(user: User, session: Session) -> date:
    """The day the session was planned for, in this person's time zone."""
    return local_start(user, session).date()


@use_case
def mark_held(supervisor: User, session: Session, held_on: date | None,
              early: bool = False) -> None:
    """Record that the session took place on a date: not in the future, nor more than a
    year before the day it was planned for; one planned for later only when `early` is
    confirmed."""
    _supervisor(supervisor, session)
    if session.status not in (SessionStatus.PLANNED, SessionStatus.MISSED):
        raise RuleViolation(None, _l("This session is already closed."))
    if held_on is None or held_on > today_for(supervisor):
        raise RuleViolation("held_on", _l("A session cannot be held in the future."))
    if held_on < planned_day(supervisor, session) - timedelta(days=365):
        raise RuleViolation("held_on",
                            _l("Choose a date no more than a year before the planned day."))
    if session.starts_at > utcnow() and not early:
        raise RuleViolation("early", _l("This session is planned for later: confirm that it "
                                        "already took place, on the date given."))
    session.status, session.held_on, session.missed_reason = SessionStatus.HELD, held_on, ""
    _carry_over(session)
    audit.record(supervisor.id, "session.held", f"session:{session.id}")
    events.subject_settled.send(f"session:{session.id}")


@use_case
def mark_missed(supervisor: User, session: Session, reason: str) -> None:
    """Record that the session did not take place, and why."""
    _supervisor(supervisor, session)
    if session.status != SessionStatus.PLANNED:
        raise RuleViolation(None, _l("This session is already closed."))
    reason = clean_text(reason, "reason", 500)
    if not reason:
        raise RuleViolation("reason", _l("Say briefly why it did not happen."))
    session.status, session.missed_reason = SessionStatus.MISSED, reason
    _carry_over(session)
    audit.record(supervisor.id, "session.missed", f"session:{session.id}")
    events.subject_settled.send(f"session:{session.id}")
