"""What supervision does when other rooms announce a change."""

from pdplanner import events


def _on_supervisor_changed(person, old_id=None, new_id=None, **_):
    """Move the person's coming sessions to their new supervisor."""
    from pdplanner.supervision.cadence import reassign

    reassign(person, old_id, new_id)


def register() -> None:
    """Connect the listeners (safe to call more than once)."""
    events.supervisor_changed.connect(_on_supervisor_changed)
