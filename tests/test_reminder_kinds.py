"""A room plugs a kind of reminder into the outbox; reminders/ needs no edit for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from pdplanner.extensions import db
from pdplanner.reminders import kinds
from pdplanner.reminders.kinds import Due, Kind
from pdplanner.reminders.models import Notification, OutboxMessage, OutboxStatus
from pdplanner.reminders.render import notification_texts
from pdplanner.reminders.services import sweep

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def plugged(app, make_user):
    """A kind named 'tea_break' from no room of pdplanner, due for one person now."""
    person = make_user("tea@example.org", "Tea Drinker")
    settled = set()
    kind = Kind("tea_break",
                subject=lambda params, reader: f"Tea with {params['with']}",
                body=lambda params, reader: ([], "Open"),
                find=lambda now, since: [Due("tea_break", person.id, "tea:1",
                                             now - timedelta(minutes=1), "/", {"with": "Ada"})],
                label="Tea breaks", settled=lambda refs: refs & settled)
    kinds.register(kind)
    yield person, settled
    kinds.KINDS.pop("tea_break", None)


def test_a_registered_kind_is_queued_and_worded_by_its_own_words(app, plugged):
    """The sweep finds it, queues it once and writes its line with the kind's words."""
    person, _ = plugged
    with time_machine.travel(NOW, tick=False), app.app_context():
        sweep()
        sweep()
        rows = list(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "tea_break")))
        notice = db.session.scalar(select(Notification).where(Notification.kind == "tea_break"))
        assert len(rows) == 1
        assert notification_texts([notice], db.session.get(type(person), person.id)) == \
            ["Tea with Ada"]


def test_a_kind_whose_subject_is_settled_is_skipped_at_delivery(app, plugged, smtp_server):
    """Delivery asks the kind whether its subject still needs the mail."""
    _, settled = plugged
    settled.add("tea:1")
    with time_machine.travel(NOW, tick=False), app.app_context():
        sweep()
        row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "tea_break"))
        assert row.status == OutboxStatus.SKIPPED
    assert [m for m in smtp_server.messages if "Tea" in m["Subject"]] == []


def test_the_supervisors_digest_counts_their_direct_reports(app, make_user, smtp_server):
    """Monday's digest is rendered with My team's figures for every direct report."""
    boss = make_user("boss@example.org", "Boss")
    for n in range(3):
        make_user(f"report{n}@example.org", f"Report {n}", supervisor_id=boss.id)
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    with time_machine.travel(monday, tick=False), app.app_context():
        sweep()
    digest = [m for m in smtp_server.messages if m["To"] == "boss@example.org"
              and "Your week" in m["Subject"]]
    assert len(digest) == 1
    assert "Reports without an active goal: 3" in digest[0].get_body(("plain",)).get_content()
