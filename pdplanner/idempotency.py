"""Make a double-submitted form create one record (each form carries a one-time token), and
an action sent again from a device's offline queue answer as the first time (its key)."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from pdplanner.errors import BadInput
from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, status_type, utcnow


class FormSubmission(db.Model):
    """A form token already used, and what it created."""

    __tablename__ = "form_submission"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: What the first submission created, e.g. "goal:12".
    result: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DeviceOutcome(StrEnum):
    """What became of an action sent from a device: recorded, or refused with a reason."""

    RECORDED = "recorded"
    REFUSED = "refused"


class DeviceAction(db.Model):
    """An action a device queued offline and sent, kept by its key so that sending it again
    never records it twice and answers as the first time."""

    __tablename__ = "device_action"
    __table_args__ = (UniqueConstraint("person_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: The key the device gave the action when it queued it (a random UUID).
    key: Mapped[str] = mapped_column(String(64))
    #: What it asked, e.g. "occurrence:12:done".
    action: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[DeviceOutcome] = mapped_column(status_type(DeviceOutcome, 10))
    #: Why it was refused, as the device was first told.
    message: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def new_token() -> str:
    """Return a fresh token to put in a form."""
    return secrets.token_urlsafe(24)


def already_done(token: str | None, kind: str | None = None) -> str | None:
    """Return what a token's first submission created, if it was used before.

    A token that created another kind of record (`kind`, e.g. "goal") was copied into the
    wrong form: that is a 400, not the other record.
    """
    if not token:
        return None
    row = db.session.scalar(select(FormSubmission).where(FormSubmission.token == token))
    if row and kind and not row.result.startswith(f"{kind}:"):
        raise BadInput()
    return row.result if row else None


def remember(token: str | None, result: str) -> None:
    """Record the token in the current transaction (the unique key refuses a second use)."""
    if token:
        db.session.add(FormSubmission(token=token[:64], result=result))


def commit_once(token: str | None) -> bool:
    """Commit; return False (after rolling back) when a concurrent twin won the race."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if already_done(token):
            return False
        raise
    return True
