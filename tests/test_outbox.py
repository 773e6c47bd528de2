"""The outbox under concurrency, the mail queued by a request, calendars, notifications."""

import os
import socket
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select, text

from pdplanner import create_app
from pdplanner.accounts.models import Organisation, User
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Goal, Occurrence
from pdplanner.reminders.models import Notification, OutboxMessage
from pdplanner.security import hash_password
from tests.conftest import PASSWORD, Client


@pytest.fixture
def shared_app(tmp_path):
    """An app on a database real connections share: a SQLite file, or TEST_DATABASE_URL."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'outbox.db'}"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.create_all()
        db.session.add(Organisation(name="Org", timezone="UTC"))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _people_with_due_reminders(app, count: int, day: date) -> None:
    with app.app_context():
        for n in range(count):
            user = User(email=f"p{n}@example.org", name=f"P{n}")
            goal = Goal(owner=user, title="Goal", status="active", visibility="shared")
            activity = Activity(goal=goal, kind="reading", title=f"Read {n}", starts_on=day)
            activity.occurrences = [Occurrence(planned_on=day)]
            db.session.add_all([user, goal, activity])
        db.session.commit()


def test_eight_concurrent_sweepers_deliver_each_reminder_once(shared_app, smtp_server_for):
    """Eight sweepers at once (own threads and connections) send every reminder once."""
    inbox = smtp_server_for(shared_app)
    day = date(2027, 3, 10)
    _people_with_due_reminders(shared_app, 40, day)
    when = datetime(2027, 3, 9, 12, tzinfo=UTC)
    from pdplanner.reminders.services import sweep

    errors, barrier = [], threading.Barrier(8)

    def sweeper():
        try:
            with shared_app.app_context():
                barrier.wait()
                sweep(when)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=sweeper) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    ids = [m["Message-ID"] for m in inbox.messages]
    with shared_app.app_context():
        queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        sent = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == "sent"))
    assert len(ids) == len(set(ids)) == queued == sent
    assert sum("Read " in m["Subject"] for m in inbox.messages) == 40


def _mail_server_that_waits_for(event: threading.Event, seen: dict) -> socket.socket:
    """Listen for one SMTP connection and greet it (a refusal, 421) only once `event` is set,
    or after 30 s; record in `seen` whether the event came first."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve():
        connection, _ = server.accept()
        with connection:
            seen["event_first"] = event.wait(30)
            connection.sendall(b"421 busy, try later\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    seen["thread"] = thread
    return server


def test_request_queuing_mail_returns_before_the_mail_server_answers(shared_app):
    """A password reset answers while the mail server has not yet said a word: the server
    greets the sender only once the request has returned (a request that waited for it would
    return after the server's 30 s, and the order would show it), however slow the machine."""
    returned, seen = threading.Event(), {}
    server = _mail_server_that_waits_for(returned, seen)
    shared_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.getsockname()[1],
                             MAIL_SEND_INLINE=False, MAIL_TIMEOUT=60)
    with shared_app.app_context():
        db.session.add(User(email="who@example.org", name="Who",
                            password_hash=hash_password(PASSWORD)))
        db.session.commit()
    shared_app.test_client_class = Client
    client = shared_app.test_client()
    token = client.csrf_token()
    response = client.post("/auth/forgot", data={"email": "who@example.org",
                                                  "csrf_token": token})
    returned.set()
    assert response.status_code == 302
    seen["thread"].join(60)
    assert seen["event_first"] is True
    with shared_app.app_context():
        assert db.session.scalar(select(OutboxMessage.kind)) == "password_reset"
    # Let the sender thread take the refusal before the database goes away: join it rather
    # than sleep, so a slow machine cannot leave it writing into a dropped table.
    for thread in threading.enumerate():
        if thread.name == "pdplanner-mail":
            thread.join(60)
            assert not thread.is_alive()
    server.close()


def test_calendar_feed_parses_and_revoked_url_is_404(app, client, make_user):
    """The feed is valid iCalendar with time zones; a revoked address answers 404."""
    from pdplanner.supervision.models import Session

    boss = make_user("boss@example.org", "Boss", timezone="Europe/Paris")
    person = make_user("me@example.org", "Me", supervisor_id=boss.id)
    with app.app_context():
        goal = Goal(owner_id=person.id, title="Goal", status="active", visibility="shared")
        activity = Activity(goal=goal, kind="reading", title="Read the guide",
                            starts_on=date.today() + timedelta(days=3))
        activity.occurrences = [Occurrence(planned_on=activity.starts_on)]
        db.session.add_all([goal, activity, Session(
            supervisor_id=boss.id, report_id=person.id,
            starts_at=datetime.now(UTC) + timedelta(days=2))])
        db.session.commit()
    client.login(boss.email)
    client.post_form("/profile/calendar", {"action": "new"})
    html = client.get("/profile/reminders").get_data(as_text=True)
    url = html.split('id="feed-url" value="')[1].split('"')[0]
    path = url.replace("http://localhost", "")
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = Calendar.from_ical(feed.data)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert "Supervision: Me" in summaries  # a supervisor's feed has their reports' sessions
    assert calendar.walk("VTIMEZONE")
    client.post_form("/profile/calendar", {"action": "revoke"})
    assert client.get(path).status_code == 404


def test_notifications_page_and_unread_count(app, client, employee):
    """Notices show in the reader's language with an unread count; opening marks them read."""
    with app.app_context():
        db.session.add(Notification(dedupe_key="n1", user_id=employee.id, kind="no_goal",
                                    link="/goals/new"))
        db.session.commit()
        notice_id = db.session.scalar(select(Notification.id))
    client.login(employee.email)
    html = client.get("/").get_data(as_text=True)
    assert "1<span class=\"sr-only\"> unread</span>" in html
    assert "What would you like to learn?" in client.get("/notifications").get_data(
        as_text=True)
    response = client.post_form(f"/notifications/{notice_id}/open")
    assert response.headers["Location"] == "/goals/new"
    with app.app_context():
        assert db.session.get(Notification, notice_id).read_at is not None


def test_scheduler_registers_each_job_once(app):
    """The scheduler holds the sweep and the top-up, once each, coalesced, one at a time."""
    from pdplanner.scheduler import JOBS, build

    scheduler = build(app, blocking=False)
    scheduler.start(paused=True)  # job defaults apply once the scheduler runs
    try:
        jobs = scheduler.get_jobs()
        assert sorted(j.id for j in jobs) == sorted(job_id for job_id, _, _ in JOBS)
        assert all(j.coalesce and j.max_instances == 1 and j.misfire_grace_time is None
                   for j in jobs)
    finally:
        scheduler.shutdown(wait=False)


def test_sqlite_claim_statement_is_single_and_atomic(shared_app):
    """The claim is one UPDATE … RETURNING (no read-then-write race on SQLite)."""
    from pdplanner.reminders.delivery import claim

    with shared_app.app_context():
        db.session.add(OutboxMessage(dedupe_key="x", kind="no_goal", to_address="a@b.c",
                                     message_id="<x@p>"))
        db.session.commit()
        first = claim(datetime.now(UTC) + timedelta(seconds=1), 10)
        second = claim(datetime.now(UTC) + timedelta(seconds=1), 10)
        assert len(first[1]) == 1 and second[1] == []
        assert db.session.execute(text("SELECT lease_token FROM outbox")).scalar() == first[0]
