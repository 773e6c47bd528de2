"""The people list's rows, written in Python from words translated once: what the template
wrote, escaped, in the reader's language."""

from __future__ import annotations

from pdplanner.accounts.models import Team, User
from pdplanner.extensions import db


def test_people_rows_escape_names_addresses_and_supervisors(client, hr, make_user, make_team):
    """A name, an address, a team or a supervisor holding markup is shown as text."""
    team = make_team("<i>QI</i>")
    boss = make_user("boss@example.org", "<b>Boss</b>")
    make_user("a&b@example.org", "<script>x</script>", supervisor_id=boss.id, team_id=team.id)
    client.login(hr.email)
    html = client.get("/people").get_data(as_text=True)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;</a>" in html
    assert '<span class="muted small">a&amp;b@example.org</span>' in html
    assert '<td data-label="Supervisor">&lt;b&gt;Boss&lt;/b&gt;</td>' in html
    assert '<td data-label="Team or site">&lt;i&gt;QI&lt;/i&gt;</td>' in html


def test_people_rows_say_status_and_role_in_the_readers_language(app, client, hr, make_user):
    """Each row says active or deactivated, and admin or HR, in French for a French reader."""
    gone = make_user("gone@example.org", "Gone Person", active=False)
    make_user("ada@example.org", "Ada Admin", is_admin=True)
    with app.app_context():
        db.session.get(User, hr.id).language = "fr"
        db.session.commit()
    client.login(hr.email)
    html = client.get("/people?status=all").get_data(as_text=True)
    assert '<td data-label="Statut">Actif · Administrateur</td>' in html
    assert '<td data-label="Statut">Actif · RH</td>' in html
    assert f'<a href="/people/{gone.id}">Gone Person</a>' in html
    assert '<td data-label="Statut">Désactivé</td>' in html


def test_the_team_filter_shows_a_renamed_team_and_the_chosen_one_at_once(app, client, hr,
                                                                          make_team):
    """The filter's options, written once per list of teams, follow a rename and a choice."""
    team = make_team("Quality")
    client.login(hr.email)
    assert f'<option value="{team.id}">Quality</option>' in client.get("/people").text
    with app.app_context():
        db.session.get(Team, team.id).name = "Quality & Safety"
        db.session.commit()
    html = client.get(f"/people?team={team.id}").get_data(as_text=True)
    assert f'<option value="{team.id}" selected>Quality &amp; Safety</option>' in html
    assert f'<option value="{team.id}">Quality &amp; Safety</option>' in client.get("/people").text
