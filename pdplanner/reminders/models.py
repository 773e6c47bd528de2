"""Tables for the outbox, in-app notifications, reminder preferences and calendar feeds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, status_type, utcnow


class OutboxStatus(StrEnum):
    """Where a mail is on its way out."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"
    SKIPPED = "skipped"


class OutboxMessage(db.Model):
    """One e-mail to send exactly once; the unique dedupe key refuses a second copy."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: kind:subject:due:channel — the same reminder can never be queued twice.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    #: What the message is about (e.g. "occurrence:12"), to skip it once resolved.
    subject_ref: Mapped[str] = mapped_column(String(80), default="")
    #: JSON parameters; the mail is rendered in the person's language when it is sent.
    params: Mapped[str] = mapped_column(Text, default="{}")
    #: Filled when rendered, so the admin mail view shows what went out.
    subject: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    #: Derived from the dedupe key, so a resend is recognisable as the same message.
    message_id: Mapped[str] = mapped_column(String(120))
    status: Mapped[OutboxStatus] = mapped_column(status_type(OutboxStatus, 10),
                                                 default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: A claimed message belongs to the claimer until then; after it, anyone may take it.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The claim's fence: only the holder of this token may acknowledge.
    lease_token: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Notification(db.Model):
    """An in-app notice, written with its outbox row so it never depends on SMTP."""

    __tablename__ = "notification"
    #: A person's latest notices, and their unread count, in one index range each.
    __table_args__ = (Index("ix_notification_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(40))
    #: JSON parameters; the text is written in the reader's language when shown.
    params: Mapped[str] = mapped_column(Text, default="{}")
    #: Where the notice leads (a path inside the app).
    link: Mapped[str] = mapped_column(String(300), default="/")
    #: What it is about (e.g. "occurrence:12"); once that is settled, the notice reads as read.
    subject_ref: Mapped[str | None] = mapped_column(String(80), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReminderPreference(db.Model):
    """A kind of reminder a person turned off (or back on); absent means the default."""

    __tablename__ = "reminder_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class CalendarFeed(db.Model):
    """A person's secret calendar URL; only a hash of its token is kept."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
