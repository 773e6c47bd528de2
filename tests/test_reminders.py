"""Reminders: due at the right local time, in the right language, delivered exactly once."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.learning.models import Occurrence
from pdplanner.reminders import delivery
from pdplanner.reminders.models import Notification, OutboxMessage, ReminderPreference
from pdplanner.reminders.services import sweep
from tests.learning_factories import make_goal

DAY = date(2027, 3, 10)  # a Wednesday


def _plan_on(app, owner_id: int, day: date, title="Peer session") -> int:
    """Create an activity with one planned occurrence on `day`; return the occurrence id."""
    from pdplanner.learning.models import Activity

    goal_id = make_goal(app, owner_id)
    with app.app_context():
        activity = Activity(goal_id=goal_id, kind="peer_learning", title=title, starts_on=day)
        activity.occurrences = [Occurrence(planned_on=day)]
        db.session.add(activity)
        db.session.commit()
        return activity.occurrences[0].id


def _at(day: date, hour: int, minute: int = 0, zone: str = "UTC") -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _run(app, when: datetime) -> dict:
    """Travel to `when` and run one sweep there."""
    with time_machine.travel(when, tick=False), app.app_context():
        return sweep()


def _outbox(app, **filters) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).filter_by(**filters)
                                       .order_by(OutboxMessage.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def person(make_user):
    """A French speaker in Paris (a time zone with daylight saving)."""
    return make_user("ami@example.org", "Ami Traoré", language="fr", timezone="Europe/Paris")


def test_upcoming_activity_fires_the_day_before_at_8_local_in_french(app, person, smtp_server):
    """Nothing at 07:59 Paris time the day before; one French mail at 08:00."""
    _plan_on(app, person.id, DAY, title="Séance entre pairs")
    _run(app, _at(DAY - timedelta(days=1), 7, 59, "Europe/Paris"))
    upcoming = [m for m in smtp_server.messages if "Séance entre pairs" in m["Subject"]]
    assert upcoming == []
    _run(app, _at(DAY - timedelta(days=1), 8, 0, "Europe/Paris"))
    (mail,) = [m for m in smtp_server.messages if "Séance entre pairs" in m["Subject"]]
    assert mail["Subject"] == "Demain, mercredi 10 mars : Séance entre pairs"  # the day said
    assert "Bonjour Ami Traoré" in mail.get_body(("plain",)).get_content()
    assert mail.get_body(("html",)) is not None and mail["Message-ID"]


def test_a_date_planned_in_the_past_or_for_today_is_never_announced_as_tomorrow(
        app, person, smtp_server):
    """Planning after the day-before reminder fell due: no "Tomorrow" (the look-back skips it)."""
    today = _plan_on(app, person.id, DAY, title="Planned this morning")
    past = _plan_on(app, person.id, DAY - timedelta(days=3), title="Planned afterwards")
    _run(app, _at(DAY, 9, 0, "Europe/Paris"))
    with app.app_context():
        kinds = {(row.subject_ref, row.kind) for row in db.session.scalars(
            select(OutboxMessage))}
    assert (f"occurrence:{today}", "activity_upcoming") not in kinds
    assert (f"occurrence:{past}", "activity_upcoming") not in kinds
    assert (f"occurrence:{past}", "activity_overdue") in kinds  # did it happen? still asked


def test_a_session_that_has_begun_gets_no_coming_up_reminder(app, make_user, smtp_server):
    """A session recorded after its start is not announced as coming up (look-back or not)."""
    from pdplanner.supervision.models import Session

    boss = make_user("boss@example.org", "Boss")
    report = make_user("report@example.org", "Report", supervisor_id=boss.id)
    with app.app_context():
        db.session.add_all([
            Session(supervisor_id=boss.id, report_id=report.id, status="planned",
                    starts_at=_at(DAY, 8)),
            Session(supervisor_id=boss.id, report_id=report.id, status="planned",
                    starts_at=_at(DAY + timedelta(days=1), 8))])
        db.session.commit()
    _run(app, _at(DAY, 9))
    with app.app_context():
        upcoming = list(db.session.scalars(select(OutboxMessage.params).filter_by(
            kind="session_upcoming")))
    assert len(upcoming) == 2  # the second session only, to both people
    assert all((DAY + timedelta(days=1)).isoformat() in params for params in upcoming)


def test_overdue_asks_did_it_happen_once(app, person, smtp_server):
    """The morning after an open date, one "did it happen?" mail linking to the date."""
    occurrence_id = _plan_on(app, person.id, DAY)
    _run(app, _at(DAY + timedelta(days=1), 9))
    _run(app, _at(DAY + timedelta(days=1), 10))
    overdue = _outbox(app, kind="activity_overdue")
    assert len(overdue) == 1 and overdue[0].status == "sent"
    mail = next(m for m in smtp_server.messages if m["Message-ID"] == overdue[0].message_id)
    assert f"/occurrences/{occurrence_id}" in mail.get_body(("plain",)).get_content()


def test_same_sweep_twice_sends_one_mail(app, person, smtp_server):
    """Running the sweep again at the same moment sends nothing more."""
    _plan_on(app, person.id, DAY)
    when = _at(DAY - timedelta(days=1), 12)
    _run(app, when)
    count = len(smtp_server.messages)
    assert _run(app, when)["sent"] == 0
    assert len(smtp_server.messages) == count >= 1


def test_notification_is_written_with_the_mail_even_when_smtp_is_down(app, person):
    """SMTP unreachable: the mail waits to be retried, the in-app notice is there at once."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    _plan_on(app, person.id, DAY)
    result = _run(app, _at(DAY - timedelta(days=1), 12))
    assert result["retry"] >= 1
    (mail,) = _outbox(app, kind="activity_upcoming")
    assert mail.status == "pending" and mail.attempts == 1 and "Connection" in mail.last_error
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification).filter_by(
            user_id=person.id, kind="activity_upcoming")) == 1


def test_temporary_error_is_retried_with_backoff_then_sent(app, person, smtp_server):
    """451 leaves the mail pending for later; the next try after the backoff sends it."""
    _plan_on(app, person.id, DAY)
    smtp_server.replies = ["451 4.3.0 Try again later"] * 10
    when = _at(DAY - timedelta(days=1), 8, 30)
    with time_machine.travel(when, tick=False), app.app_context():
        from pdplanner.reminders.planner import plan

        plan(when)
        delivery.deliver(when)
    (mail,) = _outbox(app, kind="activity_upcoming")
    assert mail.status == "pending" and mail.next_attempt_at > when and "451" in mail.last_error
    smtp_server.replies = []
    with time_machine.travel(when + timedelta(minutes=1, seconds=1), tick=False), \
            app.app_context():
        delivery.deliver()
    assert _outbox(app, kind="activity_upcoming")[0].status == "sent"


def test_permanent_error_is_dead_and_not_retried(app, person, smtp_server):
    """550 marks the mail dead; later sweeps leave it alone; the admin sees the error."""
    _plan_on(app, person.id, DAY)
    smtp_server.replies = ["550 5.1.1 No such user"] * 10
    _run(app, _at(DAY - timedelta(days=1), 9))
    _run(app, _at(DAY - timedelta(days=1), 11))
    (mail,) = _outbox(app, kind="activity_upcoming")
    assert mail.status == "dead" and mail.attempts == 1 and "550" in mail.last_error


def test_retry_limit_makes_it_dead(app, person, smtp_server):
    """After the last allowed attempt a temporary error also ends as dead."""
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    _plan_on(app, person.id, DAY)
    smtp_server.replies = ["451 busy"] * 10
    start = _at(DAY - timedelta(days=1), 8, 30)
    _run(app, start)
    _run(app, start + timedelta(hours=1))
    (mail,) = _outbox(app, kind="activity_upcoming")
    assert mail.status == "dead" and mail.attempts == 2


def test_dead_worker_lease_is_taken_over_and_late_ack_refused(app, person, smtp_server):
    """A claimer that dies is replaced after its lease; its late acknowledgement is refused."""
    _plan_on(app, person.id, DAY)
    when = _at(DAY - timedelta(days=1), 9)
    with time_machine.travel(when, tick=False), app.app_context():
        from pdplanner.reminders.planner import plan

        plan(when)
        ghost_token, ghost_ids = delivery.claim(when, 10)
        assert ghost_ids
        assert delivery.deliver(when)["sent"] == 0  # the lease still holds
    later = when + timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1)
    with time_machine.travel(later, tick=False), app.app_context():
        assert delivery.deliver(later)["sent"] == len(ghost_ids)
        assert delivery.acknowledge(ghost_ids[0], ghost_token, status="sent") is False
    assert len([m for m in smtp_server.messages]) == len(ghost_ids)


def test_weekend_of_downtime_sends_each_missed_reminder_once(app, person, smtp_server):
    """Back on Monday: each missed reminder still useful goes once; resolved ones are skipped."""
    friday = date(2027, 3, 12)
    kept = _plan_on(app, person.id, friday + timedelta(days=1), title="Saturday reading")
    resolved = _plan_on(app, person.id, friday + timedelta(days=2), title="Sunday visit")
    _run(app, _at(friday, 6))
    with app.app_context():
        occurrence = db.session.get(Occurrence, resolved)
        occurrence.status = "cancelled"
        db.session.commit()
    monday = friday + timedelta(days=3)
    _run(app, _at(monday, 9))
    _run(app, _at(monday, 9, 5))
    subjects = [m["Subject"] for m in smtp_server.messages]
    # Saturday has passed: no "Tomorrow" about it on Monday, only "did it happen?", once.
    saturday = [s for s in subjects if "Saturday reading" in s]
    assert saturday == ["Cela a-t-il eu lieu ? Saturday reading, samedi 13 mars"]  # French
    assert not any("Sunday visit" in s for s in subjects)
    assert kept


def test_daylight_saving_change_doubles_and_skips_nothing(app, person, smtp_server):
    """Sweeping every hour across the Paris spring change sends each reminder exactly once."""
    days = [date(2027, 3, 27), date(2027, 3, 28), date(2027, 3, 29)]
    for day in days:
        _plan_on(app, person.id, day, title=f"Daily {day.isoformat()}")
    start = _at(date(2027, 3, 25), 0)
    for hour in range(0, 24 * 6, 3):
        _run(app, start + timedelta(hours=hour))
    upcoming = _outbox(app, kind="activity_upcoming")
    assert len(upcoming) == 3 and all(m.status == "sent" for m in upcoming)
    sent_at_local = {m.dedupe_key.split(":")[-2][-4:] for m in upcoming}
    assert sent_at_local == {"0700", "0600"}  # 08:00 Paris in winter (UTC+1) and summer (+2)


def test_preference_off_or_deactivated_sends_nothing(app, make_user, smtp_server):
    """A kind turned off, or a deactivated person, gets no reminder."""
    quiet = make_user("quiet@example.org", "Quiet")
    gone = make_user("gone@example.org", "Gone")
    _plan_on(app, quiet.id, DAY)
    _plan_on(app, gone.id, DAY)
    with app.app_context():
        db.session.add(ReminderPreference(user_id=quiet.id, kind="activity_upcoming",
                                          enabled=False))
        db.session.get(User, gone.id).active = False
        db.session.commit()
    _run(app, _at(DAY - timedelta(days=1), 9))
    recipients = {m.to_address for m in _outbox(app, kind="activity_upcoming")}
    assert recipients == set()


def test_session_reminder_goes_to_both_with_the_agenda(app, make_user, smtp_server):
    """The day before a session, both people get a reminder summarising the agenda."""
    from pdplanner.supervision.models import Session

    boss = make_user("boss@example.org", "Binta Boss")
    report = make_user("rep@example.org", "Rokia Rep", supervisor_id=boss.id)
    make_goal(app, report.id, title="Agenda goal")
    starts = _at(DAY, 10)
    with app.app_context():
        db.session.add(Session(supervisor_id=boss.id, report_id=report.id, starts_at=starts))
        db.session.commit()
    _run(app, starts - timedelta(hours=23))
    mails = [m for m in smtp_server.messages if "Supervision" in m["Subject"]]
    assert {m["To"] for m in mails} == {"boss@example.org", "rep@example.org"}
    assert all("Agenda goal" in m.get_body(("plain",)).get_content() for m in mails)


def test_no_goal_monthly_and_unresolved_session(app, make_user, smtp_server):
    """People without a goal hear on the 1st; a supervisor hears of a session left open."""
    from pdplanner.supervision.models import Session

    boss = make_user("boss@example.org", "Binta Boss")
    report = make_user("rep@example.org", "Rokia Rep", supervisor_id=boss.id)
    with app.app_context():
        db.session.add(Session(supervisor_id=boss.id, report_id=report.id,
                               starts_at=_at(date(2027, 2, 27), 10)))
        db.session.commit()
    _run(app, _at(date(2027, 3, 1), 9))
    kinds = {(m.kind, m.to_address) for m in _outbox(app)}
    assert ("no_goal", "rep@example.org") in kinds
    assert ("session_unresolved", "boss@example.org") in kinds
    assert ("supervisor_digest", "boss@example.org") in kinds


def test_no_smtp_configured_keeps_mail_in_the_outbox(app, person):
    """Without MAIL_SERVER (the demo) mail waits in the outbox, shown to the admin."""
    _plan_on(app, person.id, DAY)
    assert _run(app, _at(DAY - timedelta(days=1), 9))["sent"] == 0
    assert {m.status for m in _outbox(app)} == {"pending"}


def test_admin_sees_dead_mail_and_requeues_it(app, make_client, person, admin, smtp_server):
    """The outbox page lists dead messages with their error; "Try again" requeues."""
    _plan_on(app, person.id, DAY)
    smtp_server.replies = ["550 5.1.1 No such user"]
    _run(app, _at(DAY - timedelta(days=1), 9))
    (mail,) = _outbox(app, kind="activity_upcoming")
    client = make_client()
    client.login(admin.email)
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert "550" in html and "dead" in html
    client.post_form(f"/admin/outbox/{mail.id}/requeue")
    assert _outbox(app, id=mail.id)[0].status == "pending"
    assert client.get(f"/admin/outbox/{mail.id}").status_code == 200


def test_goal_without_progress_for_30_days_is_reminded_once(app, person, smtp_server):
    """A goal whose last check-in is 30 days old gets one reminder, not one per sweep."""
    from pdplanner.learning.models import CheckIn

    goal_id = make_goal(app, person.id, title="Quiet goal")
    with app.app_context():
        db.session.add(CheckIn(goal_id=goal_id, on=DAY - timedelta(days=30), progress=10))
        db.session.commit()
    _run(app, _at(DAY, 6, 0, "Europe/Paris"))
    assert _outbox(app, kind="goal_stale") == []
    _run(app, _at(DAY, 9, 0, "Europe/Paris"))
    _run(app, _at(DAY, 15, 0, "Europe/Paris"))
    (mail,) = _outbox(app, kind="goal_stale")
    assert "Quiet goal" in mail.subject and "30" in mail.subject


def test_hr_gets_a_monthly_summary_of_numbers_only(app, make_user, smtp_server):
    """On the 1st, HR receives figures (no names, no private text)."""
    make_user("hr@example.org", "Hawa HR", is_hr=True)
    _run(app, _at(date(2027, 4, 1), 9))
    (queued,) = _outbox(app, kind="hr_summary")
    (mail,) = [m for m in smtp_server.messages if m["Message-ID"] == queued.message_id]
    assert mail["To"] == "hr@example.org"
    assert "Staff with an active goal" in mail.get_body(("plain",)).get_content()


def test_notices_about_a_settled_date_or_session_read_as_read(app, person, make_user,
                                                               smtp_server):
    """Recording what happened clears "did it happen?"; holding a session clears its notice."""
    from pdplanner.learning.plans import resolve
    from pdplanner.supervision.models import Session
    from pdplanner.supervision.sessions import mark_held

    resolved = _plan_on(app, person.id, DAY, title="Resolved later")
    still_open = _plan_on(app, person.id, DAY, title="Still open")
    boss = make_user("boss@example.org", "Boss", timezone="Europe/Paris")
    with app.app_context():
        db.session.get(User, person.id).supervisor_id = boss.id
        session = Session(supervisor_id=boss.id, report_id=person.id, status="planned",
                          starts_at=_at(DAY, 8))
        db.session.add(session)
        db.session.commit()
        session_id = session.id
    _run(app, _at(DAY + timedelta(days=1), 9, 0, "Europe/Paris"))  # "did it happen?" x2, ...

    def unread() -> set[tuple[int, str]]:
        return {(n.user_id, n.subject_ref) for n in db.session.scalars(
            select(Notification).where(Notification.read_at.is_(None),
                                       Notification.kind != "no_goal"))}

    with app.app_context():
        assert unread() >= {(person.id, f"occurrence:{resolved}"),
                            (person.id, f"occurrence:{still_open}"),
                            (boss.id, f"session:{session_id}")}
        with time_machine.travel(_at(DAY + timedelta(days=1), 10), tick=False):
            resolve(db.session.get(User, person.id), db.session.get(Occurrence, resolved),
                    "done", DAY)
            mark_held(db.session.get(User, boss.id), db.session.get(Session, session_id), DAY)
        left = unread()
    assert (person.id, f"occurrence:{resolved}") not in left
    assert (boss.id, f"session:{session_id}") not in left
    assert (person.id, f"occurrence:{still_open}") in left  # nothing said about it yet


def _queue(app, when: datetime) -> None:
    """Queue what is due at `when` without delivering it (mails stay pending)."""
    from pdplanner.reminders.planner import plan

    with time_machine.travel(when, tick=False), app.app_context():
        plan(when)


def _about(app, ref: str) -> tuple[list, list]:
    """(read_at of each notice, status of each mail) about one subject."""
    with app.app_context():
        return (list(db.session.scalars(select(Notification.read_at).filter_by(subject_ref=ref))),
                list(db.session.scalars(select(OutboxMessage.status).filter_by(
                    subject_ref=ref))))


def test_dropping_a_goal_settles_the_reminders_of_its_open_dates(app, person):
    """A dropped goal's coming date: its notice reads as read, its waiting mail is skipped,
    and the date leaves the plan."""
    from pdplanner.learning.goals import change_status
    from pdplanner.learning.queries import dates_of

    occurrence_id = _plan_on(app, person.id, DAY, title="Dropped reading")
    _queue(app, _at(DAY - timedelta(days=1), 9, 0, "Europe/Paris"))
    ref = f"occurrence:{occurrence_id}"
    assert _about(app, ref) == ([None], ["pending"])
    with time_machine.travel(_at(DAY - timedelta(days=1), 10), tick=False), \
            app.app_context():
        goal = db.session.get(Occurrence, occurrence_id).activity.goal
        change_status(db.session.get(User, person.id), goal, "drop", "No longer needed")
        assert dates_of(db.session.get(User, person.id), DAY, DAY, DAY).between(DAY, DAY) == []
    (read_at,), statuses = _about(app, ref)
    assert read_at is not None and statuses == ["skipped"]


def test_a_new_rhythm_settles_the_reminders_of_the_sessions_it_removes(app, make_user):
    """A session removed by a schedule change takes its notices and waiting mails with it."""
    from pdplanner.supervision.cadence import set_schedule
    from pdplanner.supervision.models import Session

    boss = make_user("boss@example.org", "Boss", timezone="UTC")
    report = make_user("report@example.org", "Report", supervisor_id=boss.id)
    first = DAY
    with time_machine.travel(_at(first - timedelta(days=3), 9), tick=False), \
            app.app_context():
        set_schedule(db.session.get(User, boss.id), db.session.get(User, report.id), "weekly",
                     first, time(10), 60)
        session_id = db.session.scalar(select(Session.id).where(
            Session.starts_at == _at(first, 10)))
    _queue(app, _at(first - timedelta(days=1), 10, 30))  # 24 hours before: "coming up"
    ref = f"session:{session_id}"
    assert _about(app, ref) == ([None, None], ["pending", "pending"])  # to both people
    with time_machine.travel(_at(first - timedelta(days=1), 11), tick=False), \
            app.app_context():
        set_schedule(db.session.get(User, boss.id), db.session.get(User, report.id), "weekly",
                     first + timedelta(days=3), time(10), 60)
        assert db.session.scalar(select(Session.id).where(
            Session.starts_at == _at(first, 10))) is None  # removed (SQLite may reuse its id)
    read, statuses = _about(app, ref)
    assert all(read) and statuses == ["skipped", "skipped"]
