"""Reminder words: the notification centre shows subjects without building each e-mail;
the e-mails still carry their whole body."""

import json
from datetime import UTC, datetime, timedelta

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.reminders.models import Notification
from pdplanner.supervision.models import Session
from tests.test_reminders import _at, _run
from tests.test_scale import statements

KINDS = ("session_upcoming", "session_unresolved", "supervisor_digest", "hr_summary")


def _add_notices(app, supervisor_id: int, start: int, count: int) -> None:
    """Give the supervisor `count` more notices of each kind, each session with a new report."""
    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        for i in range(start, start + count):
            report = User(email=f"report{i}@example.org", name=f"Report {i}",
                          supervisor_id=supervisor_id)
            db.session.add(report)
            db.session.flush()
            session = Session(supervisor_id=supervisor_id, report_id=report.id,
                              starts_at=now + timedelta(days=1), status="planned")
            db.session.add(session)
            db.session.flush()
            params = {"starts_at": session.starts_at.isoformat(), "with_id": report.id,
                      "session_id": session.id}
            for kind in KINDS:
                db.session.add(Notification(dedupe_key=f"{kind}:{i}", user_id=supervisor_id,
                                            kind=kind, link="/sessions",
                                            params=json.dumps(params)))
        db.session.commit()


def test_notification_centre_costs_the_same_for_few_and_many_notices(app, client, make_user):
    supervisor = make_user("supervisor@example.org", "Sam Supervisor", is_hr=True)
    client.login(supervisor.email)
    _add_notices(app, supervisor.id, 0, 2)
    few = statements(app, client, "/notifications")
    _add_notices(app, supervisor.id, 2, 4)
    many = statements(app, client, "/notifications")
    assert few == many


def test_notification_centre_names_the_other_person_of_each_session(app, client, make_user):
    supervisor = make_user("supervisor@example.org", "Sam Supervisor")
    client.login(supervisor.email)
    _add_notices(app, supervisor.id, 0, 2)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Supervision session with Report 0:" in html
    assert "Was your session with Report 1 held?" in html


def test_supervisor_digest_mail_counts_the_direct_reports(app, make_user, smtp_server):
    boss = make_user("boss@example.org", "Binta Boss")
    first = make_user("one@example.org", "One", supervisor_id=boss.id)
    make_user("two@example.org", "Two", supervisor_id=boss.id)
    make_user("below@example.org", "Below", supervisor_id=first.id)
    _run(app, _at(datetime(2027, 3, 8).date(), 9))
    (mail,) = [m for m in smtp_server.messages if m["To"] == "boss@example.org"
               and "Your week" in m["Subject"]]
    body = mail.get_body(("plain",)).get_content()
    assert "Reports without an active goal: 2" in body
