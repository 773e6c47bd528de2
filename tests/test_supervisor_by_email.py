"""In a large organisation HR types a supervisor's e-mail instead of picking from everyone."""

import pytest

from tests.conftest import field_error, get_user


@pytest.fixture
def large(app):
    """Treat more than two active people as a large organisation."""
    app.config["SUPERVISOR_SELECT_MAX"] = 2


def _fields(person, **changes) -> dict:
    """Return the person form as a browser sends it when the supervisor is typed."""
    fields = {"name": person.name, "email": person.email, "team_id": "", "level_id": "",
              "supervisor_email": "", "language": "", "timezone": "",
              "version": str(person.version)}
    fields.update(changes)
    return fields


def test_the_supervisor_is_picked_from_a_list_up_to_the_threshold(app, client, hr, make_user):
    app.config["SUPERVISOR_SELECT_MAX"] = 3
    person = make_user("report@example.org", "Report")
    make_user("boss@example.org", "Boss")
    client.login(hr.email)
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert '<select id="supervisor_id"' in html
    assert "boss@example.org" in html and 'id="supervisor_email"' not in html


def test_above_the_threshold_the_supervisor_is_typed_and_nobody_else_listed(
        app, client, hr, large, make_user):
    boss = make_user("boss@example.org", "Boss")
    person = make_user("report@example.org", "Report", supervisor_id=boss.id)
    make_user("bystander@example.org", "Bystander")
    client.login(hr.email)
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert 'id="supervisor_id"' not in html and "bystander@example.org" not in html
    assert 'id="supervisor_email"' in html and 'value="boss@example.org"' in html
    assert "Currently: Boss (boss@example.org)." in html


def test_a_typed_supervisor_email_saves(app, client, hr, large, make_user):
    person = make_user("report@example.org", "Report")
    boss = make_user("boss@example.org", "Boss")
    client.login(hr.email)
    response = client.post_form(f"/people/{person.id}",
                                _fields(person, supervisor_email=" Boss@Example.org "))
    assert response.status_code == 302
    assert get_user(app, person.id).supervisor_id == boss.id


def test_an_empty_supervisor_email_removes_the_supervisor(app, client, hr, large, make_user):
    boss = make_user("boss@example.org", "Boss")
    person = make_user("report@example.org", "Report", supervisor_id=boss.id)
    client.login(hr.email)
    response = client.post_form(f"/people/{person.id}", _fields(person))
    assert response.status_code == 302
    assert get_user(app, person.id).supervisor_id is None


def test_a_new_person_gets_a_typed_supervisor(app, client, hr, large, make_user):
    boss = make_user("boss@example.org", "Boss")
    make_user()
    client.login(hr.email)
    response = client.post_form("/people/new", {
        "name": "New Person", "email": "new@example.org", "language": "", "timezone": "",
        "team_id": "", "level_id": "", "supervisor_email": "boss@example.org"})
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    assert get_user(app, new_id).supervisor_id == boss.id


def test_an_unknown_supervisor_email_is_refused_by_the_field(app, client, hr, large,
                                                           make_user):
    person = make_user("report@example.org", "Report")
    make_user()
    client.login(hr.email)
    response = client.post_form(f"/people/{person.id}",
                                _fields(person, supervisor_email="nobody@example.org"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "supervisor_email") == "No active person has this e-mail address."
    assert 'value="nobody@example.org"' in html
    assert get_user(app, person.id).supervisor_id is None


def test_an_inactive_supervisors_email_is_refused_by_the_field(app, client, hr, large,
                                                             make_user):
    person = make_user("report@example.org", "Report")
    make_user("gone@example.org", "Gone", active=False)
    make_user()
    client.login(hr.email)
    response = client.post_form(f"/people/{person.id}",
                                _fields(person, supervisor_email="gone@example.org"))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "supervisor_email") == \
        "No active person has this e-mail address."
    assert get_user(app, person.id).supervisor_id is None


def test_a_malformed_supervisor_email_is_refused_by_the_field(app, client, hr, large,
                                                            make_user):
    person = make_user("report@example.org", "Report")
    make_user()
    client.login(hr.email)
    response = client.post_form(f"/people/{person.id}",
                                _fields(person, supervisor_email="not an address"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "supervisor_email") == "Enter a valid e-mail address."
    assert 'value="not an address"' in html


def test_a_typed_supervisor_making_a_loop_is_refused_by_the_field(app, client, hr, large,
                                                                make_user):
    top = make_user("top@example.org", "Top")
    middle = make_user("middle@example.org", "Middle", supervisor_id=top.id)
    make_user("bottom@example.org", "Bottom", supervisor_id=middle.id)
    client.login(hr.email)
    response = client.post_form(f"/people/{top.id}",
                                _fields(top, supervisor_email="bottom@example.org"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "this would make a loop" in field_error(html, "supervisor_email")
    assert 'value="bottom@example.org"' in html
    assert get_user(app, top.id).supervisor_id is None


def test_oneself_as_typed_supervisor_is_refused_by_the_field(app, client, hr, large,
                                                           make_user):
    person = make_user("report@example.org", "Report")
    make_user()
    client.login(hr.email)
    response = client.post_form(f"/people/{person.id}",
                                _fields(person, supervisor_email="report@example.org"))
    assert response.status_code == 422
    assert "this would make a loop" in field_error(response.get_data(as_text=True),
                                                   "supervisor_email")


def test_an_unknown_supervisor_email_is_refused_in_french(app, client, large, make_user):
    hr = make_user("rh@example.org", "Awa RH", is_hr=True, language="fr")
    person = make_user("report@example.org", "Report")
    make_user()
    client.login(hr.email)
    response = client.post_form(f"/people/{person.id}",
                                _fields(person, supervisor_email="nobody@example.org"))
    html = response.get_data(as_text=True)
    assert field_error(html, "supervisor_email") == \
        "Aucune personne active n’a cette adresse e-mail."
    assert "Actuellement\u00a0: aucun superviseur." in html
