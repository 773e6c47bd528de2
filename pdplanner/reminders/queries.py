"""Reads for reminders: notifications, the outbox, a person's calendar events."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.reminders.ical import CalendarEvent
from pdplanner.reminders.kinds import CALENDARS
from pdplanner.reminders.models import (
    CalendarFeed,
    Channel,
    DeliveryReport,
    Notification,
    OutboxMessage,
    OutboxStatus,
)
from pdplanner.types import utcnow


def unread_count_of(user_id):
    """Return a scalar subquery counting the unread notifications of `user_id`."""
    return (select(func.count()).select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .scalar_subquery())


def unread_count(user: User) -> int:
    """Count the person's unread notifications."""
    return db.session.scalar(select(unread_count_of(user.id))) or 0


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
    """The person's events from every registered source (sessions, planned activities…)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    since = utcnow() - timedelta(days=60)
    return [event for events in CALENDARS.values() for event in events(user, since, base)]


def notification_of(user: User, notification_id: int) -> Notification | None:
    """Return one of the person's own notifications (another's is as if missing)."""
    notice = db.session.get(Notification, notification_id)
    return notice if notice is not None and notice.user_id == user.id else None


def outbox_message(message_id: int) -> OutboxMessage | None:
    """Return an outbox message by id."""
    return db.session.get(OutboxMessage, message_id)


def recipient(message: OutboxMessage) -> User | None:
    """Return the person a message is for (None for an address alone)."""
    return db.session.get(User, message.user_id) if message.user_id else None


def sms_figures(since) -> dict[str, int]:
    """This month's texts: sent, delivered, failed (refused or reported), waiting, segments."""
    texts = select(OutboxMessage.status, OutboxMessage.report, func.count(),
                   func.coalesce(func.sum(OutboxMessage.segments), 0)).where(
        OutboxMessage.channel == Channel.SMS, OutboxMessage.created_at >= since).group_by(
        OutboxMessage.status, OutboxMessage.report)
    figures = dict.fromkeys(("sent", "delivered", "failed", "waiting", "segments"), 0)
    for status, report, count, used in db.session.execute(texts):
        if status == OutboxStatus.SENT:
            figures["sent"] += count
            figures["segments"] += used
            figures["delivered"] += count if report == DeliveryReport.DELIVERED else 0
            figures["failed"] += count if report == DeliveryReport.FAILED else 0
        elif status == OutboxStatus.DEAD:
            figures["failed"] += count
        elif status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            figures["waiting"] += count
    return figures


def texts(limit: int = 50) -> list[OutboxMessage]:
    """Return the latest texts, newest first."""
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.channel == Channel.SMS).order_by(OutboxMessage.id.desc()).limit(limit)))
