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
from pdplanner.reminders.render import render_defaults, render_outbox
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


def _resolved(rows: list[OutboxMessage]) -> set[str]:
    """Return the subjects of these reminders that were resolved after being queued."""
    from pdplanner.exchanges.models import Exchange
    from pdplanner.learning.models import Occurrence
    from pdplanner.supervision.models import Session

    refs: dict[str, set[int]] = {"occurrence": set(), "session": set(), "exchange": set()}
    for row in rows:
        kind, _, rest = row.subject_ref.partition(":")
        if row.kind in ("activity_upcoming", "activity_overdue", "session_upcoming",
                        "session_unresolved", "share_back") and kind in refs:
            refs[kind].add(int(rest.split(":")[0]))
    open_now = {f"occurrence:{i}" for i in db.session.scalars(select(Occurrence.id).where(
        Occurrence.id.in_(refs["occurrence"]), Occurrence.status == "planned"))}
    open_now |= {f"session:{i}" for i in db.session.scalars(select(Session.id).where(
        Session.id.in_(refs["session"]), Session.status == "planned"))}
    open_now |= {f"exchange:{i}" for i in db.session.scalars(select(Exchange.id).where(
        Exchange.id.in_(refs["exchange"]), Exchange.share_back_done_on.is_(None)))}
    return {f"{kind}:{i}" for kind, ids in refs.items() for i in ids} - open_now


def _acknowledge_many(token: str, results: list[tuple[int, dict]]) -> int:
    """Record several results in one transaction, each fenced; return how many held."""
    if not results:
        return 0
    held = 0
    with db.engine.begin() as connection:
        for message_id, values in results:
            outcome = connection.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id,
                                            OutboxMessage.lease_token == token,
                                            OutboxMessage.status == "sending")
                .values(lease_token=None, lease_until=None, **values))
            held += outcome.rowcount
    if held != len(results):
        log.warning("%d late acknowledgement(s) refused (lease lost)", len(results) - held)
    results.clear()
    return held


#: Results are written every this many messages: few commits, little to resend on a crash.
ACK_EVERY = 25


def _send_batch(token: str, ids: list[int], now: datetime) -> dict:
    """Render and send claimed messages over one SMTP connection; acknowledge in small groups."""
    from pdplanner.reminders.models import Notification

    counts = {"sent": 0, "retry": 0, "dead": 0, "skipped": 0, "refused": 0}
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    rows = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                   .order_by(OutboxMessage.id)))
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({r.user_id for r in rows if r.user_id})))}
    links = dict(db.session.execute(select(Notification.dedupe_key, Notification.link).where(
        Notification.dedupe_key.in_([r.dedupe_key for r in rows]))).all())
    defaults = render_defaults()
    resolved = _resolved(rows)
    pending: list[tuple[int, dict]] = []

    def flush():
        expected = len(pending)
        held = _acknowledge_many(token, pending)
        counts["refused"] += expected - held

    with mail.Connection() as smtp:
        for row in rows:
            user = users.get(row.user_id)
            if user is not None and (not user.active or row.subject_ref in resolved):
                pending.append((row.id, {"status": "skipped"}))
                counts["skipped"] += 1
            else:
                try:
                    message = (render_outbox(row, user, links.get(row.dedupe_key), defaults)
                               if user else mail.stored(row))
                    smtp.send(message)
                except Exception as error:  # noqa: BLE001 - every failure goes on the row
                    dead = not _temporary(error) or row.attempts >= max_attempts
                    pending.append((row.id, {
                        "status": "dead" if dead else "pending",
                        "next_attempt_at": now + backoff(row.attempts),
                        "last_error": f"{type(error).__name__}: {error}"[:1000]}))
                    counts["dead" if dead else "retry"] += 1
                else:
                    # The body is not copied: the admin's mail view renders it again.
                    pending.append((row.id, {"status": "sent", "sent_at": utcnow(),
                                             "last_error": "",
                                             "subject": message.subject[:300]}))
                    counts["sent"] += 1
            if len(pending) >= ACK_EVERY:
                flush()
        flush()
    db.session.remove()
    return counts


def deliver(now: datetime | None = None, batch: int = 200,
            only_ids: list[int] | None = None) -> dict:
    """Send everything due, batch by batch; with no SMTP server the mail stays queued."""
    totals = {"sent": 0, "retry": 0, "dead": 0, "skipped": 0, "refused": 0}
    if not mail.delivers():
        return totals
    now = now or utcnow()
    while True:
        token, ids = claim(now, batch, only_ids)
        if not ids:
            return totals
        for key, value in _send_batch(token, ids, now).items():
            totals[key] += value
