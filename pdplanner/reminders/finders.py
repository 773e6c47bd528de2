"""Find what is due for each kind of reminder, in each person's own time zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, CheckIn, Goal, Occurrence
from pdplanner.reminders.kinds import (
    LABELS,
    MONTHLY_CATCH_UP,
    MORNING,
    WEEKLY_CATCH_UP,
    Due,
    day_range,
    local_at,
    register,
)
from pdplanner.supervision.models import Session


def _zones() -> dict[int, str]:
    """Return every active person's time zone (theirs, else the organisation's)."""
    default = organisation().timezone or "UTC"
    rows = db.session.execute(select(User.id, User.timezone).where(User.active.is_(True)))
    return {user_id: zone or default for user_id, zone in rows}


def _occurrences(since, now):
    """Open occurrences of live activities on live open goals around the window."""
    first, last = day_range(now, since)
    return db.session.execute(
        select(Occurrence.id, Occurrence.planned_on, Goal.owner_id, Goal.id, Activity.title)
        .join(Activity, Occurrence.activity_id == Activity.id)
        .join(Goal, Activity.goal_id == Goal.id)
        .where(Occurrence.status == "planned", Occurrence.planned_on.between(first, last),
               Activity.deleted_at.is_(None), Goal.deleted_at.is_(None),
               Goal.status.in_(("draft", "active", "paused"))))


def _local_today(now: datetime, zones: dict[int, str]) -> dict[str, date]:
    """Return today's date in each of these time zones."""
    return {zone: now.astimezone(ZoneInfo(zone)).date() for zone in set(zones.values())}


@register("activity_upcoming", LABELS["activity_upcoming"])
def activity_upcoming(now: datetime, since: datetime):
    """The day before a planned date, at 08:00 local time, while that date is still ahead.

    A sweep catches up on reminders missed while it was down (the look-back), but never
    announces as "tomorrow" a date that has come or gone, e.g. one planned in the past.
    """
    zones = _zones()
    today = _local_today(now, zones)
    for occurrence_id, day, owner_id, goal_id, title in _occurrences(since, now):
        if owner_id in zones and day > today[zones[owner_id]]:
            due = local_at(day - timedelta(days=1), MORNING, zones[owner_id])
            yield Due("activity_upcoming", owner_id, f"occurrence:{occurrence_id}", due,
                      f"/goals/{goal_id}#plan", {"title": title, "day": day.isoformat()})


@register("activity_overdue", LABELS["activity_overdue"])
def activity_overdue(now: datetime, since: datetime):
    """The morning after a planned date still open: did it happen?"""
    zones = _zones()
    for occurrence_id, day, owner_id, _goal_id, title in _occurrences(since, now):
        if owner_id in zones:
            due = local_at(day + timedelta(days=1), MORNING, zones[owner_id])
            yield Due("activity_overdue", owner_id, f"occurrence:{occurrence_id}", due,
                      f"/occurrences/{occurrence_id}", {"title": title, "day": day.isoformat()})


def _planned_sessions(start, end):
    return db.session.execute(select(Session.id, Session.starts_at, Session.supervisor_id,
                                     Session.report_id)
                              .where(Session.status == "planned", Session.deleted_at.is_(None),
                                     Session.starts_at.between(start, end)))


@register("session_upcoming", LABELS["session_upcoming"])
def session_upcoming(now: datetime, since: datetime):
    """24 hours before a session, to both people, while it has not begun."""
    zones = _zones()
    for session_id, starts_at, supervisor_id, report_id in _planned_sessions(
            now, now + timedelta(days=2)):  # not a session that has already begun
        for user_id, other_id in ((supervisor_id, report_id), (report_id, supervisor_id)):
            if user_id in zones:
                yield Due("session_upcoming", user_id, f"session:{session_id}",
                          starts_at - timedelta(hours=24), f"/sessions/{session_id}",
                          {"starts_at": starts_at.isoformat(), "with_id": other_id,
                           "session_id": session_id})


@register("session_unresolved", LABELS["session_unresolved"])
def session_unresolved(now: datetime, since: datetime):
    """A day after a session left open, to its supervisor."""
    zones = _zones()
    for session_id, starts_at, supervisor_id, report_id in _planned_sessions(
            since - timedelta(days=1), now):
        if supervisor_id in zones:
            yield Due("session_unresolved", supervisor_id, f"session:{session_id}",
                      starts_at + timedelta(hours=24), f"/sessions/{session_id}",
                      {"starts_at": starts_at.isoformat(), "with_id": report_id})


@register("goal_stale", LABELS["goal_stale"], catch_up=WEEKLY_CATCH_UP)
def goal_stale(now: datetime, since: datetime):
    """An active goal with no check-in for N days (REMINDER_STALE_DAYS), every N days."""
    zones = _zones()
    days = current_app.config["REMINDER_STALE_DAYS"]
    last = (select(CheckIn.goal_id, func.max(CheckIn.on).label("last"))
            .group_by(CheckIn.goal_id).subquery())
    rows = db.session.execute(select(Goal.id, Goal.owner_id, Goal.title, Goal.created_at,
                                     last.c.last).outerjoin(last, last.c.goal_id == Goal.id)
                              .where(Goal.status == "active", Goal.deleted_at.is_(None)))
    for goal_id, owner_id, title, created_at, last_on in rows:
        if owner_id not in zones:
            continue
        quiet_since = last_on or created_at.date()
        periods = (now.date() - quiet_since).days // days
        if periods >= 1:
            due = local_at(quiet_since + timedelta(days=days * periods), MORNING,
                           zones[owner_id])
            yield Due("goal_stale", owner_id, f"goal:{goal_id}", due, f"/goals/{goal_id}",
                      {"title": title, "days": days})


@register("no_goal", LABELS["no_goal"], catch_up=MONTHLY_CATCH_UP)
def no_goal(now: datetime, since: datetime):
    """On the first of each month (the person's own month), to people with no active goal."""
    zones = _zones()
    today = _local_today(now, zones)
    with_goal = select(Goal.owner_id).where(Goal.status == "active", Goal.deleted_at.is_(None))
    for user_id in db.session.scalars(select(User.id).where(User.active.is_(True),
                                                            User.id.not_in(with_goal))):
        first = today[zones[user_id]].replace(day=1)
        yield Due("no_goal", user_id, f"month:{first:%Y-%m}", local_at(first, MORNING,
                                                                      zones[user_id]),
                  "/goals/new", {})


@register("supervisor_digest", LABELS["supervisor_digest"], catch_up=WEEKLY_CATCH_UP)
def supervisor_digest(now: datetime, since: datetime):
    """On Monday morning (the supervisor's own week), to everyone with active reports."""
    zones = _zones()
    today = _local_today(now, zones)
    bosses = select(User.supervisor_id).where(User.active.is_(True),
                                              User.supervisor_id.is_not(None))
    for user_id in db.session.scalars(select(User.id).where(User.id.in_(bosses),
                                                            User.active.is_(True))):
        day = today[zones[user_id]]
        monday = day - timedelta(days=day.weekday())
        yield Due("supervisor_digest", user_id, f"week:{monday:%G-W%V}",
                  local_at(monday, MORNING, zones[user_id]), "/team", {})


@register("hr_summary", LABELS["hr_summary"], catch_up=MONTHLY_CATCH_UP)
def hr_summary(now: datetime, since: datetime):
    """On the first of each month (HR's own month), to HR."""
    zones = _zones()
    today = _local_today(now, zones)
    for user_id in db.session.scalars(select(User.id).where(User.active.is_(True),
                                                            User.is_hr.is_(True))):
        first = today[zones[user_id]].replace(day=1)
        yield Due("hr_summary", user_id, f"month:{first:%Y-%m}",
                  local_at(first, MORNING, zones[user_id]), "/insights", {})
