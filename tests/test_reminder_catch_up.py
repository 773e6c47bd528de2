"""Periodic reminders catch up only so far: no stale digest just before this period's."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from pdplanner.extensions import db
from pdplanner.learning.models import CheckIn
from pdplanner.reminders.models import OutboxMessage
from pdplanner.reminders.services import sweep
from tests.learning_factories import make_goal

SUNDAY = date(2027, 3, 7)
MONDAY = SUNDAY + timedelta(days=1)


def _at(day: date, hour: int, zone: str = "UTC") -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _run(app, when: datetime) -> None:
    """Travel to `when` and run one sweep there (a scheduler's tick)."""
    with time_machine.travel(when, tick=False), app.app_context():
        sweep()


def _keys(app, kind: str) -> list[str]:
    """Return the dedupe keys queued for one kind of reminder."""
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.dedupe_key)
                                       .where(OutboxMessage.kind == kind)
                                       .order_by(OutboxMessage.id)))


def test_new_installation_on_sunday_sends_last_weeks_digest_to_nobody(app, make_user,
                                                                      smtp_server):
    """Started on a Sunday: no digest for the week ending; Monday's goes once, on Monday."""
    boss = make_user("boss@example.org", "Binta Boss")
    make_user("rep@example.org", "Rokia Rep", supervisor_id=boss.id)
    _run(app, _at(SUNDAY, 12))
    assert _keys(app, "supervisor_digest") == []
    _run(app, _at(MONDAY, 9))
    _run(app, _at(MONDAY + timedelta(days=1), 9))
    assert _keys(app, "supervisor_digest") == [
        f"supervisor_digest:week:2027-W10:u{boss.id}:20270308T0800:email"]
    with app.app_context():
        (message_id,) = db.session.scalars(select(OutboxMessage.message_id).where(
            OutboxMessage.kind == "supervisor_digest"))
    assert [m["To"] for m in smtp_server.messages if m["Message-ID"] == message_id] == [
        "boss@example.org"]


def test_digest_missed_by_more_than_two_days_is_dropped(app, make_user, smtp_server):
    """Back on Thursday after downtime: that week's Monday digest is not sent late."""
    boss = make_user("boss@example.org", "Binta Boss")
    make_user("rep@example.org", "Rokia Rep", supervisor_id=boss.id)
    _run(app, _at(MONDAY + timedelta(days=3), 9))
    assert _keys(app, "supervisor_digest") == []


def test_digest_follows_the_supervisors_own_week(app, make_user, smtp_server):
    """In Auckland, Monday 08:00 comes on Sunday in UTC: that week's digest goes then."""
    boss = make_user("boss@example.org", "Binta Boss", timezone="Pacific/Auckland")
    make_user("rep@example.org", "Rokia Rep", supervisor_id=boss.id)
    _run(app, _at(MONDAY, 9, "Pacific/Auckland"))  # Sunday 20:00 UTC
    assert _keys(app, "supervisor_digest") == [
        f"supervisor_digest:week:2027-W10:u{boss.id}:20270307T1900:email"]


def test_hr_summary_more_than_a_week_late_is_not_sent(app, make_user, smtp_server):
    """A new installation on the 10th does not send HR the summary due on the 1st."""
    make_user("hr@example.org", "Hawa HR", is_hr=True)
    _run(app, _at(date(2027, 4, 10), 9))
    assert _keys(app, "hr_summary") == []


def test_no_goal_reminder_more_than_a_week_late_is_not_sent(app, make_user, smtp_server):
    """A new installation on the 10th does not tell people the 1st's "no goal" news."""
    make_user("nogoal@example.org", "No Goal")
    _run(app, _at(date(2027, 3, 10), 9))
    assert _keys(app, "no_goal") == []


def test_stale_goal_reminder_is_not_caught_up_a_day_before_the_next(app, make_user,
                                                                    smtp_server):
    """With a weekly stale-goal rhythm, a new installation sends one reminder, not two."""
    app.config["REMINDER_STALE_DAYS"] = 7
    person = make_user("quiet@example.org", "Quiet Person", timezone="UTC")
    goal_id = make_goal(app, person.id, title="Quiet goal")
    with app.app_context():
        db.session.add(CheckIn(goal_id=goal_id, on=date(2027, 3, 1), progress=10))
        db.session.commit()
    _run(app, _at(date(2027, 3, 14), 12))  # the 8th's reminder is six days late
    _run(app, _at(date(2027, 3, 15), 12))
    assert len(_keys(app, "goal_stale")) == 1
