"""Organisation settings, teams and sites, levels, core values and priorities."""

import pytest
from sqlalchemy import select

from pdplanner.accounts.models import Level, Organisation, Team
from pdplanner.audit import AuditEvent
from pdplanner.catalog.models import Alignment, Skill, SkillArea, SkillStatus
from pdplanner.extensions import db
from tests.conftest import field_error


def test_settings_save(app, client, hr):
    """HR changes the organisation's name, language, time zone and cadence."""
    client.login(hr.email)
    response = client.post_form("/settings", {"name": "Mali Health", "default_language": "fr",
                                              "timezone": "Africa/Bamako",
                                              "default_cadence": "fortnightly",
                                              "participation_target": "70"})
    assert response.status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organisation))
        assert (org.name, org.default_language, org.default_cadence) == (
            "Mali Health", "fr", "fortnightly")


def test_organisation_language_applies_to_anonymous_visitors(app, client, hr):
    """With no profile, cookie or browser preference, the organisation's language is used."""
    client.login(hr.email)
    client.post_form("/settings", {"name": "Org", "default_language": "fr",
                                   "timezone": "Africa/Bamako", "default_cadence": "monthly",
                                   "participation_target": "60"})
    client.logout()
    client.delete_cookie("pdplanner_lang")
    html = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="fr">' in html


def test_settings_refuse_empty_name_and_keep_input(client, hr):
    """An empty name is refused by its field."""
    client.login(hr.email)
    response = client.post_form("/settings", {"name": "", "default_language": "en",
                                              "timezone": "Africa/Bamako",
                                              "default_cadence": "weekly",
                                              "participation_target": "60"})
    assert 'id="name-error"' in response.get_data(as_text=True)


def test_add_site_marked_partner(app, client, hr):
    """HR adds a partner health centre as a site."""
    client.login(hr.email)
    client.post_form("/settings/teams", {"name": "CSCom Banconi", "kind": "site",
                                         "is_partner": "y", "description": ""})
    with app.app_context():
        site = db.session.scalar(select(Team).filter_by(name="CSCom Banconi"))
        assert site.kind == "site" and site.is_partner


def test_duplicate_team_name_is_refused(client, hr, make_team):
    """Two teams cannot share a name (case-insensitive)."""
    make_team("Quality")
    client.login(hr.email)
    html = client.post_form("/settings/teams", {"name": "quality", "kind": "team",
                                                "description": ""}).get_data(as_text=True)
    assert "already has this name" in html


def test_levels_are_added_at_the_bottom_and_move(app, client, hr, make_level):
    """A new level goes last; moving it up swaps it with its neighbour."""
    make_level("Director", 0)
    client.login(hr.email)
    client.post_form("/settings/levels", {"name": "Field staff"})
    with app.app_context():
        new = db.session.scalar(select(Level).filter_by(name="Field staff"))
        assert new.rank == 1
        new_id = new.id
    client.post_form(f"/settings/levels/{new_id}/move/up")
    with app.app_context():
        names = [lv.name for lv in db.session.scalars(select(Level).order_by(Level.rank))]
    assert names == ["Field staff", "Director"]


def test_rename_level(app, client, hr, make_level):
    """A level can be renamed."""
    level = make_level("Junior", 3)
    client.login(hr.email)
    client.post_form(f"/settings/levels/{level.id}", {"name": "Junior programme manager"})
    with app.app_context():
        assert db.session.get(Level, level.id).name == "Junior programme manager"


def test_core_value_in_two_languages_and_archive(app, client, hr):
    """HR adds a core value with English and French names, then archives it."""
    client.login(hr.email)
    client.post_form("/catalog/values", {"kind": "value", "name_en": "Capacity building",
                                         "name_fr": "Renforcement des capacités",
                                         "description_en": "", "description_fr": ""})
    with app.app_context():
        item = db.session.scalar(select(Alignment))
        assert item.name_fr == "Renforcement des capacités"
        item_id = item.id
    client.post_form(f"/catalog/values/{item_id}/archive")
    with app.app_context():
        assert db.session.get(Alignment, item_id).archived


def test_value_needs_both_names(client, hr):
    """A value without its French name is refused by that field, English kept."""
    client.login(hr.email)
    html = client.post_form("/catalog/values", {
        "kind": "priority", "name_en": "Data use", "name_fr": "",
        "description_en": "", "description_fr": ""}).get_data(as_text=True)
    assert 'id="name_fr-error"' in html and 'value="Data use"' in html


def test_values_show_in_the_viewers_language(client, make_user, app):
    """A French reader sees the French name."""
    with app.app_context():
        db.session.add(Alignment(kind="value", name_en="Quality of care",
                                 name_fr="Qualité des soins"))
        db.session.commit()
    person = make_user(is_hr=True, language="fr")
    client.login(person.email)
    assert "Qualité des soins" in client.get("/catalog/values").get_data(as_text=True)


@pytest.fixture
def catalogue(app, make_team, make_level):
    """One of each thing the settings pages edit: a team, a level, a value, a skill area and
    a catalogue skill; their ids by name."""
    with app.app_context():
        value = Alignment(kind="value", name_en="Quality", name_fr="Qualité")
        area = SkillArea(name_en="Care", name_fr="Soins")
        db.session.add_all([value, area])
        db.session.flush()
        skill = Skill(area_id=area.id, name_en="Hygiene", name_fr="Hygiène",
                      status=SkillStatus.CATALOGUE)
        db.session.add(skill)
        db.session.commit()
        ids = {"value": value.id, "area": area.id, "skill": skill.id}
    return {**ids, "team": make_team("Quality").id, "level": make_level("Junior", 3).id}


def _everything_settings_write(app) -> dict:
    """Every row the settings pages (and their audit log) could write."""
    with app.app_context():
        return {model.__tablename__: sorted(db.session.execute(
            select(*model.__table__.columns)).all(), key=lambda row: row[0])
            for model in (Organisation, Team, Level, Alignment, SkillArea, Skill, AuditEvent)}


ORGANISATION = {"name": "Typed org", "default_language": "en", "timezone": "Africa/Bamako",
                "default_cadence": "monthly", "participation_target": "150"}
TEAM = {"name": "", "kind": "team", "description": "Typed description"}
LEVEL = {"name": "", "name_fr": "Typed French level"}
VALUE = {"kind": "priority", "name_en": "Typed value", "name_fr": "", "description_en": "",
         "description_fr": ""}
SKILL = {"area_id": "", "name_en": "Typed skill", "name_fr": "", "description_en": "",
         "description_fr": ""}
AREA = {"name_en": "Typed area", "name_fr": ""}


@pytest.mark.parametrize("url,data,field,typed", [
    ("/settings", ORGANISATION, "participation_target", "Typed org"),
    ("/settings/teams", TEAM, "name", "Typed description"),
    ("/settings/teams/{team}", TEAM, "name", "Typed description"),
    ("/settings/levels", LEVEL, "name", "Typed French level"),
    ("/settings/levels/{level}", LEVEL, "name", "Typed French level"),
    ("/catalog/values", VALUE, "name_fr", "Typed value"),
    ("/catalog/values/{value}", VALUE, "name_fr", "Typed value"),
    ("/catalog/skills", SKILL, "name_fr", "Typed skill"),
    ("/catalog/skills/{skill}", SKILL, "name_fr", "Typed skill"),
    ("/catalog/areas", AREA, "area_name_fr", "Typed area"),
    ("/catalog/areas/{area}", AREA, "area_name_fr", "Typed area"),
])
def test_a_settings_form_with_bad_input_answers_422_by_the_field_and_writes_nothing(
        app, client, hr, catalogue, url, data, field, typed):
    """Every settings form refuses bad input with 422, the message by the field and what
    was typed kept, and writes nothing."""
    client.login(hr.email)
    before = _everything_settings_write(app)
    response = client.post_form(url.format(**catalogue), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, field)
    assert typed in html
    assert _everything_settings_write(app) == before
