"""A goal's plan and its comments and actions, written in Python: every date of every activity
is a row with its badge, its links and the reflection the viewer may read, and the lifecycle
buttons are chosen by rules (as template code, a dozen calls a row or a button)."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from pdplanner.field_html import field_html
from pdplanner.formatting import dateformat
from pdplanner.forms import csrf_input
from pdplanner.learning.badges import kind, occurrence_status, recurrence
from pdplanner.learning.goal_page import CommentRow
from pdplanner.learning.goal_plan import PlannedActivity, PlannedDate
from pdplanner.learning.models import OPEN_STATUSES, Goal, GoalStatus, OccurrenceStatus
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


#: The lifecycle's buttons, in order: (action, word, the statuses that offer it).
_STATE_BUTTONS = (
    ("activate", "start", (GoalStatus.DRAFT,)),
    ("pause", "pause", (GoalStatus.ACTIVE,)),
    ("resume", "resume", (GoalStatus.PAUSED,)),
    ("achieve", "achieve", (GoalStatus.ACTIVE, GoalStatus.PAUSED)),
    ("reopen", "reopen", (GoalStatus.ACHIEVED, GoalStatus.DROPPED)),
)


def _form_errors(form) -> str:
    """A form's own errors (not a field's) as an alert, or nothing."""
    if not form.form_errors:
        return ""
    said = "".join(f"<p>{escape(e)}</p>" for e in form.form_errors)
    return f'<div class="alert alert-error" role="alert">{said}</div>'


def _post_button(action: str, css: str, word) -> str:
    return (f'<form method="post" action="{action}" class="inline">{csrf_input()}'
            f'<button type="submit" class="{css}">{word}</button></form>')


def actions_section(goal: Goal, comments: list[CommentRow], comment_form, reason_form, *,
                    may_comment: bool, may_agree: bool, is_owner: bool, w) -> Markup:
    """Return the comments (and the form to add one), the supervisor's agreement and the
    owner's lifecycle buttons and drop form, as the page's rules offer them."""
    live = goal.deleted_at is None
    parts = ['<section id="comments" aria-labelledby="comments-h">\n'
             f'  <h2 id="comments-h">{w.comments}</h2>\n  ']
    for c in comments:
        when = escape(dateformat(c.created_at))
        parts.append(f'<p class="quote"><strong>{escape(c.author)}</strong> <span class="muted '
                     f'small">{when}</span><br>{escape(c.text)}</p>\n  ')
    if not comments:
        parts.append(f'<p class="muted">{w.no_comment}</p>')
    if may_comment and live:
        text = comment_form.text
        action = url_for("learning.goal_comment", goal_id=goal.id)
        parts.append(
            f'\n  <form method="post" action="{action}" novalidate class="narrow">\n    '
            f'{csrf_input()}{_form_errors(comment_form)}\n    '
            f'{field_html(text, autofocus=bool(text.errors))}\n    '
            f'<button type="submit" class="button">{w.add_comment}</button>\n  </form>')
    parts.append('\n</section>\n')
    if may_agree and goal.status in OPEN_STATUSES:
        agree = url_for("learning.goal_agree", goal_id=goal.id)
        button = _post_button(agree, "button primary", w.record_agreed)
        parts.append('<section aria-labelledby="agree-h"><h2 id="agree-h">'
                     f'{w.agreement}</h2>\n  {button}\n</section>\n')
    if is_owner and live and goal.status not in (GoalStatus.SUGGESTED, GoalStatus.DECLINED):
        parts.append(_state_section(goal, reason_form, w))
    return Markup("".join(parts))  # noqa: S704 (every value above is escaped)


def _state_section(goal: Goal, reason_form, w) -> str:
    """The owner's buttons that move the goal along its lifecycle, drop it or delete it."""
    parts = ['<section aria-labelledby="state-h" class="no-print">\n'
             f'  <h2 id="state-h">{w.state_heading}</h2>\n  <div class="buttons">\n']
    for action, word, offered in _STATE_BUTTONS:
        if goal.status in offered:
            target = url_for("learning.goal_status", goal_id=goal.id, action=action)
            parts.append(f'    {_post_button(target, "button", getattr(w, word))}\n')
    parts.append('  </div>\n')
    if goal.status in OPEN_STATUSES:
        reason = reason_form.reason
        drop = url_for("learning.goal_status", goal_id=goal.id, action="drop")
        parts.append(
            f'  <form method="post" action="{drop}" id="drop" novalidate class="narrow">\n    '
            f'{csrf_input()}{_form_errors(reason_form)}\n    '
            f'{field_html(reason, hint=w.drop_hint, autofocus=bool(reason.errors))}\n    '
            f'<button type="submit" class="button danger">{w.drop}</button>\n  </form>\n')
    delete = url_for("learning.goal_delete", goal_id=goal.id, action="delete")
    parts.append(f'  {_post_button(delete, "link", w.delete_goal)}\n</section>\n')
    return "".join(parts)
