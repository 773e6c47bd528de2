"""What reminders do when other rooms announce a change."""

from sqlalchemy import update

from pdplanner import events
from pdplanner.extensions import db
from pdplanner.reminders.models import Notification, OutboxMessage, OutboxStatus
from pdplanner.types import utcnow


def _on_subject_settled(subject_ref: str, **_) -> None:
    """Mark read the unread notices about a subject that needs nothing more, and skip its
    mails still waiting (no commit: the caller's transaction holds it all)."""
    db.session.execute(update(Notification).where(
        Notification.subject_ref == subject_ref, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    # Only mails nobody has claimed: a claimed one is being sent under its lease.
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.subject_ref == subject_ref, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SKIPPED))


def register() -> None:
    """Connect the listeners (safe to call more than once)."""
    events.subject_settled.connect(_on_subject_settled)
