"""Supervision's reminders: a session coming up or left open, and the supervisors' digest."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.learning.models import OccurrenceStatus
from pdplanner.reminders.ical import CalendarEvent
from pdplanner.reminders.kinds import (
    MORNING,
    WEEKLY_CATCH_UP,
    Due,
    Kind,
    Reader,
    local_at,
    local_today,
    settled_among,
    short,
    zones,
)
from pdplanner.supervision.models import Session, SessionStatus
from pdplanner.supervision.my_team import team
from pdplanner.supervision.queries import agenda
from pdplanner.types import today_in


def _planned_sessions(start, end):
    return db.session.execute(select(Session.id, Session.starts_at, Session.supervisor_id,
                                     Session.report_id)
                              .where(Session.status == SessionStatus.PLANNED,
                                     Session.deleted_at.is_(None),
                                     Session.starts_at.between(start, end)))


def session_upcoming(now: datetime, since: datetime):
    """24 hours before a session, to both people, while it has not begun."""
    by_user = zones()
    for session_id, starts_at, supervisor_id, report_id in _planned_sessions(
            now, now + timedelta(days=2)):  # not a session that has already begun
        for user_id, other_id in ((supervisor_id, report_id), (report_id, supervisor_id)):
            if user_id in by_user:
                yield Due("session_upcoming", user_id, f"session:{session_id}",
                          starts_at - timedelta(hours=24), f"/sessions/{session_id}",
                          {"starts_at": starts_at.isoformat(), "with_id": other_id,
                           "session_id": session_id})


def session_unresolved(now: datetime, since: datetime):
    """A day after a session left open, to its supervisor."""
    by_user = zones()
    for session_id, starts_at, supervisor_id, report_id in _planned_sessions(
            since - timedelta(days=1), now):
        if supervisor_id in by_user:
            yield Due("session_unresolved", supervisor_id, f"session:{session_id}",
                      starts_at + timedelta(hours=24), f"/sessions/{session_id}",
                      {"starts_at": starts_at.isoformat(), "with_id": report_id})


def sessions_settled(refs: set[str]) -> set[str]:
    """Sessions among these that are no longer planned (held, missed, moved, cancelled)."""
    return settled_among(refs, "session", Session.id, Session.status == SessionStatus.PLANNED)


def supervisor_digest(now: datetime, since: datetime):
    """On Monday morning (the supervisor's own week), to everyone with active reports."""
    by_user = zones()
    today = local_today(now, by_user)
    bosses = select(User.supervisor_id).where(User.active.is_(True),
                                              User.supervisor_id.is_not(None))
    for user_id in db.session.scalars(select(User.id).where(User.id.in_(bosses),
                                                            User.active.is_(True))):
        day = today[by_user[user_id]]
        monday = day - timedelta(days=day.weekday())
        yield Due("supervisor_digest", user_id, f"week:{monday:%G-W%V}",
                  local_at(monday, MORNING, by_user[user_id]), "/team", {})


def _session_lines(p: dict) -> list[str]:
    """Summarise the session's agenda."""
    session = db.session.get(Session, p.get("session_id"))
    if session is None:
        return []
    built = agenda(session)
    lines = [_("On the agenda: %(goals)d goal(s), %(done)d activity(ies) done and %(missed)d "
               "missed since last time, %(points)d point(s) to discuss.",
               goals=len(built.goals),
               done=sum(o.status == OccurrenceStatus.DONE for o in built.outcomes),
               missed=sum(o.status == OccurrenceStatus.MISSED for o in built.outcomes),
               points=len(session.items))]
    return lines + [f"• {goal.title}" for goal in built.goals[:5]]


def _direct_rows(supervisor: User, today) -> list:
    """Every direct report's My team row (they come first, page after page)."""
    rows, number = [], 1
    while True:
        found, page = team(supervisor, today, number, current_app.config["TEAM_PER_PAGE"])
        rows += [row for row in found if row.direct]
        if not page.has_next or not all(row.direct for row in found):
            return rows
        number += 1


def _digest_lines(reader: Reader) -> list[str]:
    """This week's sessions and the reports needing attention."""
    rows = _direct_rows(reader.user, today_in(reader.zone))
    return [_("Reports with dates or sessions to resolve: %(n)d",
              n=sum(1 for r in rows if r.to_resolve)),
            _("Reports without an active goal: %(n)d",
              n=sum(1 for r in rows if "no_goal" in r.flags)),
            _("Reports without a session in 60 days: %(n)d",
              n=sum(1 for r in rows if "no_session" in r.flags))]


def _upcoming_subject(p: dict, reader: Reader) -> str:
    return _("Supervision session with %(name)s: %(when)s", name=reader.name(p["with_id"]),
             when=reader.when(p["starts_at"]))


def _upcoming_body(p: dict, reader: Reader):
    return _session_lines(p), _("Open the agenda")


def _unresolved_subject(p: dict, reader: Reader) -> str:
    return _("Was your session with %(name)s held?", name=reader.name(p["with_id"]))


def _unresolved_body(p: dict, reader: Reader):
    return ([_("The session planned for %(when)s is still open. Record whether it was held "
               "or missed.", when=reader.when(p["starts_at"]))], _("Open the session"))


def _digest_subject(p: dict, reader: Reader) -> str:
    return _("Your week: supervision and learning in your team")


def _digest_body(p: dict, reader: Reader):
    return _digest_lines(reader), _("Open My team")


def _upcoming_sms(p: dict, reader: Reader) -> str:
    return _("Supervision with %(name)s: %(when)s.", name=short(reader.name(p["with_id"]), 30),
             when=reader.short_when(p["starts_at"]))


def _unresolved_sms(p: dict, reader: Reader) -> str:
    return _("Was your session with %(name)s held? Record it.",
             name=short(reader.name(p["with_id"]), 30))


def _digest_sms(p: dict, reader: Reader) -> str:
    return _("Your weekly team digest is ready.")


KINDS = (
    Kind("session_upcoming", _upcoming_subject, _upcoming_body, session_upcoming,
         _l("A supervision session is coming up (the day before)"), sessions_settled,
         sms=_upcoming_sms),
    Kind("session_unresolved", _unresolved_subject, _unresolved_body, session_unresolved,
         _l("A past supervision session is still open"), sessions_settled,
         sms=_unresolved_sms),
    Kind("supervisor_digest", _digest_subject, _digest_body, supervisor_digest,
         _l("Weekly digest for supervisors (Monday)"), catch_up=WEEKLY_CATCH_UP,
         sms=_digest_sms),
)


def calendar_events(user: User, since: datetime, base: str) -> list[CalendarEvent]:
    """The person's sessions, as supervisor or report, since `since`, for their calendar."""
    sessions = db.session.scalars(select(Session).where(
        Session.deleted_at.is_(None), Session.status.in_((SessionStatus.PLANNED,
                                                          SessionStatus.HELD)),
        Session.starts_at >= since,
        or_(Session.report_id == user.id, Session.supervisor_id == user.id)))
    events = []
    for s in sessions:
        other = s.report if s.supervisor_id == user.id else s.supervisor
        events.append(CalendarEvent(uid=f"session-{s.id}@pdplanner",
                                    summary=f"Supervision: {other.name}", start=s.starts_at,
                                    minutes=s.duration_minutes,
                                    url=f"{base}/sessions/{s.id}"))
    return events
