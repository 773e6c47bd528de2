"""Deliver the outbox exactly once: claim with a lease, send outside the transaction, fenced ack.

PostgreSQL claims with FOR UPDATE SKIP LOCKED; SQLite's single UPDATE … RETURNING takes the
write lock for the whole statement, so two sweepers never claim the same row.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import socket
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.reminders import mail
from pdplanner.reminders.models import OutboxMessage
from pdplanner.reminders.render import render_outbox
from pdplanner.types import utcnow

log = logging.getLogger(__name__)


def claim(now: datetime, limit: int, only_ids: list[int] | None = None) -> tuple[str, list[int]]:
    """Take up to `limit` due messages (or expired leases) for this worker; return its fence."""
    token = secrets.token_hex(16)
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    ready = or_(and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
                and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now))
    eligible = select(OutboxMessage.id).where(ready).order_by(OutboxMessage.id).limit(limit)
    if only_ids is not None:
        eligible = eligible.where(OutboxMessage.id.in_(only_ids))
    if db.engine.dialect.name == "postgresql":
        eligible = eligible.with_for_update(skip_locked=True)
    statement = (update(OutboxMessage).where(OutboxMessage.id.in_(eligible.scalar_subquery()))
                 .values(status="sending", lease_until=now + lease, lease_token=token,
                         attempts=OutboxMessage.attempts + 1)
                 .returning(OutboxMessage.id).execution_options(synchronize_session=False))
    with db.engine.begin() as connection:
        ids = sorted(connection.execute(statement).scalars())
    return token, ids


def acknowledge(message_id: int, token: str, **values) -> bool:
    """Record a result only if this worker still holds the lease (the fence)."""
    with db.engine.begin() as connection:
        result = connection.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id,
                                        OutboxMessage.lease_token == token,
                                        OutboxMessage.status == "sending")
            .values(lease_token=None, lease_until=None, **values))
    if result.rowcount != 1:
        log.warning("late acknowledgement of outbox %s refused (lease lost)", message_id)
        return False
    return True


def _temporary(error: Exception) -> bool:
    """4xx replies, disconnects and timeouts are worth retrying; 5xx are not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | socket.timeout | OSError)


def backoff(attempts: int) -> timedelta:
    """Wait longer after each failure: 1, 2, 4, 8 … minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _still_due(row: OutboxMessage) -> bool:
    """Skip a reminder whose subject was resolved after it was queued."""
    from pdplanner.learning.models import Occurrence
    from pdplanner.supervision.models import Session

    kind, ref = row.kind, row.subject_ref
    if kind in ("activity_upcoming", "activity_overdue") and ref.startswith("occurrence:"):
        occurrence = db.session.get(Occurrence, int(ref.split(":")[1]))
        return occurrence is not None and occurrence.status == "planned"
    if kind in ("session_upcoming", "session_unresolved") and ref.startswith("session:"):
        session = db.session.get(Session, int(ref.split(":")[1]))
        return session is not None and session.status == "planned"
    if kind == "share_back" and ref.startswith("exchange:"):
        from pdplanner.exchanges.models import Exchange

        exchange = db.session.get(Exchange, int(ref.split(":")[1]))
        return exchange is not None and exchange.share_back_done_on is None
    return True


def _send_batch(token: str, ids: list[int], now: datetime) -> dict:
    """Render and send claimed messages over one SMTP connection; acknowledge each."""
    counts = {"sent": 0, "retry": 0, "dead": 0, "skipped": 0, "refused": 0}
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    with mail.Connection() as smtp:
        for row in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))):
            user = db.session.get(User, row.user_id) if row.user_id else None
            if user is not None and (not user.active or not _still_due(row)):
                counts["skipped"] += acknowledge(row.id, token, status="skipped")
                continue
            try:
                message = render_outbox(row, user) if user else mail.stored(row)
                smtp.send(message)
            except Exception as error:  # noqa: BLE001 - every failure is recorded on the row
                dead = not _temporary(error) or row.attempts >= max_attempts
                ok = acknowledge(row.id, token, status="dead" if dead else "pending",
                                 next_attempt_at=now + backoff(row.attempts),
                                 last_error=f"{type(error).__name__}: {error}"[:1000])
                counts["dead" if dead else "retry"] += ok
                counts["refused"] += not ok
                continue
            ok = acknowledge(row.id, token, status="sent", sent_at=utcnow(), last_error="",
                             subject=message.subject[:300], text=message.text,
                             html=message.html)
            counts["sent" if ok else "refused"] += 1
    db.session.remove()
    return counts


def deliver(now: datetime | None = None, batch: int = 200,
            only_ids: list[int] | None = None) -> dict:
    """Send everything due, batch by batch; with no SMTP server the mail stays queued."""
    totals = {"sent": 0, "retry": 0, "dead": 0, "skipped": 0, "refused": 0}
    if not current_app.config.get("MAIL_SERVER"):
        return totals
    now = now or utcnow()
    while True:
        token, ids = claim(now, batch, only_ids)
        if not ids:
            return totals
        for key, value in _send_batch(token, ids, now).items():
            totals[key] += value
