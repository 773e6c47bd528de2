"""Writes to schedules and the calendar of sessions: cadence, one-offs, moves, reassignment."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pdplanner import audit, events
from pdplanner.accounts import policy
from pdplanner.accounts.models import CADENCES, User
from pdplanner.accounts.queries import timezone_of, today_for
from pdplanner.errors import PermissionDenied, RuleViolation
from pdplanner.extensions import db
from pdplanner.learning.recurrence import add_months
from pdplanner.supervision.models import PrivateNote, Schedule, Session, SessionStatus
from pdplanner.transaction import use_case
from pdplanner.types import utcnow

#: How far ahead a schedule keeps sessions planned.
HORIZON_DAYS = 92


def local_to_utc(day: date, at: time, zone: str) -> datetime:
    """Turn a local date and time in `zone` into an aware UTC datetime (DST-correct)."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def cadence_dates(start: date, cadence: str, last: date) -> list[date]:
    """List the session dates of a cadence from `start` up to `last`."""
    dates, n = [], 0
    while True:
        if cadence == "monthly":
            day = add_months(start, n)
        else:
            weeks = {"weekly": 1, "fortnightly": 2, "four_weekly": 4}[cadence]
            day = start + timedelta(weeks=weeks * n)
        if day > last:
            return dates
        dates.append(day)
        n += 1


@use_case
def top_up_all() -> int:
    """Top up every active schedule (the scheduler's job); return sessions created."""
    created = 0
    for schedule in db.session.scalars(select(Schedule).where(Schedule.active.is_(True))):
        supervisor = db.session.get(User, schedule.supervisor_id)
        created += top_up(schedule, today_for(supervisor))
    return created


def _check_pair(supervisor: User, report: User) -> None:
    """Only a person's current supervisor plans their sessions."""
    if not policy.is_supervisor_of(supervisor, report) or not report.active:
        raise PermissionDenied()


#: No session of a rhythm is planned this close to another planned session of the pair.
NEAR_DAYS = 2


def rhythm(schedule: Schedule, today: date) -> list[tuple[date, datetime]]:
    """The schedule's days up to the horizon, each with its start in UTC."""
    return [(day, local_to_utc(day, schedule.at, schedule.timezone))
            for day in cadence_dates(schedule.starts_on, schedule.cadence,
                                     today + timedelta(days=HORIZON_DAYS))]


def top_up(schedule: Schedule, today: date) -> int:
    """Create the schedule's missing sessions up to the horizon; return how many (no commit).

    A date is skipped if the pair already has a session at that moment (even a cancelled or
    deleted one), or a planned one within NEAR_DAYS days (e.g. a session kept from an old rhythm
    because something was written in it, or a one-off): no near-duplicates.
    """
    if not schedule.active:
        return 0
    existing = db.session.execute(select(Session.starts_at, Session.status,
                                         Session.deleted_at).where(
        Session.supervisor_id == schedule.supervisor_id,
        Session.report_id == schedule.report_id)).all()
    taken = {starts_at for starts_at, _status, _deleted in existing}
    planned = [starts_at for starts_at, status, deleted in existing
               if status == SessionStatus.PLANNED and deleted is None]
    near = timedelta(days=NEAR_DAYS)
    created = 0
    for day, starts_at in rhythm(schedule, today):
        if day < today or starts_at in taken or any(
                abs(starts_at - other) < near for other in planned):
            continue
        planned.append(starts_at)
        db.session.add(Session(supervisor_id=schedule.supervisor_id,
                               report_id=schedule.report_id, schedule_id=schedule.id,
                               starts_at=starts_at, duration_minutes=schedule.duration_minutes))
        created += 1
    return created


@dataclass(frozen=True)
class ScheduleChange:
    """What saving a schedule did to the coming sessions."""

    schedule: Schedule
    removed: int  #: coming sessions of the old rhythm with nothing written in them
    kept: int  #: coming sessions of the old rhythm kept for what was written in them
    created: int  #: sessions of the new rhythm added up to the horizon
    coming: int  #: sessions of the new rhythm now planned (already there, or added)


def _has_private_note(session: Session) -> bool:
    """Tell whether anyone wrote a private note on the session."""
    return db.session.scalar(select(PrivateNote.id).where(
        PrivateNote.session_id == session.id, PrivateNote.text != "").limit(1)) is not None


@use_case
def set_schedule(supervisor: User, report: User, cadence: str, starts_on: date | None,
                 at: time | None, duration_minutes: int | None) -> ScheduleChange:
    """Create or change the recurring sessions with a report; coming sessions follow."""
    _check_pair(supervisor, report)
    if cadence not in CADENCES:
        raise RuleViolation("cadence", _l("Choose how often you meet."))
    today = today_for(supervisor)
    schedule = db.session.scalar(select(Schedule).where(
        Schedule.supervisor_id == supervisor.id, Schedule.report_id == report.id))
    kept_start = schedule is not None and starts_on == schedule.starts_on  # may have passed
    if starts_on is None or (starts_on < today and not kept_start):
        raise RuleViolation("starts_on", _l("Choose a first date from today on."))
    if at is None:
        raise RuleViolation("at", _l("Choose a time."))
    if duration_minutes is None or not 15 <= duration_minutes <= 480:
        raise RuleViolation("duration_minutes", _l("Give a duration of 15 to 480 minutes."))
    zone = timezone_of(supervisor)  # before adding anything: this query would autoflush
    if schedule is None:
        schedule = Schedule(supervisor_id=supervisor.id, report_id=report.id)
        db.session.add(schedule)
    schedule.cadence, schedule.starts_on, schedule.at = cadence, starts_on, at
    schedule.duration_minutes, schedule.active = duration_minutes, True
    schedule.timezone = zone
    db.session.flush()
    # Coming sessions of the old rhythm that nothing was written in give way to the new one;
    # those already on a slot of the new rhythm simply stay (saving unchanged changes nothing).
    slots = {starts_at for _day, starts_at in rhythm(schedule, today)}
    removed = kept = on_slot = 0
    for session in db.session.scalars(select(Session).where(
            Session.schedule_id == schedule.id, Session.status == SessionStatus.PLANNED,
            Session.deleted_at.is_(None), Session.starts_at >= utcnow())):
        if session.starts_at in slots:
            session.duration_minutes = duration_minutes
            on_slot += 1
        elif session.items or session.reviews or session.actions or session.shared_notes \
                or _has_private_note(session):
            kept += 1
        else:
            events.subject_settled.send(f"session:{session.id}")  # its reminders go too
            db.session.delete(session)
            removed += 1
    db.session.flush()
    created = top_up(schedule, today)
    audit.record(supervisor.id, "schedule.set", f"schedule:{schedule.id}", cadence)
    return ScheduleChange(schedule, removed, kept, created, on_slot + created)


@contextmanager
def _no_clash():
    """Turn a clash with another session of the pair into a message by the day field."""
    try:
        yield
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation("day", _l("You already have a session with this person at "
                                      "that time.")) from None


def _starts_at(supervisor: User, day: date | None, at: time | None) -> datetime:
    """Check a date and time for a coming session and return it in UTC."""
    if day is None or day < today_for(supervisor):
        raise RuleViolation("day", _l("Choose a date from today on."))
    if at is None:
        raise RuleViolation("at", _l("Choose a time."))
    return local_to_utc(day, at, timezone_of(supervisor))


@use_case
def add_one_off(supervisor: User, report: User, day: date | None, at: time | None,
                duration_minutes: int = 60) -> Session:
    """Add a session outside the cadence."""
    _check_pair(supervisor, report)
    session = Session(supervisor_id=supervisor.id, report_id=report.id,
                      starts_at=_starts_at(supervisor, day, at),
                      duration_minutes=duration_minutes or 60)
    db.session.add(session)
    with _no_clash():
        db.session.flush()
    audit.record(supervisor.id, "session.create", f"session:{session.id}")
    with _no_clash():
        db.session.commit()
    return session


@use_case
def move(supervisor: User, session: Session, day: date | None, at: time | None) -> None:
    """Move a planned session to another date and time."""
    if session.supervisor_id != supervisor.id or session.status != SessionStatus.PLANNED:
        raise PermissionDenied()
    starts_at = _starts_at(supervisor, day, at)
    # Notices of the old time first: the listener's UPDATE would flush the new time early,
    # and a clash must surface at the commit as a message, not as an error.
    events.subject_settled.send(f"session:{session.id}")
    session.starts_at = starts_at
    audit.record(supervisor.id, "session.move", f"session:{session.id}")
    with _no_clash():
        db.session.commit()


@use_case
def cancel(supervisor: User, session: Session) -> None:
    """Cancel a planned session."""
    if session.supervisor_id != supervisor.id or session.status != SessionStatus.PLANNED:
        raise PermissionDenied()
    session.status = SessionStatus.CANCELLED
    audit.record(supervisor.id, "session.cancel", f"session:{session.id}")
    events.subject_settled.send(f"session:{session.id}")


def reassign(report: User, old_id: int | None, new_id: int | None) -> None:
    """Move a report's coming sessions to their new supervisor (no commit; same transaction)."""
    if old_id == new_id or old_id is None:
        return
    for schedule in db.session.scalars(select(Schedule).where(
            Schedule.report_id == report.id, Schedule.supervisor_id == old_id)):
        schedule.active = False
    coming = list(db.session.scalars(select(Session).where(
        Session.report_id == report.id, Session.supervisor_id == old_id,
        Session.status == SessionStatus.PLANNED, Session.starts_at >= utcnow())))
    for session in coming:
        if new_id is None:
            session.status = SessionStatus.CANCELLED
            events.subject_settled.send(f"session:{session.id}")
        else:
            # The old supervisor's reminders of it go (they no longer lead it); the report's stay.
            events.subject_settled.send(f"session:{session.id}", user_id=old_id)
            session.supervisor_id, session.schedule_id = new_id, None
    audit.record(None, "session.reassign", f"user:{report.id}", f"{old_id} -> {new_id}")
