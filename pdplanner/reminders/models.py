"""Tables for the outbox, in-app notifications, reminder preferences and calendar feeds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pdplanner.accounts.models import ReminderChannel, channel_type
from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, status_type, utcnow


class OutboxStatus(StrEnum):
    """Where a mail is on its way out."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"
    SKIPPED = "skipped"


class Channel(StrEnum):
    """How one outbox message travels."""

    EMAIL = "email"
    SMS = "sms"


class DeliveryReport(StrEnum):
    """What the SMS provider later said of a text it accepted."""

    DELIVERED = "delivered"
    FAILED = "failed"


def _enum(enum: type[StrEnum], name: str, length: int) -> Enum:
    """Store a StrEnum as its values in a VARCHAR with a CHECK named `name`."""
    return Enum(enum, native_enum=False, create_constraint=True, length=length, name=name,
                values_callable=lambda members: [member.value for member in members],
                validate_strings=True)


class OutboxMessage(db.Model):
    """One e-mail to send exactly once; the unique dedupe key refuses a second copy."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: kind:subject:due:channel — the same reminder can never be queued twice.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: An e-mail address, or for a text the phone number in E.164.
    to_address: Mapped[str] = mapped_column(String(254))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel", 5), default=Channel.EMAIL,
                                             server_default="email", index=True)
    #: SMS only: segments the text costs (counted when sent, against the monthly cap).
    segments: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: SMS only: the provider's id for the text, which its delivery reports name.
    provider_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    #: SMS only: the provider's delivery report, once it came.
    report: Mapped[DeliveryReport | None] = mapped_column(_enum(DeliveryReport, "report", 10))
    #: SMS "did it happen?" only: the code a reply may carry to name this text.
    reply_code: Mapped[str | None] = mapped_column(String(8), index=True)
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
    #: How this kind reaches the person; empty means the person's own channel.
    channel: Mapped[ReminderChannel | None] = mapped_column(channel_type())


class SmsReply(db.Model):
    """A text received from a provider, kept once: a retried webhook finds it and stops."""

    __tablename__ = "sms_reply"
    __table_args__ = (UniqueConstraint("provider", "provider_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    #: The provider's id of the incoming text (Twilio's MessageSid, the gateway's event id).
    provider_ref: Mapped[str] = mapped_column(String(100))
    from_number: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: What the reply was read as: done, missed, stop, help, unknown (no such person).
    outcome: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CalendarFeed(db.Model):
    """A person's secret calendar URL; only a hash of its token is kept."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
