"""An append-only audit log written in the same transaction as the change it records."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """One recorded change: who did what to which object."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: Dotted verb, e.g. "user.deactivate".
    action: Mapped[str] = mapped_column(String(60))
    #: Kind and id of the object changed, e.g. "user:12".
    subject: Mapped[str] = mapped_column(String(80))
    #: Short, non-private detail (never reflection or note text).
    detail: Mapped[str] = mapped_column(Text, default="")


def record(actor_id: int | None, action: str, subject: str, detail: str = "") -> None:
    """Add an audit event to the current transaction (the caller commits)."""
    db.session.add(AuditEvent(actor_id=actor_id, action=action, subject=subject, detail=detail))
