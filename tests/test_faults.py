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
