"""A date's quick actions (done, missed, done with a reflection), written in Python: My
learning and the plan show a set per date, and as a template macro each set cost a dozen
translations, three URLs and five date formats."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from pdplanner import labels
from pdplanner.formatting import dateformat
from pdplanner.forms import csrf_input
from pdplanner.navigation import url_for

WORDS = {
    "done": _l("Done"), "missed": _l("Missed"), "more": _l("More…"),
    "reflect": _l("Done, with a reflection"), "learned": _l("What did you learn?"),
    "apply": _l("What will you apply in your work?"),
    "share": _l("Share it with my supervisor"), "save": _l("Save as done"),
    "done_what": _l("Done: %(what)s"), "missed_what": _l("Missed: %(what)s"),
    "reflect_what": _l("Done, with a reflection: %(what)s"),
}


def register() -> None:
    """Make the actions' words a table translated once per request."""
    labels.register("quick_actions", WORDS)


def quick_actions(o, next_url: str) -> Markup:
    """Return the buttons that settle date `o`, then send the person to `next_url`."""
    words = labels.translated("quick_actions")
    title = escape(o.activity.title)
    plain_what = f"{o.activity.title}, {dateformat(o.planned_on)}"
    what = escape(plain_what)
    done = escape(url_for("learning.occurrence_quick", occurrence_id=o.id, outcome="done"))
    missed = escape(url_for("learning.occurrence_quick", occurrence_id=o.id, outcome="missed"))
    more = escape(url_for("learning.occurrence", occurrence_id=o.id))
    csrf, n = csrf_input(), int(o.id)
    kept = (f'<input type="hidden" name="next" value="{escape(next_url)}">'
            f'<input type="hidden" name="seen" value="{escape(o.status)}">')

    def keep(label: str) -> str:
        # The words that name the action while it waits offline, and the status the page
        # showed (a changed date is refused): see static/queue.js.
        return f'{kept}<input type="hidden" name="offline_label" value="{escape(label)}">'

    def labelled(key: str) -> str:
        return words[key] % {"what": plain_what}

    html = (
        f'<div class="buttons">\n'
        f'  <form method="post" action="{done}" class="inline">{csrf}{keep(labelled("done_what"))}'
        f'<button type="submit" class="button">{escape(words["done"])}'
        f'<span class="sr-only"> — {what}</span></button></form>\n'
        f'  <form method="post" action="{missed}" class="inline">{csrf}'
        f'{keep(labelled("missed_what"))}<button type="submit" class="button">'
        f'{escape(words["missed"])}<span class="sr-only"> — {what}</span></button></form>\n'
        f'  <a href="{more}">{escape(words["more"])}<span class="sr-only"> — {title}</span></a>\n'
        f'</div>\n'
        f'<details class="reflect">\n'
        f'  <summary>{escape(words["reflect"])}<span class="sr-only"> — {what}</span></summary>\n'
        f'  <form method="post" action="{done}" class="narrow">{csrf}'
        f'{keep(labelled("reflect_what"))}\n'
        f'    <div class="field"><label for="learned-{n}">{escape(words["learned"])}</label>'
        f'<textarea id="learned-{n}" name="learned" maxlength="2000"></textarea></div>\n'
        f'    <div class="field"><label for="apply-{n}">{escape(words["apply"])}</label>'
        f'<textarea id="apply-{n}" name="apply" maxlength="2000"></textarea></div>\n'
        f'    <div class="field check"><input type="checkbox" id="share-{n}" name="share" '
        f'value="y"> <label for="share-{n}">{escape(words["share"])}</label></div>\n'
        f'    <button type="submit" class="button primary">{escape(words["save"])}'
        f'<span class="sr-only"> — {what}</span></button>\n'
        f'  </form>\n'
        f'</details>')
    return Markup(html)  # noqa: S704 (every value above is escaped)
