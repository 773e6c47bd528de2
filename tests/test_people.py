"""HR's people pages: list, search, add, edit, supervisors, deactivate."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.audit import AuditEvent
from pdplanner.extensions import db
from tests.conftest import get_user


def _person_fields(person, **changes) -> dict:
    """Return the person form's fields as a browser would send them."""
    fields = {"name": person.name, "email": person.email, "team_id": "", "level_id": "",
              "supervisor_id": str(person.supervisor_id or ""), "language": "",
              "timezone": "", "version": str(person.version)}
    fields.update(changes)
    return fields


def _count(app, model=User) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_list_shows_active_people_and_searches(client, hr, make_user):
    """The list shows people; the search box narrows it by name or e-mail."""
    make_user("aminata@example.org", "Aminata Diallo")
    make_user("moussa@example.org", "Moussa Traoré")
    client.login(hr.email)
    html = client.get("/people").get_data(as_text=True)
    assert "Aminata Diallo" in html and "Moussa Traoré" in html
    html = client.get("/people?q=diallo").get_data(as_text=True)
    assert "Aminata Diallo" in html and "Moussa Traoré" not in html


def test_list_filters_by_team_and_level(client, hr, make_user, make_team, make_level):
    """Team and level filters keep only matching people."""
    team, level = make_team("QI"), make_level("Field staff")
    make_user(name="In team", team_id=team.id, level_id=level.id)
    make_user(name="Elsewhere")
    client.login(hr.email)
    html = client.get(f"/people?team={team.id}").get_data(as_text=True)
    assert "In team" in html and "Elsewhere" not in html
    html = client.get(f"/people?level={level.id}").get_data(as_text=True)
    assert "In team" in html and "Elsewhere" not in html


def test_list_paginates(app, client, hr, make_user):
    """More people than a page holds spread over several pages."""
    app.config["PEOPLE_PER_PAGE"] = 3
    for n in range(5):
        make_user(name=f"Paged {n}")
    client.login(hr.email)
    first = client.get("/people").get_data(as_text=True)
    assert "Page 1 of 2" in first
    second = client.get("/people?page=2").get_data(as_text=True)
    assert "Paged 4" in second or "Paged 3" in second


def test_deactivated_people_are_hidden_unless_asked(client, hr, make_user):
    """The default list shows active people; the status filter shows the others."""
    make_user(name="Gone Person", active=False)
    client.login(hr.email)
    assert "Gone Person" not in client.get("/people").get_data(as_text=True)
    assert "Gone Person" in client.get("/people?status=inactive").get_data(as_text=True)


def test_add_person_creates_them_with_an_audit_event(app, client, hr):
    """A valid form adds the person and records who did it."""
    client.login(hr.email)
    response = client.post_form("/people/new", {
        "name": "Nouvelle Personne", "email": "Nouvelle@Example.org", "language": "fr",
        "timezone": "Africa/Bamako", "team_id": "", "level_id": "", "supervisor_id": ""})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(select(User).filter_by(email="nouvelle@example.org"))
        assert person.language == "fr" and person.password_hash is None
        assert db.session.scalar(select(AuditEvent).filter_by(action="user.create"))


def test_add_person_with_bad_input_keeps_what_was_typed(app, client, hr):
    """A missing name and a bad e-mail show messages by the fields; nothing is saved."""
    client.login(hr.email)
    before = _count(app)
    response = client.post_form("/people/new", {
        "name": "", "email": "not-an-email", "language": "", "timezone": "",
        "team_id": "", "level_id": "", "supervisor_id": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="not-an-email"' in html
    assert 'id="name-error"' in html
    assert _count(app) == before


def test_duplicate_email_is_refused_by_the_field(client, hr, employee):
    """Two people cannot share an e-mail address."""
    client.login(hr.email)
    response = client.post_form("/people/new", {
        "name": "Twin", "email": employee.email.upper(), "language": "", "timezone": "",
        "team_id": "", "level_id": "", "supervisor_id": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error"' in html and "already uses this e-mail" in html


def test_edit_person_sets_the_supervisor(app, client, hr, make_user):
    """HR sets someone's supervisor."""
    boss, person = make_user(name="Boss"), make_user(name="Report")
    client.login(hr.email)
    response = client.post_form(f"/people/{person.id}",
                                _person_fields(person, supervisor_id=str(boss.id)))
    assert response.status_code == 302
    assert get_user(app, person.id).supervisor_id == boss.id


def test_supervisor_loop_is_refused_with_a_message(app, client, hr, make_user):
    """A cannot report to B when B already reports (indirectly) to A."""
    top = make_user(name="Top")
    middle = make_user(name="Middle", supervisor_id=top.id)
    bottom = make_user(name="Bottom", supervisor_id=middle.id)
    client.login(hr.email)
    response = client.post_form(f"/people/{top.id}",
                                _person_fields(top, supervisor_id=str(bottom.id)))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "loop" in html and 'id="supervisor_id-error"' in html
    assert get_user(app, top.id).supervisor_id is None


def test_stale_edit_gets_409_and_keeps_the_input(app, make_client, hr, admin, make_user):
    """Two people edit the same record: the second sees 409 with their text kept."""
    person = make_user(name="Shared Record")
    first, second = make_client(), make_client()
    first.login(hr.email)
    second.login(admin.email)
    assert first.post_form(f"/people/{person.id}",
                           _person_fields(person, name="First Edit")).status_code == 302
    response = second.post_form(f"/people/{person.id}",
                                _person_fields(person, name="Second Edit"))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'value="Second Edit"' in html
    assert get_user(app, person.id).name == "First Edit"


def test_deactivate_and_reactivate(app, client, hr, employee):
    """Deactivating keeps the record; reactivating restores access."""
    client.login(hr.email)
    client.post_form(f"/people/{employee.id}/deactivate")
    assert get_user(app, employee.id).active is False
    client.post_form(f"/people/{employee.id}/reactivate")
    assert get_user(app, employee.id).active is True


def test_cannot_deactivate_oneself(app, client, hr):
    """HR cannot lock themselves out by mistake."""
    client.login(hr.email)
    client.post_form(f"/people/{hr.id}/deactivate")
    assert get_user(app, hr.id).active is True


def test_only_admin_grants_roles(app, make_client, hr, admin, employee):
    """An admin can make someone HR; the checkbox from HR changes nothing."""
    as_hr = make_client()
    as_hr.login(hr.email)
    as_hr.post_form(f"/people/{employee.id}", _person_fields(employee, is_hr="y"))
    assert get_user(app, employee.id).is_hr is False
    as_admin = make_client()
    as_admin.login(admin.email)
    person = get_user(app, employee.id)
    as_admin.post_form(f"/people/{employee.id}", _person_fields(person, is_hr="y"))
    assert get_user(app, employee.id).is_hr is True


def test_supervisor_is_derived_from_reports(app, make_user):
    """Anyone with an active report is a supervisor; nobody else."""
    boss = make_user(name="Boss")
    make_user(name="Report", supervisor_id=boss.id)
    with app.app_context():
        assert db.session.get(User, boss.id).is_supervisor
        assert not db.session.scalar(select(User).filter_by(name="Report")).is_supervisor


def test_stored_xss_renders_escaped(client, hr, make_user):
    """A name with markup is shown as text."""
    make_user(name="<script>alert(1)</script>{{7*7}}")
    client.login(hr.email)
    html = client.get("/people").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in html


def test_add_person_reports_every_problem_at_once(app, client, hr):
    """A 500-character name and a bad e-mail are both flagged in one round."""
    client.login(hr.email)
    before = _count(app)
    response = client.post_form("/people/new", {
        "name": "N" * 500, "email": "not-an-email", "language": "", "timezone": "",
        "team_id": "", "level_id": "", "supervisor_id": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="not-an-email"' in html
    for field in ("name", "email"):
        tag = re.search(rf'<input\b[^>]*\bid="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag and f"{field}-error" in tag
    assert re.search(r'id="email-error">Enter a valid e-mail address\.<', html)
    assert _count(app) == before


NEW_PERSON = {"name": "Nouvelle Personne", "email": "nouvelle@example.org", "language": "fr",
              "timezone": "Africa/Bamako", "team_id": "", "level_id": "", "supervisor_id": ""}


def _welcome_link(message) -> str:
    """The invitation's link, from the plain-text body of a mail."""
    text = message.get_body(("plain",)).get_content()
    (link,) = re.findall(r"http://localhost(/auth/welcome/\S+)", text)
    return link


def test_a_new_person_is_invited_and_chooses_a_password_once(app, client, hr, make_client,
                                                              smtp_server):
    """Added with the invitation box ticked: a French mail arrives; its link sets a password
    once, and the person signs in with it."""
    client.login(hr.email)
    response = client.post_form("/people/new", {**NEW_PERSON, "invite": "y"},
                                follow_redirects=True)
    assert "invited by e-mail" in response.get_data(as_text=True)
    (mail,) = smtp_server.messages
    assert mail["To"] == "nouvelle@example.org"
    assert mail["Subject"] == "Hawa HR vous invite sur pdplanner"  # in the person's language
    link = _welcome_link(mail)
    newcomer = make_client()
    page = newcomer.get(link, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Bienvenue sur pdplanner" in page and "Test org" in page
    chosen = newcomer.post_form(link, {"password": "a long new password",
                                       "confirm": "a long new password"})
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("/auth/login")
    assert newcomer.login("nouvelle@example.org", "a long new password").status_code == 302
    again = make_client().get(link)
    assert again.status_code == 302 and again.headers["Location"].endswith("/auth/forgot")


def test_invitation_can_wait_and_be_sent_again_from_the_person_page(app, client, hr,
                                                                     smtp_server):
    """Without the box, no mail; the person page sends one while no password is chosen."""
    import time_machine

    from pdplanner.types import utcnow

    client.login(hr.email)
    client.post_form("/people/new", NEW_PERSON)
    assert smtp_server.messages == []
    with app.app_context():
        person = db.session.scalar(select(User).filter_by(email="nouvelle@example.org"))
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Send the invitation e-mail" in page
    client.post_form(f"/people/{person.id}/invite")
    (mail,) = smtp_server.messages
    link = _welcome_link(mail)
    reset_style = link.replace("/auth/welcome/", "/auth/reset/")  # not a reset token
    assert app.test_client().get(reset_style).status_code == 302
    with time_machine.travel(utcnow() + timedelta(days=6)):  # a reset would have expired
        assert "Bienvenue" in app.test_client().get(
            link, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    with time_machine.travel(utcnow() + timedelta(days=8)):
        assert app.test_client().get(link).status_code == 302
    with app.app_context():
        db.session.get(User, person.id).password_hash = "set"
        db.session.commit()
    assert "Send the invitation e-mail" not in client.get(
        f"/people/{person.id}").get_data(as_text=True)


def test_person_page_marks_their_team_level_and_zone_and_escapes_names(client, hr, make_user,
                                                                         make_team,
                                                                         make_level):
    """The record's selects mark the person's team, level and zone; a name is escaped."""
    team = make_team("R&D <North>")
    other = make_team("Logistics")
    level = make_level("Senior")
    person = make_user(team_id=team.id, level_id=level.id, timezone="Africa/Dakar")
    client.login(hr.email)
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert f'<option selected value="{team.id}">R&amp;D &lt;North&gt;</option>' in html
    assert f'<option value="{other.id}">Logistics</option>' in html
    assert f'<option selected value="{level.id}">Senior</option>' in html
    assert '<option selected value="Africa/Dakar">' in html
    assert "<North>" not in html
