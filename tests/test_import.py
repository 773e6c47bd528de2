"""Staff CSV import: whole file checked first, every bad row reported, all or nothing."""

import io

from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.extensions import db

HEADER = "email,name,team,level,supervisor_email,language,roles\n"


def _upload(client, text: str, encoding: str = "utf-8", **fields):
    data = {"file": (io.BytesIO(text.encode(encoding)), "staff.csv"), **fields}
    data["csrf_token"] = client.csrf_token()
    return client.post("/people/import", data=data, content_type="multipart/form-data")


def _people(app) -> dict[str, User]:
    with app.app_context():
        people = {u.email: u for u in db.session.scalars(select(User))}
        for person in people.values():
            db.session.expunge(person)
        return people


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_import_creates_people_with_supervisors(app, client, admin, make_team, make_level):
    """A good file creates everyone, with team, level, language and supervisor."""
    make_team("QI"), make_level("Field staff")
    client.login(admin.email)
    response = _upload(client, HEADER
                       + "boss@example.org,Big Boss,QI,,,en,\n"
                       + "worker@example.org,Hard Worker,QI,Field staff,boss@example.org,fr,\n")
    assert response.status_code == 302
    people = _people(app)
    worker = people["worker@example.org"]
    assert worker.language == "fr" and worker.supervisor_id == people["boss@example.org"].id


def test_bad_rows_are_all_reported_and_nothing_is_imported(app, client, admin):
    """Every bad line is listed with its number and reason; no row is written."""
    client.login(admin.email)
    before = _count(app)
    response = _upload(client, HEADER
                       + "good@example.org,Good Person,,,,,\n"
                       + "not-an-email,Bad Email,,,,,\n"
                       + "x@example.org,,Nowhere,,,de,\n"
                       + "good@example.org,Repeat,,,,,\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 3:" in html and "Line 4:" in html and "Line 5:" in html
    assert "Line 2:" not in html
    assert "Unknown team or site" in html and "Language must be en or fr" in html
    assert "repeated from line 2" in html
    assert _count(app) == before


def test_reimport_updates_instead_of_duplicating(app, client, admin):
    """Importing the same person twice updates them."""
    client.login(admin.email)
    _upload(client, HEADER + "same@example.org,First Name,,,,,\n")
    _upload(client, HEADER + "SAME@example.org,Second Name,,,,fr,\n")
    people = _people(app)
    assert people["same@example.org"].name == "Second Name"
    assert sum(1 for e in people if e == "same@example.org") == 1


def test_semicolons_and_bom_are_accepted(app, client, admin):
    """French spreadsheets save with ';' and a BOM."""
    client.login(admin.email)
    text = "\ufeffcourriel;nom;équipe;niveau;superviseur;langue;rôles\n" \
           "fr@example.org;Agent Français;;;;fr;employé\n"
    assert _upload(client, text).status_code == 302
    assert _people(app)["fr@example.org"].name == "Agent Français"


def test_supervisor_loop_in_file_is_refused(app, client, admin):
    """Two people supervising each other is reported, nothing imported."""
    client.login(admin.email)
    before = _count(app)
    response = _upload(client, HEADER + "a@example.org,A,,,b@example.org,,\n"
                       + "b@example.org,B,,,a@example.org,,\n")
    assert "loop" in response.get_data(as_text=True)
    assert _count(app) == before


def test_unknown_supervisor_is_reported(client, admin):
    """A supervisor neither in the file nor in pdplanner is an error."""
    client.login(admin.email)
    html = _upload(client, HEADER + "a@example.org,A,,,ghost@example.org,,\n").get_data(
        as_text=True)
    assert "ghost@example.org is neither in the file nor in pdplanner" in html


def test_hr_cannot_grant_admin_by_import(app, client, hr):
    """Only an admin can hand out roles, even through a file."""
    client.login(hr.email)
    response = _upload(client, HEADER + "sneaky@example.org,Sneaky,,,,,admin\n")
    assert response.status_code == 422
    assert "sneaky@example.org" not in _people(app)


def test_missing_columns_and_wrong_encoding_get_clear_messages(client, admin):
    """A file without an e-mail column, or not UTF-8, is refused by the field."""
    client.login(admin.email)
    html = _upload(client, "name\nSomeone\n").get_data(as_text=True)
    assert "missing: email" in html
    html = _upload(client, HEADER + "é@example.org,Élodie,,,,,\n", "latin-1").get_data(
        as_text=True)
    assert "UTF-8" in html


def test_formula_looking_cells_are_stored_as_text(app, client, admin):
    """A name starting with '=' is kept verbatim as text (exports neutralise it)."""
    client.login(admin.email)
    _upload(client, HEADER + 'f@example.org,"=HYPERLINK(""x"")",,,,,\n')
    assert _people(app)["f@example.org"].name == '=HYPERLINK("x")'


def test_an_import_invites_the_people_it_adds_and_only_them(app, client, admin, make_user,
                                                              smtp_server):
    """Ticked (the default on the page), each new person gets an invitation in their
    language; people updated by the file get none; one line says how many were sent."""
    make_user("known@example.org", "Known Person")
    client.login(admin.email)
    response = _upload(client, HEADER + "known@example.org,Known Person,,,,,\n"
                       + "new.one@example.org,New One,,,,fr,\n"
                       + "new.two@example.org,New Two,,,,en,\n", invite="y")
    assert response.status_code == 302
    page = client.get("/people").get_data(as_text=True)
    assert "Import done: 2 added, 1 updated. 2 invitations sent." in page
    subjects = {m["To"]: m["Subject"] for m in smtp_server.messages}
    assert subjects == {"new.one@example.org": "Ada Admin vous invite sur pdplanner",
                        "new.two@example.org": "Ada Admin invites you to pdplanner"}


def test_an_import_without_the_box_invites_nobody(app, client, admin, smtp_server):
    """Unticked, people are added and HR invites them later from their page."""
    client.login(admin.email)
    assert _upload(client, HEADER + "later@example.org,Later,,,,,\n").status_code == 302
    assert smtp_server.messages == []
