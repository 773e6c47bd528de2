"""Deliver the outbox: claim with a renewed lease, send outside the transaction, ack each mail.

PostgreSQL claims with FOR UPDATE SKIP LOCKED; SQLite's single UPDATE … RETURNING takes the
write lock for the whole statement, so two sweepers never claim the same row.
"""

from __future__ import annotations

import functools
import logging
import secrets
import smtplib
import socket
from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Connection, and_, bindparam, or_, select, update

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.reminders import mail
from pdplanner.reminders.kinds import KINDS
from pdplanner.reminders.models import Channel, Notification, OutboxMessage, OutboxStatus
from pdplanner.reminders.render import organisation_name, render_defaults, render_outbox
from pdplanner.types import utcnow

log = logging.getLogger(__name__)


def claim(now: datetime, limit: int, only_ids: list[int] | None = None,
          channel: Channel = Channel.EMAIL) -> tuple[str, list[int]]:
    """Take up to `limit` due messages (or expired leases) for this worker; return its fence.

    `now` only says what is due; leases are taken and judged on the real clock, so a sweep
    run with `--now` in the future never treats another worker's live lease as expired.
    """
    token = secrets.token_hex(16)
    clock = utcnow()
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    ready = or_(and_(OutboxMessage.status == OutboxStatus.PENDING,
                     OutboxMessage.next_attempt_at <= now),
                and_(OutboxMessage.status == OutboxStatus.SENDING,
                     OutboxMessage.lease_until < clock))
    eligible = (select(OutboxMessage.id).where(ready, OutboxMessage.channel == channel)
                .order_by(OutboxMessage.id).limit(limit))
    if only_ids is not None:
        eligible = eligible.where(OutboxMessage.id.in_(only_ids))
    if db.engine.dialect.name == "postgresql":
        eligible = eligible.with_for_update(skip_locked=True)
    statement = (update(OutboxMessage).where(OutboxMessage.id.in_(eligible.scalar_subquery()))
                 .values(status=OutboxStatus.SENDING, lease_until=clock + lease, lease_token=token,
                         attempts=OutboxMessage.attempts + 1)
                 .returning(OutboxMessage.id).execution_options(synchronize_session=False))
    with db.engine.begin() as connection:
        ids = sorted(connection.execute(statement).scalars())
    return token, ids


class Lease:
    """A worker's hold on the messages it claimed, renewed on the real clock as it sends."""

    def __init__(self, token: str, ids: list[int], connection: Connection | None = None):
        self.token, self.held, self.renewed = token, set(ids), utcnow()
        #: Where renewals and acknowledgements are written (None: a pooled connection each).
        self.connection = connection
        self.seconds = current_app.config["OUTBOX_LEASE_SECONDS"]

    def holds(self, message_id: int) -> bool:
        """Tell whether this worker may send the message, renewing the lease once half spent.

        Between renewals at least half a lease is left, so nobody can have taken a row; a
        renewal extends only the rows still fenced by this token and forgets the others.
        """
        if (utcnow() - self.renewed).total_seconds() >= self.seconds / 2:
            self.renew()
        return message_id in self.held

    def renew(self) -> None:
        """Extend the lease of every row this worker still holds; forget the rows it lost."""
        clock = utcnow()
        statement = (update(OutboxMessage).where(OutboxMessage.lease_token == self.token,
                                                 OutboxMessage.status == OutboxStatus.SENDING)
                     .values(lease_until=clock + timedelta(seconds=self.seconds))
                     .returning(OutboxMessage.id))
        if self.connection is None:
            with db.engine.begin() as own:
                self.held &= set(own.execute(statement).scalars())
        else:
            with self.connection.begin():
                self.held &= set(self.connection.execute(statement).scalars())
        self.renewed = clock

    def acknowledge(self, message_id: int, **values) -> bool:
        """Record one message's result at once, fenced by this lease's token."""
        return acknowledge(message_id, self.token, self.connection, **values)


@functools.cache
def _ack_statement(keys: tuple[str, ...]):
    """Build (once per set of columns) the fenced UPDATE that records a result."""
    table = OutboxMessage.__table__
    return (update(table).where(table.c.id == bindparam("ack_id"),
                                table.c.lease_token == bindparam("ack_token"),
                                table.c.status == OutboxStatus.SENDING)
            .values(lease_token=None, lease_until=None,
                    **{key: bindparam(f"ack_{key}") for key in keys}))


def acknowledge(message_id: int, token: str, connection: Connection | None = None,
                **values) -> bool:
    """Record a result only if this worker still holds the lease (the fence).

    One short transaction, on `connection` when given (a batch keeps one open for its acks);
    the statement is built once, since one is written for every mail.
    """
    statement = _ack_statement(tuple(sorted(values)))
    parameters = {"ack_id": message_id, "ack_token": token,
                  **{f"ack_{key}": value for key, value in values.items()}}
    if connection is None:
        with db.engine.begin() as own:
            result = own.execute(statement, parameters)
    else:
        with connection.begin():
            result = connection.execute(statement, parameters)
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


def resolved(rows: list[OutboxMessage]) -> set[str]:
    """Return the subjects of these reminders that were settled after being queued."""
    asked: dict[object, set[str]] = defaultdict(set)
    for row in rows:
        kind = KINDS.get(row.kind)
        if kind is not None and kind.settled is not None:
            asked[kind.settled].add(row.subject_ref)  # kinds sharing a check ask it once
    return set().union(*(settled(refs) for settled, refs in asked.items()))


def _send_batch(lease: Lease, now: datetime) -> dict:
    """Render and send claimed messages over one SMTP connection, acknowledging each at once.

    Each result is written in its own short fenced transaction as soon as the server has
    answered, so a crash re-sends at most the one message that was in flight.
    """
    counts = {"sent": 0, "retry": 0, "dead": 0, "skipped": 0, "refused": 0}
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    rows = list(db.session.scalars(select(OutboxMessage)
                                   .where(OutboxMessage.id.in_(sorted(lease.held)))
                                   .order_by(OutboxMessage.id)))
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({r.user_id for r in rows if r.user_id})))}
    links = dict(db.session.execute(select(Notification.dedupe_key, Notification.link).where(
        Notification.dedupe_key.in_([r.dedupe_key for r in rows]))).all())
    defaults, organisation = render_defaults(), organisation_name()
    settled = resolved(rows)

    with mail.Connection() as smtp:
        for row in rows:
            if not lease.holds(row.id):
                counts["refused"] += 1  # another worker took it: never send it from here
                continue
            user = users.get(row.user_id)
            if user is not None and (not user.active or row.subject_ref in settled):
                outcome, values = "skipped", {"status": OutboxStatus.SKIPPED}
            else:
                try:
                    message = (render_outbox(row, user, links.get(row.dedupe_key), defaults,
                                             organisation) if user else mail.stored(row))
                    smtp.send(message)
                except Exception as error:  # noqa: BLE001 - every failure goes on the row
                    dead = not _temporary(error) or row.attempts >= max_attempts
                    outcome = "dead" if dead else "retry"
                    # Backoff waits for the server on the real clock, and past `now` too, so
                    # this very sweep (run with `--now` ahead) does not retry it at once.
                    values = {"status": OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
                              "next_attempt_at": max(now, utcnow()) + backoff(row.attempts),
                              "last_error": f"{type(error).__name__}: {error}"[:1000]}
                else:
                    # The body is not copied: the admin's mail view renders it again.
                    outcome, values = "sent", {"status": OutboxStatus.SENT, "sent_at": utcnow(),
                                               "last_error": "",
                                               "subject": message.subject[:300]}
            if lease.acknowledge(row.id, **values):
                counts[outcome] += 1
            else:
                counts["refused"] += 1
    db.session.remove()
    return counts


def deliver(now: datetime | None = None, batch: int = 200,
            only_ids: list[int] | None = None) -> dict:
    """Send every mail due, batch by batch (no SMTP server: it stays queued); then texts."""
    totals = {"sent": 0, "retry": 0, "dead": 0, "skipped": 0, "refused": 0}
    from pdplanner.reminders import texting  # texting builds on this module's claim and lease

    for key, value in texting.deliver(now, only_ids=only_ids).items():
        totals[key] = totals.get(key, 0) + value
    if not mail.delivers():
        return totals
    now = now or utcnow()
    while True:
        token, ids = claim(now, batch, only_ids)
        if not ids:
            return totals
        # One connection for the batch's renewals and per-mail acks: no pool checkout each.
        with db.engine.connect() as connection:
            counts = _send_batch(Lease(token, ids, connection), now)
        for key, value in counts.items():
            totals[key] += value
