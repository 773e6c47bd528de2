"""A goal's plan written in Python: every date of every activity is a row with its badge, its
links and the reflection the viewer may read (as template code, a dozen calls a row)."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from pdplanner.formatting import dateformat
from pdplanner.forms import csrf_input
from pdplanner.learning.badges import kind, occurrence_status, recurrence
from pdplanner.learning.goal_page import PlannedActivity, PlannedDate
from pdplanner.learning.models import OPEN_STATUSES, Goal, OccurrenceStatus
from pdplanner.navigation import url_for


def plan_section(goal: Goal, activities: list[PlannedActivity], is_owner: bool, today: date,
                 w) -> Markup:
    """Return the goal's plan: each live activity with its dates, then (for the owner) the
    deleted activities to restore; `w` are the page's words."""
    editable = is_owner and goal.deleted_at is None
    parts = ['<section id="plan" aria-labelledby="plan-h">\n'
             f'  <div class="heading"><h2 id="plan-h">{w.plan_heading}</h2>\n']
    if editable and goal.status in OPEN_STATUSES:
        new = url_for("learning.activity_new", goal_id=goal.id)
        parts.append(f'  <p class="actions"><a class="button primary" href="{new}">'
                     f'{w.plan_activity}</a></p>')
    parts.append('</div>\n')
    live = [a for a in activities if a.deleted_at is None]
    for a in live:
        parts.append(_activity(a, is_owner, editable, today, w))
    if not live:
        parts.append(f'  <p class="muted">{w.no_activity}</p>\n')
    gone = [a for a in activities if a.deleted_at is not None] if is_owner else []
    if gone:
        parts.append(f'  <h3>{w.deleted_activities}</h3><ul class="items">')
        for a in gone:
            title = escape(a.title)
            action = url_for("learning.activity_delete", activity_id=a.id, action="restore")
            parts.append(
                f'<li><span class="what">{title}</span>\n    <form method="post" '
                f'action="{action}" class="inline">{csrf_input()}<button type="submit" '
                f'class="button">{w.restore}<span class="sr-only"> — {title}</span></button>'
                '</form></li>')
        parts.append('</ul>\n')
    parts.append('</section>\n')
    return Markup("".join(parts))  # noqa: S704 (every value above is escaped)


def _activity(a: PlannedActivity, is_owner: bool, editable: bool, today: date, w) -> str:
    """One activity's card: what, how long, how often, and its dates."""
    title = escape(a.title)
    with_whom = f" · {escape(a.with_whom)}" if a.with_whom else ""
    parts = ['  <div class="card">\n'
             f'    <h3>{title}</h3>\n'
             f'    <p class="muted small">{escape(kind(a.kind))}{with_whom} · '
             f'{w.minutes % {"n": a.duration_minutes}} · {escape(recurrence(a))}</p>\n'
             '    <ul class="items">\n']
    at = f" {a.start_time.strftime('%H:%M')}" if a.start_time else ""
    occurrence_url = url_for("learning.occurrence", occurrence_id=0)[:-1]
    before, after = url_for("learning.reflection", occurrence_id=0).split("/0/")
    for o in a.dates:
        if o.status == OccurrenceStatus.RESCHEDULED and not is_owner:
            continue
        day = escape(dateformat(o.planned_on))
        parts.append(f'      <li><span class="what">{day}{at} {occurrence_status(o, today)}')
        if (o.status == OccurrenceStatus.DONE and o.happened_on
                and o.happened_on != o.planned_on):
            happened = w.happened % {"d": dateformat(o.happened_on)}
            parts.append(f'\n        <span class="muted small">{happened}</span>')
        if o.status == OccurrenceStatus.MISSED and o.missed_reason:
            parts.append(f'\n        <span class="muted small">— {escape(o.missed_reason)}'
                         '</span>')
        if o.reflection_id is not None:
            parts.append(_reflection(o, is_owner, w))
        parts.append('\n        </span>\n')
        if is_owner and o.status != OccurrenceStatus.RESCHEDULED:
            which = w.record if o.status == OccurrenceStatus.PLANNED else w.change
            parts.append(f'        <span class="buttons">\n          <a href="{occurrence_url}'
                         f'{o.id}">{which}<span class="sr-only"> — {day}</span></a>\n')
            if o.status == OccurrenceStatus.DONE:
                parts.append(f'          <a href="{before}/{o.id}/{after}">{w.reflection}'
                             f'<span class="sr-only"> — {day}</span></a>\n')
            parts.append('        </span>\n')
        parts.append('      </li>\n')
    parts.append('    </ul>\n')
    if editable:
        edit = url_for("learning.activity_edit", activity_id=a.id)
        delete = url_for("learning.activity_delete", activity_id=a.id, action="delete")
        parts.append(
            f'    <div class="small"><a href="{edit}">{w.edit_activity}<span class="sr-only">'
            f' — {title}</span></a> ·\n      <form method="post" action="{delete}" '
            f'class="inline">{csrf_input()}<button type="submit" class="link">{w.delete}'
            f'<span class="sr-only"> — {title}</span></button></form></div>\n')
    parts.append('  </div>\n')
    return "".join(parts)


def _reflection(o: PlannedDate, is_owner: bool, w) -> str:
    """What the owner learned on a date and will apply (and, to them, who reads it)."""
    parts = ['\n          <span class="quote small reflection">']
    if o.learned:
        parts.append(f'<strong>{w.learned}</strong> {escape(o.learned)}')
    if o.apply:
        parts.append(f'<br><strong>{w.will_apply}</strong> {escape(o.apply)}')
    if is_owner:
        said = w.only_me if o.reflection_visibility == "private" else w.shared_with_my_supervisor
        parts.append(f'<br><span class="muted">{said}</span>')
    parts.append('</span>')
    return "".join(parts)
