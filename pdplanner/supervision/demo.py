"""Seed the demo's supervision: a schedule per pair, sessions held, missed, coming, open."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation
from pdplanner.extensions import db
from pdplanner.supervision.cadence import local_to_utc, top_up
from pdplanner.supervision.models import (
    AgendaItem,
    AgreedAction,
    PrivateNote,
    Schedule,
    Session,
    SessionStatus,
)
from pdplanner.types import today_in

CADENCES = ("monthly", "fortnightly", "four_weekly", "weekly")


def seed_supervision() -> None:
    """Give every supervisor-report pair a schedule and a past; skip pairs already seeded."""
    zone = organisation().timezone
    today = today_in(zone)
    people = db.session.scalars(select(User).where(User.supervisor_id.is_not(None),
                                                   User.active.is_(True)).order_by(User.id))
    for n, report in enumerate(people):
        boss = report.supervisor
        if db.session.scalar(select(Schedule).where(Schedule.report_id == report.id,
                                                    Schedule.supervisor_id == boss.id)):
            continue
        cadence = CADENCES[n % len(CADENCES)]
        schedule = Schedule(supervisor_id=boss.id, report_id=report.id, cadence=cadence,
                            starts_on=today + timedelta(days=3 + n % 9), at=time(9 + n % 7),
                            timezone=zone, duration_minutes=60)
        db.session.add(schedule)
        db.session.flush()
        top_up(schedule, today)
        # The past: every pattern a real team has — held, missed, left to resolve.
        story = ["held", "held", "missed", "open"][: 1 + n % 4]
        for weeks_ago, status in zip((9, 5, 3, 1), story, strict=False):
            day = today - timedelta(weeks=weeks_ago)
            session = Session(supervisor_id=boss.id, report_id=report.id,
                              starts_at=local_to_utc(day, time(10), zone),
                              status=SessionStatus.PLANNED if status == "open" else status)
            if status == SessionStatus.HELD:
                session.held_on = day
                session.shared_notes = "Good progress on the plan; next step agreed."
                session.actions = [AgreedAction(text="Share the QI checklist with the team",
                                                owner="supervisor", due_on=day)]
            if status == SessionStatus.MISSED:
                session.missed_reason = "Field visit moved at short notice."
            db.session.add(session)
            if status == SessionStatus.HELD:
                db.session.flush()
                db.session.add(PrivateNote(session_id=session.id, author_id=boss.id,
                                           text="Check workload before next visit."))
                db.session.add(AgendaItem(session_id=session.id, author_id=report.id,
                                          text="Time for the online course", covered=True))
    db.session.flush()
