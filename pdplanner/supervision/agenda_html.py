"""The agenda's repeated rows (outcomes since last time, each goal's heading) written in
Python from words translated once per process and language: as template code each row
cost a translation and several filter and macro calls."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from pdplanner import labels
from pdplanner.formatting import dateformat
from pdplanner.learning.models import OccurrenceStatus

WORDS = {"done": _l("Done"), "missed": _l("Missed"), "learned": _l("Learned:"),
         "apply": _l("Will apply:"), "agreed": _l("agreed on %(d)s")}


def register() -> None:
    """Make the words known to `labels` (translated once per language)."""
    labels.register("agenda_words", WORDS)


# A translation is trusted as the templates' _() trusts it (Markup, not escaped); every
# value from a row goes through escape().

def outcomes(rows) -> Markup:
    """The outcomes since last time as the session page lists them, with the shared
    reflection on each, if any."""
    words = labels.translated("agenda_words")
    done, missed = words["done"], words["missed"]
    learned, apply = words["learned"], words["apply"]
    lines = []
    for o in rows:
        said = done if o.status == OccurrenceStatus.DONE else missed
        line = (f"<li>{escape(dateformat(o.planned_on))} — {escape(o.activity_title)} "
                f'<span class="badge {escape(o.status)}">{said}</span>\n    ')
        if o.reflection_id is not None:
            line += '<span class="quote small reflection">'
            if o.learned:
                line += f"<strong>{learned}</strong> {escape(o.learned)}"
            if o.apply:
                line += f"<br><strong>{apply}</strong> {escape(o.apply)}"
            line += "</span>"
        lines.append(line + "</li>")
    return Markup(f'<ul class="list">{"".join(lines)}</ul>')  # noqa: S704


def goal_headings(goals) -> dict[int, Markup]:
    """Each goal's title, status badge, progress bar and the day it was agreed, as its card
    opens (the badge and bar as `learning.badges` writes them), by goal id."""
    statuses = labels.translated("goal_status")
    progress_said = labels.translated("learning_badges")["progress"]
    agreed_on = Markup(labels.translated("agenda_words")["agreed"])  # noqa: S704
    headings = {}
    for g in goals:
        agreed = f" · {agreed_on % {'d': dateformat(g.agreed_at)}}" if g.agreed_at else ""
        value = escape(g.progress)
        said = escape(progress_said % {"p": g.progress})
        headings[g.id] = Markup(  # noqa: S704
            f'<h3>{escape(g.title)} <span class="badge">'
            f"{escape(statuses.get(g.status, g.status))}</span></h3>\n    "
            f'<progress class="progress" max="100" value="{value}" aria-label="{said}">'
            f'{value} %</progress> <p class="small">{value} %{agreed}</p>')
    return headings
