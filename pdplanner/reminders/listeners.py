"""What reminders do when other rooms announce a change."""

from sqlalchemy import update

from pdplanner import events
from pdplanner.extensions import db
from pdplanner.reminders.models import Notification, OutboxMessage, OutboxStatus
from pdplanner.types import utcnow


def _on_subject_settled(subject_ref: str, user_id: int | None = None, **_) -> None:
    """Mark read the unread notices about a subject that needs nothing more, and skip its
    mails still waiting — everyone's, or only `user_id`'s when one person leaves it (no
    commit: the caller's transaction holds it all)."""
    notices = [Notification.subject_ref == subject_ref, Notification.read_at.is_(None)]
    # Only mails nobody has claimed: a claimed one is being sent under its lease.
    mails = [OutboxMessage.subject_ref == subject_ref,
             OutboxMessage.status == OutboxStatus.PENDING]
    if user_id is not None:
        notices.append(Notification.user_id == user_id)
        mails.append(OutboxMessage.user_id == user_id)
    db.session.execute(update(Notification).where(*notices).values(read_at=utcnow()))
    db.session.execute(update(OutboxMessage).where(*mails).values(status=OutboxStatus.SKIPPED))


def register() -> None:
    """Connect the listeners (safe to call more than once)."""
    events.subject_settled.connect(_on_subject_settled)
