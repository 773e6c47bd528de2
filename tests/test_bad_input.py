"""Bad input gets a clear 4xx, by the field when typed, with what was typed kept; never 500."""

from datetime import date

import pytest
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.learning.models import Goal
from tests.conftest import field_error
from tests.test_import import HEADER, _upload

TOO_LARGE = "x" * (2 * 1024 * 1024 + 1)
TWENTY_DIGITS = "99999999999999999999"
NUL_EN = "invisible character (NUL)"
NUL_FR = "caractère invisible (NUL)"


def _goal(app, owner_id: int, title: str = "Lead QI meetings") -> tuple[int, int]:
    """Create an active goal; return its id and version."""
    with app.app_context():
        goal = Goal(owner_id=owner_id, title=title, status="active", visibility="shared")
        db.session.add(goal)
        db.session.commit()
        return goal.id, goal.version


def test_post_over_the_body_limit_signed_out_answers_a_readable_413(client):
    """A 2 MB+ body to the sign-in form is a 413 page saying what to do, not a 500."""
    response = client.post("/auth/login", data={"email": TOO_LARGE})
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "What you sent is too large" in html and "at most 2 MB" in html


def test_post_over_the_body_limit_signed_in_answers_413_in_their_language(client, make_user):
    """A French speaker posting too much to their profile reads the 413 page in French."""
    person = make_user("fr@example.org", language="fr")
    client.login(person.email)
    response = client.post("/profile", data={"name": TOO_LARGE})
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Ce que vous avez envoyé est trop volumineux" in html and "2 MB" in html


@pytest.mark.parametrize("version", ["abc", "1e5", "1.0", TWENTY_DIGITS, "-1"])
def test_malformed_version_on_an_edit_form_answers_400(app, client, employee, version):
    """A version no page sends (non-numeric, out of range) is refused, the goal unchanged."""
    goal_id, _version = _goal(app, employee.id)
    client.login(employee.email)
    response = client.post_form(f"/goals/{goal_id}/edit", {
        "title": "Renamed", "visibility": "shared", "version": version})
    assert response.status_code == 400
    assert "cannot be used" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Goal, goal_id).title == "Lead QI meetings"


@pytest.mark.parametrize("token", ["x" * 65, "a b", "é"])
def test_malformed_form_token_answers_400(client, employee, token):
    """A one-time form token that no page sends is a 400, not a database error."""
    client.login(employee.email)
    response = client.post_form("/goals/new", {"title": "A new goal", "visibility": "shared",
                                               "token": token})
    assert response.status_code == 400


def test_token_of_another_form_answers_400(app, client, employee):
    """A check-in's token copied into the new-goal form does not stand for a goal."""
    goal_id, _version = _goal(app, employee.id)
    client.login(employee.email)
    assert client.post_form(f"/goals/{goal_id}/checkins", {
        "on": date.today().isoformat(), "note": "Progress", "progress": "50",
        "token": "checkin-token"}).status_code == 302
    response = client.post_form("/goals/new", {"title": "A new goal", "visibility": "shared",
                                               "token": "checkin-token"})
    assert response.status_code == 400


@pytest.mark.parametrize("url", [f"/goals/{TWENTY_DIGITS}", "/sessions/2147483648",
                                 "/people/2147483648",
                                 f"/occurrences/{TWENTY_DIGITS}/reflection"])
def test_ids_past_the_column_range_answer_404(client, hr, url):
    """An id no integer column can hold matches no route: 404 on every database."""
    client.login(hr.email)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [f"/people?page={TWENTY_DIGITS}", f"/people?team={TWENTY_DIGITS}",
                                 "/people?level=-1", "/people?page=0",
                                 f"/lessons?skill={TWENTY_DIGITS}", "/lessons?page=abc",
                                 "/insights?team=2147483648",
                                 f"/insights/people?page={TWENTY_DIGITS}"])
def test_numeric_query_parameters_out_of_range_answer_400(client, hr, url):
    """A filter or page number that is not a number in range is a 400 page that says so."""
    client.login(hr.email)
    response = client.get(url)
    assert response.status_code == 400
    assert "number out of range" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/people?q=a%00b", "/lessons?q=%00", "/calendar/a%00b.ics"])
def test_nul_in_the_address_answers_400(client, hr, url):
    """A NUL in a query string or path never reaches the database."""
    client.login(hr.email)
    assert client.get(url).status_code == 400


def test_nul_in_sign_in_email_is_a_field_error(client, employee):
    """The sign-in form names the NUL by the e-mail field and keeps the address typed."""
    response = client.login("employee\x00@example.org")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert NUL_EN in field_error(html, "email")
    assert 'value="employee\x00@example.org"' in html


def test_nul_in_sign_in_email_is_explained_in_french(client, employee):
    """A French browser reads the NUL message in French."""
    client.set_cookie("pdplanner_lang", "fr")
    response = client.login("employee\x00@example.org")
    assert NUL_FR in field_error(response.get_data(as_text=True), "email")


def test_nul_in_goal_title_is_a_field_error_with_the_text_kept(app, client, employee):
    """A NUL in a new goal's title is refused by the field; nothing is written."""
    client.login(employee.email)
    response = client.post_form("/goals/new", {"title": "Lead\x00QI", "why": "Because",
                                               "visibility": "shared"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert NUL_EN in field_error(html, "title")
    assert "Because</textarea>" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Goal)) == 0


def test_nul_in_a_comment_is_a_field_error(app, client, employee):
    """A comment with a NUL is refused by its field."""
    goal_id, _version = _goal(app, employee.id)
    client.login(employee.email)
    response = client.post_form(f"/goals/{goal_id}/comments", {"text": "Good\x00work"})
    assert response.status_code == 422
    assert NUL_EN in field_error(response.get_data(as_text=True), "text")


def test_nul_in_profile_name_is_a_field_error_in_the_users_language(app, client, make_user):
    """A French speaker's profile refuses a NUL in their name, in French; the name stays."""
    person = make_user("fr@example.org", "Awa", language="fr")
    client.login(person.email)
    response = client.post_form("/profile", {"name": "Awa\x00", "language": "fr",
                                             "timezone": ""})
    assert response.status_code == 422
    assert NUL_FR in field_error(response.get_data(as_text=True), "name")
    with app.app_context():
        assert db.session.get(User, person.id).name == "Awa"


@pytest.mark.parametrize(("body", "status"), [
    ({"title": 12345, "visibility": "shared"}, 302), ({"title": None}, 422),
    ({"title": {"a": 1}}, 400), ([1, 2], 400), ("a goal", 400), (5, 400)])
def test_json_body_is_read_as_text_fields_or_refused(client, employee, body, status):
    """A JSON post is a form of text fields; numbers are text, nesting or a non-object 400."""
    client.login(employee.email)
    response = client.post("/goals/new", json=body,
                           headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == status


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize(("text", "line", "reason"), [
    (HEADER + "a@example.org,A,,,,,\n" + "b@example.org," + "B" * 200_000 + ",,,,,\n", 3,
     "cannot be read"),
    (HEADER + "a@example.org,A,,,,,\n" + "b@example.org,B" + "b" * 300 + ",,,,,\n", 3,
     "longer than 254"),
    (HEADER + "a@example.org,A,,,,,\nb@example.org,B\x00b,,,,,\n", 3, "control character"),
    (HEADER.replace("\n", "\r") + "a@example.org,A,,,,,\rnot-an-email,B,,,,,\r", 3,
     "valid e-mail"),
], ids=["200kB-field", "long-field", "nul-in-name", "cr-only"])
def test_unreadable_import_line_is_named_and_nothing_is_imported(app, client, admin, text,
                                                                  line, reason):
    """A huge field, a NUL or a bad line in a CR-only file: its line number, nothing written."""
    client.login(admin.email)
    before = _count(app)
    response = _upload(client, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Line {line}:" in html and reason in html
    assert _count(app) == before


def test_import_of_a_cr_only_file_reads_every_line(app, client, admin):
    """Old spreadsheet exports end lines with CR alone; each line is a person."""
    client.login(admin.email)
    response = _upload(client, HEADER.replace("\n", "\r")
                       + "a@example.org,Ann,,,,,\rb@example.org,Bob,,,,,\r")
    assert response.status_code == 302
    with app.app_context():
        names = set(db.session.scalars(select(User.name)))
    assert {"Ann", "Bob"} <= names


def test_import_with_an_unreadable_header_is_a_field_error(app, client, admin):
    """A header line csv cannot read is reported by the file field, nothing written."""
    client.login(admin.email)
    before = _count(app)
    response = _upload(client, "email,name," + "n" * 200_000 + "\n")
    assert response.status_code == 422
    assert "Line 1 cannot be read" in field_error(response.get_data(as_text=True), "file")
    assert _count(app) == before


def test_command_line_refuses_a_name_longer_than_its_column(app):
    """`pdplanner users create --name` with 121 characters: a message, no person, no trace."""
    from pdplanner.cli import main

    result = app.test_cli_runner().invoke(main, ["users", "create", "long@example.org",
                                                 "--name", "N" * 121, "--link"])
    assert result.exit_code == 1 and "Name must be 1 to 120 characters" in result.output
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(email="long@example.org")) is None
