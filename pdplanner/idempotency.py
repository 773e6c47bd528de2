"""Make a double-submitted form create one record: each form carries a one-time token."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from pdplanner.errors import BadInput
from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, utcnow


class FormSubmission(db.Model):
    """A form token already used, and what it created."""

    __tablename__ = "form_submission"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: What the first submission created, e.g. "goal:12".
    result: Mapped[str] = mapped_column(String(80))
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
