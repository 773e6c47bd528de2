"""The demo without a mail server prints each mail, links included, to its console."""

import re

from sqlalchemy import select

from pdplanner.extensions import db
from pdplanner.reminders.models import OutboxMessage

NEWCOMER = {"name": "Nouvelle Personne", "email": "nouvelle@example.org", "language": "fr",
            "timezone": "Africa/Bamako", "team_id": "", "level_id": "", "supervisor_id": "",
            "invite": "y"}


def test_demo_prints_an_invitation_with_its_link_to_the_console(app, client, hr, capsys):
    """Without MAIL_SERVER, in the demo, the invitation's text and link reach the console."""
    app.config["MAIL_TO_CONSOLE"] = True
    client.login(hr.email)
    client.post_form("/people/new", NEWCOMER)
    printed = capsys.readouterr().out
    assert "To: nouvelle@example.org" in printed
    assert "Hawa HR vous invite sur pdplanner" in printed
    link = re.search(r"https?://\S+/auth/\S+", printed).group(0)
    assert client.get(link[link.index("/auth/"):]).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) == "sent"


def test_without_a_mail_server_outside_the_demo_nothing_is_printed(app, client, hr, capsys):
    """Outside the demo (no MAIL_TO_CONSOLE), mail waits in the outbox and nothing is printed."""
    client.login(hr.email)
    client.post_form("/people/new", NEWCOMER)
    assert "nouvelle@example.org" not in capsys.readouterr().out
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) == "pending"


def test_the_mail_page_says_the_demo_prints_mail_to_the_console(app, client, admin):
    """The admin's Mail page tells where the demo's mail goes."""
    app.config["MAIL_TO_CONSOLE"] = True
    client.login(admin.email)
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert 'id="console-mail"' in html and "printed, links included, in the console" in html
