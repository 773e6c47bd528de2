"""Labels of the supervision room's statuses, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from pdplanner import labels
from pdplanner.supervision import agenda_html

SESSION_STATUS = {"planned": _l("Planned"), "held": _l("Held"), "missed": _l("Missed"),
                  "cancelled": _l("Cancelled")}


def register() -> None:
    """Make the supervision room's labels known to templates."""
    labels.register("session_status", SESSION_STATUS)
    agenda_html.register()
