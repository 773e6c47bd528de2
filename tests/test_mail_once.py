"""Each mail once: a killed sender, a slow relay or a sweep run ahead never sends a mail twice."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from pdplanner import create_app
from pdplanner.accounts.models import Organisation, User
from pdplanner.cli import main
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Goal, Occurrence
from pdplanner.reminders import delivery, planner
from pdplanner.reminders.models import OutboxMessage
from pdplanner.types import utcnow
from tests.conftest import free_port

PDPLANNER = Path(sys.executable).with_name("pdplanner")
SENDER = "pdplanner <pd@example.org>"


class Relay:
    """An SMTP server's handler that keeps what it accepts, slowly if asked, and can kill the
    sending process when a given message arrives (after taking it, before answering 250)."""

    def __init__(self, delay: float = 0.0, kill_at: int | None = None):
        self.messages, self.delay, self.kill_at = [], delay, kill_at
        self.victim: subprocess.Popen | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        if len(self.messages) == self.kill_at and self.victim is not None:
            self.victim.send_signal(signal.SIGKILL)
        return "250 Message accepted for delivery"

    def copies(self) -> Counter:
        """Count the messages received per recipient."""
        return Counter(m["To"] for m in self.messages)


@pytest.fixture
def file_app(tmp_path):
    """An app on a database other processes can open: a SQLite file, or TEST_DATABASE_URL."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'mail.db'}"
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


@pytest.fixture
def relay():
    """Start a real SMTP server (aiosmtpd) with a Relay handler for an app; stop it after."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(app, **options) -> Relay:
        handler = Relay(**options)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                                ready_timeout=30)
        controller.start()
        controllers.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                          MAIL_DEFAULT_SENDER=SENDER)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def _people_with_a_reminder_due(app, count: int) -> datetime:
    """Give `count` people an activity the day after tomorrow; return a moment it is due."""
    day = utcnow().date() + timedelta(days=2)
    with app.app_context():
        for n in range(count):
            user = User(email=f"p{n}@example.org", name=f"P{n}")
            goal = Goal(owner=user, title="Goal", status="active", visibility="shared")
            activity = Activity(goal=goal, kind="reading", title=f"Read {n}", starts_on=day)
            activity.occurrences = [Occurrence(planned_on=day)]
            db.session.add_all([user, goal, activity])
        db.session.commit()
    return datetime.combine(day - timedelta(days=1), datetime.min.time(), UTC) + \
        timedelta(hours=12)


def _queue(app, count: int) -> None:
    """Queue `count` already-written mails, due now."""
    with app.app_context():
        db.session.add_all(OutboxMessage(
            dedupe_key=f"test:{n}:email", kind="no_goal", to_address=f"q{n}@example.org",
            subject=f"Mail {n}", text="Hello", html="<p>Hello</p>",
            message_id=planner.message_id(f"test:{n}:email")) for n in range(count))
        db.session.commit()


def _wait_until_leases_expire(app, timeout: float = 30) -> None:
    """Wait (on the real clock) until no claimed message's lease is still running."""
    deadline = time.monotonic() + timeout
    with app.app_context():
        last = db.session.scalar(select(func.max(OutboxMessage.lease_until)).where(
            OutboxMessage.status == "sending"))
        db.session.remove()
    while last is not None and utcnow() <= last:
        assert time.monotonic() < deadline, "leases never expired"
        time.sleep(0.05)


@pytest.mark.slow
def test_killed_sweep_resends_at_most_the_mail_in_flight_with_its_message_id(
        file_app, relay, tmp_path):
    """SIGKILL a real `pdplanner reminders sweep` mid-batch: all arrive, one at most twice."""
    inbox = relay(file_app, kill_at=5)
    when = _people_with_a_reminder_due(file_app, 12)
    env = {**os.environ, "PDPLANNER_CONFIG": "development",
           "DATABASE_URL": file_app.config["SQLALCHEMY_DATABASE_URI"],
           "PDPLANNER_INSTANCE": str(tmp_path / "instance"), "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(file_app.config["MAIL_PORT"]), "MAIL_DEFAULT_SENDER": SENDER,
           "OUTBOX_LEASE_SECONDS": "3"}
    command = [str(PDPLANNER), "reminders", "sweep", "--now", when.isoformat()]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    inbox.victim = first
    output = first.communicate(timeout=120)[0].decode()
    assert first.returncode == -signal.SIGKILL, output
    assert len(inbox.messages) == 5  # killed mid-batch, the fifth mail in flight
    _wait_until_leases_expire(file_app)
    subprocess.run(command, env=env, capture_output=True, timeout=120, check=True)
    copies = inbox.copies()
    assert set(copies) == {f"p{n}@example.org" for n in range(12)}
    twice = [to for to, count in copies.items() if count > 1]
    assert len(twice) <= 1 and max(copies.values()) <= 2
    with file_app.app_context():
        stored = dict(db.session.execute(select(OutboxMessage.to_address,
                                                OutboxMessage.message_id)).all())
    for to in twice:
        assert {m["Message-ID"] for m in inbox.messages if m["To"] == to} == {stored[to]}


def test_slow_relay_outlasting_the_lease_sends_nothing_twice(file_app, relay):
    """A batch slower than its lease keeps it (renewed); a second sweeper takes nothing."""
    # Renewed once half spent, a 4 s lease leaves 2 s for each 0.5 s send on a busy machine.
    file_app.config["OUTBOX_LEASE_SECONDS"] = 4
    inbox = relay(file_app, delay=0.5)
    _queue(file_app, 10)
    errors = []

    def first_sweeper():
        try:
            with file_app.app_context():
                delivery.deliver()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    started = time.monotonic()
    first = threading.Thread(target=first_sweeper)
    first.start()
    with file_app.app_context():
        while first.is_alive():  # a second sweeper keeps looking while the first sends
            delivery.deliver()
            first.join(0.1)
    assert errors == []
    assert time.monotonic() - started > 4  # the batch did outlast one lease
    assert inbox.copies() == Counter({f"q{n}@example.org": 1 for n in range(10)})


def test_worker_stalled_past_its_lease_sends_none_of_the_mail_taken_over(file_app, relay):
    """A worker whose lease ran out and was taken over sends none of those mails."""
    inbox = relay(file_app)
    _queue(file_app, 3)
    start = utcnow()
    with time_machine.travel(start, tick=False), file_app.app_context():
        token, ids = delivery.claim(start, 10)
        stalled = delivery.Lease(token, ids)
    later = start + timedelta(seconds=file_app.config["OUTBOX_LEASE_SECONDS"] + 1)
    with time_machine.travel(later, tick=False), file_app.app_context():
        thief, taken = delivery.claim(later, 10)
        assert taken == ids
        assert delivery._send_batch(stalled, later)["refused"] == 3
        assert inbox.messages == []
        assert delivery._send_batch(delivery.Lease(thief, taken), later)["sent"] == 3
    assert inbox.copies() == Counter({f"q{n}@example.org": 1 for n in range(3)})


def test_sweep_run_an_hour_ahead_leaves_a_live_lease_alone(app, smtp_server):
    """`reminders sweep --now <an hour ahead>` does not take what another worker holds."""
    _queue(app, 3)
    with app.app_context():
        token, ids = delivery.claim(utcnow(), 10)
    ahead = (utcnow() + timedelta(hours=1)).isoformat()
    result = app.test_cli_runner().invoke(main, ["reminders", "sweep", "--now", ahead],
                                          catch_exceptions=False)
    assert result.exit_code == 0 and "refused=0" in result.output
    assert smtp_server.messages == []
    with app.app_context():
        tokens = set(db.session.scalars(select(OutboxMessage.lease_token)))
    assert len(ids) == 3 and tokens == {token}


def test_message_id_is_derived_from_the_key_and_the_configured_domain(app):
    """The same key always gives the same Message-ID, on BASE_URL's host or the set domain."""
    with app.app_context():
        first = planner.message_id("no_goal:month:2027-03:u1:20270301T0800:email")
        assert first == planner.message_id("no_goal:month:2027-03:u1:20270301T0800:email")
        assert first.endswith("@localhost>")
        app.config["MAIL_MESSAGE_ID_DOMAIN"] = "pd.example.org"
        assert planner.message_id("x").endswith("@pd.example.org>")


def test_try_again_leaves_a_message_being_sent_alone(app, make_client, admin):
    """The admin's "Try again" does not take a message from the worker sending it."""
    _queue(app, 1)
    with app.app_context():
        token, (message_id,) = delivery.claim(utcnow(), 10)
    client = make_client()
    client.login(admin.email)
    page = client.post_form(f"/admin/outbox/{message_id}/requeue", follow_redirects=True)
    assert "being sent right now" in page.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        assert (row.status, row.lease_token) == ("sending", token)
