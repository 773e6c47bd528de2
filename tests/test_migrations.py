"""Migrations: upgrade, downgrade and upgrade again on a populated database; no drift."""

import os
import shutil

import pytest
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect, select, text

from pdplanner import create_app, demo
from pdplanner.accounts.models import User
from pdplanner.extensions import db


@pytest.fixture
def empty_app(tmp_path):
    """An app on an empty database: a SQLite file, or TEST_DATABASE_URL wiped clean."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'migrate.db'}"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        _wipe()
    yield app
    with app.app_context():
        _wipe()
        db.engine.dispose()


def _wipe():
    """Drop every table, including Alembic's bookkeeping."""
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_gives_the_models_schema(empty_app):
    """`db upgrade` on an empty database builds exactly what the models describe."""
    with empty_app.app_context():
        upgrade()
        check()  # raises if autogenerate would find any difference
        tables = set(inspect(db.engine).get_table_names())
    assert {"user_account", "team", "level", "organisation", "alignment"} <= tables


def test_downgrade_and_upgrade_again_on_populated_database(empty_app):
    """Upgrade, seed, downgrade to nothing, upgrade again: it all works."""
    with empty_app.app_context():
        upgrade()
        demo.seed()
        assert db.session.scalar(select(User).limit(1)) is not None
        db.session.remove()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() in ([], ["alembic_version"])
        upgrade()
        check()
        demo.seed()
        assert db.session.scalar(select(User).limit(1)) is not None


def test_migration_files_are_date_prefixed():
    """Migration scripts are named YYYYMMDD_<rev>_<slug>.py, read and kept in order."""
    from pathlib import Path

    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    names = [p.name for p in versions.glob("*.py")]
    assert names and all(n[:8].isdigit() and n[8] == "_" for n in names)


@pytest.mark.skipif(shutil.which("pg_dump") is None or not os.environ.get("TEST_DATABASE_URL"),
                    reason="PostgreSQL backup needs TEST_DATABASE_URL and pg_dump")
def test_backup_and_restore_postgresql(empty_app, tmp_path):
    """pg_dump -Fc then pg_restore brings back the data as it was."""
    from pdplanner.backup import backup, restore

    url = empty_app.config["SQLALCHEMY_DATABASE_URI"]
    with empty_app.app_context():
        upgrade()
        db.session.add(User(email="kept@example.org", name="Kept"))
        db.session.commit()
        db.session.remove()
        backup(url, str(tmp_path / "pg.dump"))
        db.session.add(User(email="later@example.org", name="Later"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
        restore(url, str(tmp_path / "pg.dump"))
        emails = set(db.session.scalars(select(User.email)))
    assert emails == {"kept@example.org"}


def test_private_notes_migrate_to_their_author(empty_app):
    """Each existing private note goes to whoever last saved the session's notes (else its
    supervisor); going back restores only the notes of each session's supervisor."""
    people = "INSERT INTO user_account (id, email, name, is_hr, is_admin, active, " \
             "session_version, failed_logins, created_at, version) VALUES " \
             "(:id, :email, :email, false, false, true, 0, 0, :at, 1)"
    session = "INSERT INTO supervision_session (id, supervisor_id, report_id, starts_at, " \
              "duration_minutes, status, missed_reason, shared_notes, private_notes, " \
              "created_at, version) VALUES (:id, :boss, 3, :starts, 60, 'planned', '', '', " \
              ":note, :at, 1)"
    at = "2026-12-01 10:00:00+00:00"
    with empty_app.app_context():
        upgrade(revision="685f8934e04a")
        with db.engine.begin() as connection:
            for user_id, email in ((1, "old@x.org"), (2, "new@x.org"), (3, "report@x.org")):
                connection.execute(text(people), {"id": user_id, "email": email, "at": at})
            # Session 10 moved from the old supervisor (who wrote its note) to the new one.
            for session_id, note in ((10, "old's note"), (11, "new's note"), (12, "")):
                connection.execute(text(session), {
                    "id": session_id, "boss": 2, "note": note, "at": at,
                    "starts": f"2026-12-{session_id} 10:00:00+00:00"})
            connection.execute(text(
                "INSERT INTO audit_event (at, actor_id, action, subject, detail) VALUES "
                "(:at, 1, 'session.notes', 'session:10', '')"), {"at": at})
            connection.execute(text(
                "INSERT INTO agenda_item (session_id, author_id, text, covered, created_at) "
                "VALUES (10, 3, 'A point', false, :at)"), {"at": at})
        upgrade(revision="3824e40bdf43")
        with db.engine.connect() as connection:
            notes = connection.execute(text(
                "SELECT session_id, author_id, text FROM session_private_note "
                "ORDER BY session_id")).all()
            points = connection.execute(text("SELECT count(*) FROM agenda_item")).scalar()
        assert [tuple(n) for n in notes] == [(10, 1, "old's note"), (11, 2, "new's note")]
        assert points == 1  # the sessions' other records survive the change of table
        downgrade(revision="685f8934e04a")
        with db.engine.connect() as connection:
            back = connection.execute(text(
                "SELECT id, private_notes FROM supervision_session ORDER BY id")).all()
        assert [tuple(b) for b in back] == [(10, ""), (11, "new's note"), (12, "")]
