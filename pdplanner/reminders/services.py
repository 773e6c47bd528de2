"""Reminder writes: one sweep, preferences, notifications, calendar feeds, requeue."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import or_, select, update

from pdplanner import audit
from pdplanner.accounts.models import User
from pdplanner.accounts.phones import check_channel
from pdplanner.extensions import db
from pdplanner.reminders import delivery, planner
from pdplanner.reminders.kinds import swept
from pdplanner.reminders.models import (
    CalendarFeed,
    Notification,
    OutboxMessage,
    OutboxStatus,
    ReminderPreference,
)
from pdplanner.transaction import use_case
from pdplanner.types import utcnow


def sweep(now: datetime | None = None) -> dict:
    """Plan what is due and deliver the outbox: idempotent, safe to run anywhere, any time."""
    now = now or utcnow()
    planned = planner.plan(now)
    result = delivery.deliver(now)
    return {"planned": planned, **result}


@use_case
def save_preferences(user: User, enabled: set[str], channels: dict[str, str] | None = None
                     ) -> None:
    """Store which kinds of reminder the person wants, and by which channel ("" or absent:
    their usual one)."""
    channels = channels or {}
    for name in (kind.name for kind in swept()):
        row = db.session.get(ReminderPreference, (user.id, name)) or ReminderPreference(
            user_id=user.id, kind=name)
        row.enabled = name in enabled
        chosen = channels.get(name) or None
        row.channel = (check_channel(chosen, user.email, user.phone, "channel")
                       if chosen else None)
        db.session.add(row)
    audit.record(user.id, "reminders.preferences", f"user:{user.id}")


@use_case
def mark_read(user: User, notification_id: int | None = None) -> None:
    """Mark one of the person's notifications read, or all of them."""
    query = update(Notification).where(Notification.user_id == user.id,
                                       Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=utcnow()))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@use_case
def new_feed(user: User) -> str:
    """Revoke the person's calendar URL (if any) and return a fresh secret token."""
    now = utcnow()
    db.session.execute(update(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                  CalendarFeed.revoked_at.is_(None))
                       .values(revoked_at=now))
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user.id, token_hash=_hash(token)))
    audit.record(user.id, "calendar.new", f"user:{user.id}")
    return token


@use_case
def revoke_feed(user: User) -> None:
    """Turn off the person's calendar URL."""
    db.session.execute(update(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                  CalendarFeed.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))
    audit.record(user.id, "calendar.revoke", f"user:{user.id}")


def feed_owner(token: str) -> User | None:
    """Return the active person a live calendar token belongs to."""
    feed = db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.token_hash == _hash(token), CalendarFeed.revoked_at.is_(None)))
    user = db.session.get(User, feed.user_id) if feed else None
    return user if user is not None and user.active else None


@use_case
def requeue(actor: User, message: OutboxMessage) -> bool:
    """Give a dead (or stuck) message another try now; False while a live lease holds it.

    One conditional UPDATE: taking the fence from a worker that is sending the message
    would let it go out twice, once from that worker and once from the requeue.
    """
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message.id, or_(
            OutboxMessage.status != OutboxStatus.SENDING, OutboxMessage.lease_until.is_(None),
            OutboxMessage.lease_until < now))
        .values(status=OutboxStatus.PENDING, next_attempt_at=now, attempts=0, lease_token=None,
                lease_until=None).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    audit.record(actor.id, "outbox.requeue", f"outbox:{message.id}")
    return True
