"""Reads for reminders: notifications, the outbox, a person's calendar events."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import timezone_of
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Goal, Occurrence
from pdplanner.reminders.ical import CalendarEvent
from pdplanner.reminders.kinds import local_at
from pdplanner.reminders.models import CalendarFeed, Notification, OutboxMessage
from pdplanner.supervision.models import Session
from pdplanner.types import utcnow


def unread_count(user: User) -> int:
    """Count the person's unread notifications."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def notifications(user: User, limit: int = 50) -> list[Notification]:
    """Return the person's latest notifications."""
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at.desc(),
                                             Notification.id.desc()).limit(limit)))


def has_feed(user: User) -> bool:
    """Tell whether the person has a live calendar URL."""
    return db.session.scalar(select(CalendarFeed.id).where(
        CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))) is not None


def outbox(statuses: tuple[str, ...], limit: int = 200) -> list[OutboxMessage]:
    """Return outbox messages in these states, newest first."""
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.status.in_(statuses)).order_by(OutboxMessage.id.desc()).limit(limit)))


def outbox_counts() -> dict[str, int]:
    """Count outbox messages by state."""
    return dict(db.session.execute(select(OutboxMessage.status, func.count())
                                   .group_by(OutboxMessage.status)).all())


def calendar_events(user: User) -> list[CalendarEvent]:
    """The person's sessions (and, for a supervisor, their reports') and planned activities."""
    base = current_app.config["BASE_URL"].rstrip("/")
    since = utcnow() - timedelta(days=60)
    sessions = db.session.scalars(select(Session).where(
        Session.deleted_at.is_(None), Session.status.in_(("planned", "held")),
        Session.starts_at >= since,
        or_(Session.report_id == user.id, Session.supervisor_id == user.id)))
    events = []
    for s in sessions:
        other = s.report if s.supervisor_id == user.id else s.supervisor
        events.append(CalendarEvent(uid=f"session-{s.id}@pdplanner",
                                    summary=f"Supervision: {other.name}", start=s.starts_at,
                                    minutes=s.duration_minutes,
                                    url=f"{base}/sessions/{s.id}"))
    occurrences = db.session.scalars(
        select(Occurrence).join(Activity).join(Goal).where(
            Goal.owner_id == user.id, Goal.deleted_at.is_(None), Activity.deleted_at.is_(None),
            Occurrence.status.in_(("planned", "done")),
            Occurrence.planned_on >= since.date()))
    zone = timezone_of(user)
    for o in occurrences:
        activity = o.activity
        start = (local_at(o.planned_on, activity.start_time, zone) if activity.start_time
                 else o.planned_on)
        events.append(CalendarEvent(uid=f"occurrence-{o.id}@pdplanner", summary=activity.title,
                                    start=start, minutes=activity.duration_minutes,
                                    description=activity.goal.title,
                                    url=f"{base}/goals/{activity.goal_id}#plan"))
    return events
