"""Levels and teams named in English and French: forms for both names, screens follow the reader."""

from sqlalchemy import select

from pdplanner.accounts.models import Level, Team
from pdplanner.extensions import db
from tests.conftest import field_error


def test_hr_names_a_level_in_both_languages(app, client, hr):
    """The level form takes a French name; a French reader's screens show it."""
    client.login(hr.email)
    client.post_form("/settings/levels", {"name": "Field staff",
                                          "name_fr": "Personnel de terrain"})
    with app.app_context():
        level = db.session.scalar(select(Level))
        assert (level.name, level.name_fr) == ("Field staff", "Personnel de terrain")
        assert level.name_for("fr") == "Personnel de terrain"
        assert level.name_for("en") == "Field staff"


def test_hr_names_a_team_in_both_languages(app, client, hr):
    """The team form takes a French name; left empty, French shows the English one."""
    client.login(hr.email)
    client.post_form("/settings/teams", {"name": "Community health",
                                         "name_fr": "Santé communautaire", "kind": "team",
                                         "description": ""})
    client.post_form("/settings/teams", {"name": "CSCom Banconi", "name_fr": "",
                                         "kind": "site", "description": ""})
    with app.app_context():
        names = {t.name: t.name_for("fr") for t in db.session.scalars(select(Team))}
    assert names == {"Community health": "Santé communautaire",
                     "CSCom Banconi": "CSCom Banconi"}


def test_a_french_name_too_long_is_refused_by_its_field(app, client, hr):
    """121 characters in the French name: an error by that field, the input kept."""
    client.login(hr.email)
    response = client.post_form("/settings/levels", {"name": "Field staff",
                                                     "name_fr": "x" * 121})
    assert response.status_code in (200, 422)
    assert field_error(response.get_data(as_text=True), "name_fr")
    with app.app_context():
        assert db.session.scalar(select(Level)) is None


def test_french_profile_shows_the_french_level_and_team(app, client, make_user):
    """A French-speaking person reads their level and team in French on their profile."""
    with app.app_context():
        level = Level(name="Field staff", name_fr="Personnel de terrain", rank=0)
        team = Team(name="Community health", name_fr="Santé communautaire")
        db.session.add_all([level, team])
        db.session.commit()
        ids = level.id, team.id
    person = make_user("fr@example.org", "Awa Fr", language="fr", level_id=ids[0],
                       team_id=ids[1])
    client.login(person.email)
    html = client.get("/profile").get_data(as_text=True)
    assert "Personnel de terrain" in html and "Santé communautaire" in html
    assert "Field staff" not in html


def test_the_demo_names_levels_and_teams_in_both_languages(app):
    """Every demo level and team has a French name."""
    from pdplanner import demo

    with app.app_context():
        demo.seed()
        rows = [*db.session.scalars(select(Level)), *db.session.scalars(select(Team))]
        assert rows and all(row.name_fr for row in rows)
        assert any(row.name_fr != row.name for row in rows)
