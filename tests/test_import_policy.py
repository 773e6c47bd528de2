"""The staff import, on the web and the command line, answers to the person page's policy."""

import io

import pytest
from sqlalchemy import select

from pdplanner.accounts.models import Level, Team, User
from pdplanner.cli import main
from pdplanner.extensions import db

HEADER = "email,name,team,level,supervisor_email,language,roles,is_admin,active,supervisor_id\n"
OK, REFUSED = "ok", "refused"
#: Each row (line 2 of the file) and what HR and an admin get for it, as on the person page.
CASES = {
    "rename_admin": ("second.admin@example.org,Renamed,,,,,admin", REFUSED, OK),
    "move_admin_to_a_supervisor": (
        "second.admin@example.org,Second Admin,,,boss@example.org,,admin", REFUSED, OK),
    "set_admin_team_and_level": (
        "second.admin@example.org,Second Admin,QI,Field staff,,,admin", REFUSED, OK),
    "change_admin_language": ("second.admin@example.org,Second Admin,,,,fr,admin", REFUSED, OK),
    "grant_hr": ("plain@example.org,Plain,,,,,hr", REFUSED, OK),
    "grant_admin_to_someone_new": ("new@example.org,New,,,,,admin", REFUSED, OK),
    "remove_hr": ("hr2@example.org,HR Two,,,,,", REFUSED, OK),
    "remove_own_admin_role": ("admin@example.org,Ada Admin,,,,,", REFUSED, REFUSED),
    "admin_row_unchanged": ("second.admin@example.org,Second Admin,,,,,admin", OK, OK),
    "rename_employee": ("plain@example.org,Plain Renamed,,,,,", OK, OK),
    # Extra columns named like fields of the record are ignored, never applied.
    "extra_columns_change_nothing_else": ("plain@example.org,Plain,,,,,,y,0,1", OK, OK),
}
STAFF = ["owner", "other_employee", "supervisor", "other_supervisor"]


@pytest.fixture
def org(app, make_user):
    """The matrix's people, a second admin, another HR person, a plain employee, QI."""
    boss = make_user("boss@example.org", "Boss")
    other_boss = make_user("otherboss@example.org", "Other boss")
    people = {"supervisor": boss, "other_supervisor": other_boss,
              "owner": make_user("owner@example.org", "Owner", supervisor_id=boss.id),
              "other_employee": make_user("other@example.org", "Other",
                                          supervisor_id=other_boss.id),
              "hr": make_user("hr@example.org", "Hawa HR", is_hr=True),
              "admin": make_user("admin@example.org", "Ada Admin", is_admin=True)}
    make_user("second.admin@example.org", "Second Admin", is_admin=True, language="en")
    make_user("hr2@example.org", "HR Two", is_hr=True)
    make_user("plain@example.org", "Plain")
    with app.app_context():
        db.session.add_all([Team(name="QI", kind="team"), Level(name="Field staff", rank=0)])
        db.session.commit()
    return people


def _records(app) -> list[tuple]:
    """Every person's record, as the import could change it."""
    with app.app_context():
        return sorted((u.email, u.name, u.team_id, u.level_id, u.supervisor_id, u.language,
                       u.is_hr, u.is_admin, u.active) for u in db.session.scalars(select(User)))


def _web(app, make_client, email: str | None, row: str) -> tuple[int, str]:
    """Upload a one-row file as this person (None: signed out)."""
    client = make_client()
    if email:
        client.login(email)
    data = {"file": (io.BytesIO((HEADER + row + "\n").encode()), "staff.csv"),
            "csrf_token": client.csrf_token()}
    response = client.post("/people/import", data=data, content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def _cli(app, tmp_path, email: str, row: str) -> tuple[int, str]:
    """Run `pdplanner users import --as email` on a one-row file."""
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["users", "import", str(path), "--as", email])
    return result.exit_code, result.output


@pytest.mark.parametrize("actor", ["hr", "admin"])
@pytest.mark.parametrize("case", CASES)
def test_web_import_follows_the_person_page_policy(app, make_client, org, case, actor):
    """A row the actor could not make on the person page refuses the whole file, by line."""
    row, for_hr, for_admin = CASES[case]
    before = _records(app)
    status, html = _web(app, make_client, org[actor].email, row)
    if (for_hr if actor == "hr" else for_admin) == OK:
        assert status == 302 and (_records(app) != before) == (case not in (
            "admin_row_unchanged", "extra_columns_change_nothing_else"))
    else:
        assert status == 422 and "Line 2" in html and _records(app) == before


@pytest.mark.parametrize("actor", ["hr", "admin"])
@pytest.mark.parametrize("case", CASES)
def test_cli_import_as_someone_follows_the_person_page_policy(app, org, tmp_path, case, actor):
    """`pdplanner users import --as` gives the same answers as the web page."""
    row, for_hr, for_admin = CASES[case]
    before = _records(app)
    code, output = _cli(app, tmp_path, org[actor].email, row)
    if (for_hr if actor == "hr" else for_admin) == OK:
        assert code == 0, output
    else:
        assert code != 0 and "line 2:" in output and _records(app) == before


@pytest.mark.parametrize("actor", [None, *STAFF])
def test_web_import_is_refused_to_everyone_but_hr(app, make_client, org, actor):
    """Signed out: sent to sign in; staff without HR: 403; nothing imported."""
    before = _records(app)
    status, _html = _web(app, make_client, org[actor].email if actor else None,
                         "plain@example.org,Plain Renamed,,,,,")
    assert status == (302 if actor is None else 403) and _records(app) == before


@pytest.mark.parametrize("actor", [*STAFF, "nobody"])
def test_cli_import_as_someone_without_hr_is_refused(app, org, tmp_path, actor):
    """The command acting for a person who is not HR, or for nobody known, imports nothing."""
    before = _records(app)
    email = org[actor].email if actor in org else "ghost@example.org"
    code, output = _cli(app, tmp_path, email, "plain@example.org,Plain Renamed,,,,,")
    assert code != 0 and email in output and _records(app) == before
