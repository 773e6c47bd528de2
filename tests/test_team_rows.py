"""My team's rows, written in Python from words translated once: the reader's language,
a person's flags, and the depth class of people far down the branch."""

from __future__ import annotations

from pdplanner.accounts.models import User
from pdplanner.extensions import db


def test_my_team_rows_speak_the_readers_language(app, client, make_user):
    """A French supervisor reads the cells' labels and a report's flags in French."""
    boss = make_user("boss@example.org", "Binta Boss")
    make_user("r@example.org", "Report One", supervisor_id=boss.id)
    with app.app_context():
        db.session.get(User, boss.id).language = "fr"
        db.session.commit()
    client.login(boss.email)
    html = client.get("/team").get_data(as_text=True)
    assert '<td data-label="Objectifs actifs">0</td>' in html
    assert '<br><span class="badge missed">Aucun objectif actif</span>' in html
    assert "Aucune séance tenue depuis 60 jours</span></td>" in html


def test_my_team_rows_cap_the_depth_class_at_five(app, client, make_user):
    """Six levels down, a person is indented as far as five levels (the deepest style)."""
    top = make_user("top@example.org", "Top Director")
    above = top
    for level in range(1, 7):
        above = make_user(f"l{level}@example.org", f"Level {level}", supervisor_id=above.id)
    client.login(top.email)
    html = client.get("/team").get_data(as_text=True)
    assert '<span class="depth-4">Level 4</span>' in html
    assert '<span class="depth-5">Level 5</span>' in html
    assert '<span class="depth-5">Level 6</span>' in html
    assert '<a href="/team/' in html and '/sessions">Level 1</a>' in html
