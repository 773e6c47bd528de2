"""The small pieces goals and dates show on many rows (status badges, kinds, recurrence,
progress bars), written in Python from words translated once per request: as template
macros each cost a macro call and a translation per row."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from pdplanner import labels
from pdplanner.formatting import dateformat
from pdplanner.learning.models import OccurrenceStatus

WORDS = {
    "to_resolve": _l("To resolve"), "progress": _l("Progress: %(p)d %%"),
    "weekly": _l("every week until %(d)s"), "fortnightly": _l("every 2 weeks until %(d)s"),
    "monthly": _l("every month until %(d)s"), "once": _l("once"),
}


def register(app) -> None:
    """Give templates the pieces (``_macros/learning.html`` names them for imports)."""
    labels.register("learning_badges", WORDS)
    app.jinja_env.globals["learning_badges"] = {
        "goal_status": goal_status, "occurrence_status": occurrence_status, "kind": kind,
        "recurrence": recurrence, "progress": progress}


# Each piece is an f-string of escaped values wrapped once in Markup (formatting a Markup
# with % costs several calls per value, on every row).

def goal_status(status) -> Markup:
    """A goal's status as a badge."""
    return Markup(f'<span class="badge">{escape(labels.label("goal_status", status))}</span>')  # noqa: S704


def occurrence_status(o, today: date) -> Markup:
    """A date's status as a badge; a past date still planned is "to resolve"."""
    if o.status == OccurrenceStatus.PLANNED and o.planned_on < today:
        return Markup(f'<span class="badge missed">{escape(_word("to_resolve"))}</span>')  # noqa: S704
    label = escape(labels.label("occurrence_status", o.status))
    return Markup(f'<span class="badge {escape(o.status)}">{label}</span>')  # noqa: S704


def kind(value) -> str:
    """An activity's kind, named."""
    return labels.label("activity_kind", value)


def recurrence(a) -> str:
    """How an activity repeats: "every week until …", or "once"."""
    if a.recurrence in ("weekly", "fortnightly", "monthly"):
        return _word(a.recurrence) % {"d": dateformat(a.until)}
    return _word("once")


def progress(value) -> Markup:
    """A progress bar, its value said for screen readers."""
    said = escape(_word("progress") % {"p": value})
    value = escape(value)
    return Markup(f'<progress class="progress" max="100" value="{value}" '  # noqa: S704
                  f'aria-label="{said}">{value} %</progress>')


def _word(key: str) -> str:
    return labels.translated("learning_badges")[key]
