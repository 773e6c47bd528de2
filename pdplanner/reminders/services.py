"""Reminder writes: one sweep, preferences, notifications, calendar feeds, requeue."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update

from pdplanner import audit
from pdplanner.accounts.models import User
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
def save_preferences(user: User, enabled: set[str]) -> None:
    """Store which kinds of reminder the person wants."""
    for name in (kind.name for kind in swept()):
        row = db.session.get(ReminderPreference, (user.id, name)) or ReminderPreference(
            user_id=user.id, kind=name)
        row.enabled = name in enabled
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
def requeue(actor: User, message: OutboxMessage) -> None:
    """Give a dead (or stuck) message another try now."""
    message.status, message.next_attempt_at, message.attempts = OutboxStatus.PENDING, utcnow(), 0
    message.lease_token = message.lease_until = None
    audit.record(actor.id, "outbox.requeue", f"outbox:{message.id}")
