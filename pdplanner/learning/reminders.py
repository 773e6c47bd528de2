"""Learning's reminders: dates coming up or passed, quiet goals, no goal, HR's summary."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import timezone_of
from pdplanner.extensions import db
from pdplanner.learning.models import (
    OPEN_STATUSES,
    Activity,
    CheckIn,
    Goal,
    GoalStatus,
    Occurrence,
    OccurrenceStatus,
)
from pdplanner.reminders.ical import CalendarEvent
from pdplanner.reminders.kinds import (
    MONTHLY_CATCH_UP,
    MORNING,
    WEEKLY_CATCH_UP,
    Due,
    Kind,
    Reader,
    day_range,
    local_at,
    local_today,
    ref_ids,
    settled_among,
    short,
    zones,
)


def _occurrences(since, now):
    """Open occurrences of live activities on live open goals around the window."""
    first, last = day_range(now, since)
    return db.session.execute(
        select(Occurrence.id, Occurrence.planned_on, Goal.owner_id, Goal.id, Activity.title)
        .join(Activity, Occurrence.activity_id == Activity.id)
        .join(Goal, Activity.goal_id == Goal.id)
        .where(Occurrence.status == OccurrenceStatus.PLANNED, Occurrence.planned_on.between(first,
                                                                                            last),
               Activity.deleted_at.is_(None), Goal.deleted_at.is_(None),
               Goal.status.in_(OPEN_STATUSES)))


def activity_upcoming(now: datetime, since: datetime):
    """The day before a planned date, at 08:00 local time, while that date is still ahead.

    A sweep catches up on reminders missed while it was down (the look-back), but never
    announces as "tomorrow" a date that has come or gone, e.g. one planned in the past.
    """
    by_user = zones()
    today = local_today(now, by_user)
    for occurrence_id, day, owner_id, goal_id, title in _occurrences(since, now):
        if owner_id in by_user and day > today[by_user[owner_id]]:
            due = local_at(day - timedelta(days=1), MORNING, by_user[owner_id])
            yield Due("activity_upcoming", owner_id, f"occurrence:{occurrence_id}", due,
                      f"/goals/{goal_id}#plan", {"title": title, "day": day.isoformat()})


def activity_overdue(now: datetime, since: datetime):
    """The morning after a planned date still open: did it happen?"""
    by_user = zones()
    for occurrence_id, day, owner_id, _goal_id, title in _occurrences(since, now):
        if owner_id in by_user:
            due = local_at(day + timedelta(days=1), MORNING, by_user[owner_id])
            yield Due("activity_overdue", owner_id, f"occurrence:{occurrence_id}", due,
                      f"/occurrences/{occurrence_id}", {"title": title, "day": day.isoformat()})


def occurrences_settled(refs: set[str]) -> set[str]:
    """Dates among these that are no longer planned (done, missed, cancelled, moved)."""
    return settled_among(refs, "occurrence", Occurrence.id,
                         Occurrence.status == OccurrenceStatus.PLANNED)


def goal_stale(now: datetime, since: datetime):
    """An active goal with no check-in for N days (REMINDER_STALE_DAYS), every N days."""
    by_user = zones()
    days = current_app.config["REMINDER_STALE_DAYS"]
    last = (select(CheckIn.goal_id, func.max(CheckIn.on).label("last"))
            .group_by(CheckIn.goal_id).subquery())
    rows = db.session.execute(select(Goal.id, Goal.owner_id, Goal.title, Goal.created_at,
                                     last.c.last).outerjoin(last, last.c.goal_id == Goal.id)
                              .where(Goal.status == GoalStatus.ACTIVE, Goal.deleted_at.is_(None)))
    for goal_id, owner_id, title, created_at, last_on in rows:
        if owner_id not in by_user:
            continue
        quiet_since = last_on or created_at.date()
        periods = (now.date() - quiet_since).days // days
        if periods >= 1:
            due = local_at(quiet_since + timedelta(days=days * periods), MORNING,
                           by_user[owner_id])
            yield Due("goal_stale", owner_id, f"goal:{goal_id}", due, f"/goals/{goal_id}",
                      {"title": title, "days": days})


def no_goal(now: datetime, since: datetime):
    """On the first of each month (the person's own month), to people with no active goal."""
    by_user = zones()
    today = local_today(now, by_user)
    with_goal = select(Goal.owner_id).where(Goal.status == GoalStatus.ACTIVE,
                                            Goal.deleted_at.is_(None))
    for user_id in db.session.scalars(select(User.id).where(User.active.is_(True),
                                                            User.id.not_in(with_goal))):
        first = today[by_user[user_id]].replace(day=1)
        yield Due("no_goal", user_id, f"month:{first:%Y-%m}", local_at(first, MORNING,
                                                                      by_user[user_id]),
                  "/goals/new", {})


def hr_summary(now: datetime, since: datetime):
    """On the first of each month (HR's own month), to HR."""
    by_user = zones()
    today = local_today(now, by_user)
    for user_id in db.session.scalars(select(User.id).where(User.active.is_(True),
                                                            User.is_hr.is_(True))):
        first = today[by_user[user_id]].replace(day=1)
        yield Due("hr_summary", user_id, f"month:{first:%Y-%m}",
                  local_at(first, MORNING, by_user[user_id]), "/insights", {})


def _summary_lines() -> list[str]:
    """Organisation-wide figures for HR (numbers only, never private text)."""
    staff = db.session.scalar(select(func.count()).select_from(User).where(
        User.active.is_(True)))
    with_goal = db.session.scalar(select(func.count(func.distinct(Goal.owner_id))).where(
        Goal.status == GoalStatus.ACTIVE, Goal.deleted_at.is_(None)))
    month_ago = date.today() - timedelta(days=30)
    done, missed = (db.session.scalar(select(func.count()).select_from(Occurrence).where(
        Occurrence.status == status, Occurrence.planned_on >= month_ago))
        for status in (OccurrenceStatus.DONE, OccurrenceStatus.MISSED))
    return [_("Staff with an active goal: %(n)d of %(total)d", n=with_goal, total=staff),
            _("Learning activities in the last 30 days: %(done)d done, %(missed)d missed",
              done=done, missed=missed)]


def _upcoming_subject(p: dict, reader: Reader) -> str:
    return _("Tomorrow, %(day)s: %(title)s", day=reader.day(p["day"]), title=p["title"])


def _upcoming_body(p: dict, reader: Reader):
    return ([_("You planned “%(title)s” for %(day)s.", title=p["title"],
               day=reader.day(p["day"]))], _("See your plan"))


def _overdue_subject(p: dict, reader: Reader) -> str:
    return _("Did it happen? %(title)s, %(day)s", title=p["title"], day=reader.day(p["day"]))


def _overdue_body(p: dict, reader: Reader):
    return ([_("“%(title)s” was planned for %(day)s. Did it happen? Record it in one "
               "step: done, or missed.", title=p["title"], day=reader.day(p["day"]))],
            _("Record what happened"))


def _stale_subject(p: dict, reader: Reader) -> str:
    return _("No progress note for %(days)d days: %(title)s", days=p["days"], title=p["title"])


def _stale_body(p: dict, reader: Reader):
    return ([_("Add a short progress note to “%(title)s”, or pause the goal if it is on "
               "hold.", title=p["title"])], _("Open the goal"))


def _no_goal_subject(p: dict, reader: Reader) -> str:
    return _("What would you like to learn?")


def _no_goal_body(p: dict, reader: Reader):
    return ([_("You have no active learning goal. Choose something you want to learn — "
               "from the catalogue or beyond it.")], _("Write a goal"))


def _summary_subject(p: dict, reader: Reader) -> str:
    return _("Monthly learning summary")


def _summary_body(p: dict, reader: Reader):
    return _summary_lines(), _("Open Insights")


def _upcoming_sms(p: dict, reader: Reader) -> str:
    return _("Tomorrow %(day)s: %(title)s.", day=reader.short_day(p["day"]),
             title=short(p["title"]))


def _overdue_sms(p: dict, reader: Reader) -> str:
    return _("Did it happen? %(title)s, %(day)s.", title=short(p["title"]),
             day=reader.short_day(p["day"]))


def _stale_sms(p: dict, reader: Reader) -> str:
    return _("No progress note for %(days)d days: %(title)s.", days=p["days"],
             title=short(p["title"]))


def _no_goal_sms(p: dict, reader: Reader) -> str:
    return _("You have no learning goal. What would you like to learn?")


def _summary_sms(p: dict, reader: Reader) -> str:
    return _("The monthly learning summary is ready.")


def record_reply(person: User, ref: str, outcome: str) -> bool:
    """Record a "did it happen?" reply as the page's button does; False if already settled."""
    from pdplanner.learning import plans

    ids = ref_ids({ref}, "occurrence")
    occurrence = db.session.get(Occurrence, ids.pop()) if ids else None
    if occurrence is None or occurrence.status != OccurrenceStatus.PLANNED:
        return False
    plans.resolve(person, occurrence, OccurrenceStatus(outcome))
    return True


KINDS = (
    Kind("activity_upcoming", _upcoming_subject, _upcoming_body, activity_upcoming,
         _l("An activity is coming up (the day before, 08:00)"), occurrences_settled,
         sms=_upcoming_sms),
    Kind("activity_overdue", _overdue_subject, _overdue_body, activity_overdue,
         _l("An activity's date has passed: did it happen?"), occurrences_settled,
         sms=_overdue_sms, reply=record_reply),
    Kind("goal_stale", _stale_subject, _stale_body, goal_stale,
         _l("A goal has had no progress note for 30 days"), catch_up=WEEKLY_CATCH_UP,
         sms=_stale_sms),
    Kind("no_goal", _no_goal_subject, _no_goal_body, no_goal,
         _l("Monthly: you have no active goal"),
         catch_up=MONTHLY_CATCH_UP, sms=_no_goal_sms),
    Kind("hr_summary", _summary_subject, _summary_body, hr_summary, _l("Monthly summary for HR"),
         catch_up=MONTHLY_CATCH_UP, sms=_summary_sms),
)


def calendar_events(user: User, since: datetime, base: str) -> list[CalendarEvent]:
    """The person's planned and done activities since `since`, for their calendar feed."""
    occurrences = db.session.scalars(
        select(Occurrence).join(Activity).join(Goal).where(
            Goal.owner_id == user.id, Goal.deleted_at.is_(None), Activity.deleted_at.is_(None),
            Occurrence.status.in_((OccurrenceStatus.PLANNED, OccurrenceStatus.DONE)),
            Occurrence.planned_on >= since.date()))
    zone = timezone_of(user)
    events = []
    for o in occurrences:
        activity = o.activity
        start = (local_at(o.planned_on, activity.start_time, zone) if activity.start_time
                 else o.planned_on)
        events.append(CalendarEvent(uid=f"occurrence-{o.id}@pdplanner", summary=activity.title,
                                    start=start, minutes=activity.duration_minutes,
                                    description=activity.goal.title,
                                    url=f"{base}/goals/{activity.goal_id}#plan"))
    return events
