"""Settings, teams and sites: the list read as rows in the reader's language, and the blank
form's fields written once per language (never once input or errors are shown)."""

from tests.conftest import field_error
from tests.test_scale import statements


def test_teams_are_listed_in_the_readers_language_with_their_kind(client, make_user,
                                                                  make_team):
    make_team("North site", kind="site", name_fr="Site nord", is_partner=True)
    make_team("Quality", name_fr="", archived=True)
    reader = make_user("rh@example.org", "Rita RH", is_hr=True, language="fr")
    client.login(reader.email)
    html = client.get("/settings/teams").get_data(as_text=True)
    assert '">Site nord</a>\n    <span class="muted">· Site · partenaire</span>' in html
    assert '">Quality</a>\n    <span class="muted">· Équipe · archivé</span>' in html


def test_the_blank_team_form_follows_each_readers_language(client, make_client, hr,
                                                           make_user):
    reader = make_user("rh@example.org", "Rita RH", is_hr=True, language="fr")
    client.login(hr.email)
    assert '<label for="name">Name in English</label>' in client.get(
        "/settings/teams").get_data(as_text=True)
    french = make_client()
    french.login(reader.email)
    html = french.get("/settings/teams").get_data(as_text=True)
    assert '<label for="name">Nom en anglais</label>' in html and "Name in English" not in html


def test_a_refused_team_keeps_what_was_typed_after_blank_forms_were_shown(client, hr,
                                                                         make_team):
    make_team("Quality")
    client.login(hr.email)
    client.get("/settings/teams")
    response = client.post_form("/settings/teams", {
        "name": "", "name_fr": "Qualité bis", "kind": "site", "is_partner": "y",
        "description": "Typed description"})
    html = response.get_data(as_text=True)
    assert field_error(html, "name")
    assert 'value="Qualité bis"' in html and "Typed description</textarea>" in html
    assert '<option selected value="site">' in html and "checked" in html
    again = client.get("/settings/teams").get_data(as_text=True)
    assert "Qualité bis" not in again and 'aria-invalid' not in again


def test_settings_teams_cost_the_same_with_more_teams(app, client, hr, make_team):
    make_team("Quality")
    client.login(hr.email)
    before = statements(app, client, "/settings/teams")
    for n in range(5):
        make_team(f"Team {n}", kind="site" if n % 2 else "team", archived=n == 3)
    assert statements(app, client, "/settings/teams") == before
