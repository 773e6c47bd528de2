"""Faults: a failing request writes nothing, databases recover, double submits are harmless."""

import os

import pytest
from sqlalchemy import func, select, text

from pdplanner import create_app
from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.extensions import db


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_error_500_rolls_back_and_leaks_nothing(app, client, monkeypatch):
    """A crash half-way through a write leaves nothing behind and shows a plain page."""

    def half_write():
        db.session.add(User(email="half@example.org", name="Half"))
        db.session.flush()
        raise RuntimeError("boom /secret/path")

    app.add_url_rule("/crash", "crash", half_write)
    monkeypatch.setitem(policy.ROUTES, "crash", policy.PUBLIC)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    before = _count(app)
    response = client.get("/crash")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "boom" not in html and "/secret/path" not in html and "Traceback" not in html
    assert _count(app) == before
    assert client.get("/auth/login").status_code == 200


def test_sqlite_runs_in_wal_with_busy_timeout(tmp_path):
    """File databases use WAL, a busy timeout and enforced foreign keys."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'wal.db'}")
    with app.app_context():
        connection = db.session.connection()
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_double_submitted_new_person_creates_one_record(app, client, hr):
    """Pressing "Save" twice adds the person once; the second gets a clear message."""
    client.login(hr.email)
    form = {"name": "Double", "email": "double@example.org", "language": "", "timezone": "",
            "team_id": "", "level_id": "", "supervisor_id": ""}
    first = client.post_form("/people/new", form)
    second = client.post_form("/people/new", form)
    assert first.status_code == 302 and second.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).filter_by(
            email="double@example.org")) == 1


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_postgresql_connections_killed_between_requests(app, client, employee):
    """After the server drops every connection, the next request still works."""
    client.login(employee.email)
    assert client.get("/profile").status_code == 200
    with app.app_context():
        killer = db.engine.connect()
        killer.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        killer.commit()
        killer.close()
    assert client.get("/profile").status_code == 200


def test_full_sqlite_disk_answers_503_and_writes_nothing(tmp_path):
    """When the database file cannot grow, the save answers 503 and nothing half-lands."""
    import sqlite3

    from tests.conftest import PASSWORD, Client

    path = tmp_path / "full.db"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.test_client_class = Client
    cap = {"pages": None}

    @app.before_request
    def cap_database_size():
        # Every connection the app uses gets the cap: the "disk" is full for it too.
        if cap["pages"]:
            db.session.execute(text(f"PRAGMA max_page_count = {cap['pages']}"))

    with app.app_context():
        from pdplanner.accounts.models import Organisation
        from pdplanner.security import hash_password

        db.create_all()
        db.session.add(Organisation(name="Org"))
        db.session.add(User(email="hr@example.org", name="HR", is_hr=True,
                            password_hash=hash_password(PASSWORD)))
        db.session.commit()
    client = app.test_client()
    client.login("hr@example.org")
    token = client.csrf_token()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    # Fill the file up to a fixed size so the next person cannot be written.
    filler = sqlite3.connect(path)
    cap["pages"] = filler.execute("PRAGMA page_count").fetchone()[0] + 2
    filler.execute(f"PRAGMA max_page_count = {cap['pages']}")
    n = 0
    try:
        while n < 10000:
            filler.execute("INSERT INTO user_account (email, name, is_hr, is_admin, active, "
                           "session_version, failed_logins, created_at, version) VALUES "
                           "(?, ?, 0, 0, 1, 1, 0, '2026-01-01', 1)",
                           (f"filler{n}@example.org", "F" * 100))
            filler.commit()
            n += 1
    except sqlite3.OperationalError as error:
        assert "full" in str(error)
    finally:
        filler.close()
    before = _count(app)
    response = client.post("/people/new", data={
        "csrf_token": token, "name": "N" * 100, "email": "big@example.org",
        "language": "", "timezone": "", "team_id": "", "level_id": "",
        "supervisor_id": ""})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Nothing was saved" in response.get_data(as_text=True)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert _count(app) == before
