"""Rows that pages list by the dozen — the plan's dates, My learning's goals — written in
Python: a plan lists every date of twelve weeks each way (a hundred rows for a busy person),
and as template code each row cost a dozen calls for its link, its badge and its date."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from pdplanner import labels
from pdplanner.formatting import dateformat
from pdplanner.learning.badges import goal_status, occurrence_status, progress
from pdplanner.learning.models import OccurrenceStatus
from pdplanner.learning.quick_actions import quick_actions
from pdplanner.navigation import url_for

WORDS = {"by": _l("by %(d)s"), OccurrenceStatus.DONE: _l("Done"),
         OccurrenceStatus.MISSED: _l("Missed"), "other": _l("Cancelled")}


def register(app) -> None:
    """Give templates the rows."""
    labels.register("learning_lists", WORDS)
    app.jinja_env.globals.update(plan_rows=plan_rows, goal_rows=goal_rows,
                                 week_rows=week_rows, resolve_rows=resolve_rows)


def week_rows(items) -> Markup:
    """Return this week's dates for My learning: day, time, what, and how it went when it is
    no longer planned."""
    words = labels.translated("learning_lists")
    rows = []
    for o in items:
        a = o.activity
        at = f" {a.start_time.strftime('%H:%M')}" if a.start_time else ""
        badge = ""
        if o.status != OccurrenceStatus.PLANNED:
            said = escape(words.get(o.status, words["other"]))
            badge = f'<span class="badge {escape(o.status)}">{said}</span>'
        rows.append(f'      <li>{escape(dateformat(o.planned_on, "EEE d MMM"))}{at} — '
                    f'{escape(a.title)}\n        {badge}</li>\n')
    return Markup("".join(rows))  # noqa: S704 (every value above is escaped)


def resolve_rows(items, back: str) -> Markup:
    """Return past dates still planned for My learning: what, when, its kind and goal, and
    the buttons that say what happened (back to `back`)."""
    kinds = labels.translated("activity_kind")
    rows = []
    for o in items:
        a = o.activity
        rows.append(
            f'    <li><span class="what"><strong>{escape(a.title)}</strong><br><span class="muted'
            f' small">{escape(dateformat(o.planned_on, "full"))} · '
            f'{escape(kinds.get(a.kind, a.kind))} · {escape(a.goal.title)}</span></span>\n'
            f'      {quick_actions(o, back)}</li>\n')
    return Markup("".join(rows))  # noqa: S704 (every value above is escaped)


def goal_rows(goals) -> Markup:
    """Return goals in progress as list items: title linked, status, target date, progress."""
    by = labels.translated("learning_lists")["by"]
    goal_url = url_for("learning.goal", goal_id=0)[:-1]
    rows = []
    for g in goals:
        target = (f'<br><span class="muted small">{escape(by % {"d": dateformat(g.target_date)})}'
                  '</span>' if g.target_date else "")
        rows.append(
            f'    <li><span class="what"><a href="{goal_url}{int(g.id)}">{escape(g.title)}</a> '
            f'{goal_status(g.status)}\n      {target}</span>\n'
            f'      <span>{progress(g.progress)} <span class="small">{escape(g.progress)} %'
            '</span></span></li>\n')
    return Markup("".join(rows))  # noqa: S704 (every value above is escaped)


def plan_rows(items, today: date, actions: bool = False) -> Markup:
    """Return the list of dates `items`: when, what, its status, kind and goal; the quick
    actions on every row when `actions`, else on today's dates still planned."""
    kinds = labels.translated("activity_kind")
    goal_url = url_for("learning.goal", goal_id=0)[:-1]
    back = url_for("learning.plan")
    rows = ['<ul class="items">\n']
    for o in items:
        a = o.activity
        when = escape(dateformat(o.planned_on, "EEE d MMM y"))
        if a.start_time:
            when = f"{when} {a.start_time.strftime('%H:%M')}"
        kind = escape(kinds.get(a.kind, a.kind))
        with_whom = f" · {escape(a.with_whom)}" if a.with_whom else ""
        settle = actions or (o.planned_on == today and o.status == OccurrenceStatus.PLANNED)
        rows.append(
            f'  <li><span class="what">{when} — <strong>{escape(a.title)}</strong> '
            f'{occurrence_status(o, today)}<br>\n'
            f'    <span class="muted small">{kind}{with_whom} · <a href="{goal_url}'
            f'{int(a.goal_id)}">{escape(a.goal.title)}</a></span></span>'
            f'{quick_actions(o, back) if settle else ""}</li>\n')
    rows.append("</ul>\n")
    return Markup("".join(rows))  # noqa: S704 (every value above is escaped)
