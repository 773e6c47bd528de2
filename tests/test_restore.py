"""`pdplanner restore` never destroys: bad backups are refused before anything is replaced."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import select, text

from pdplanner import backup as backups
from pdplanner import create_app
from pdplanner.accounts.models import User
from pdplanner.cli import main
from pdplanner.extensions import db
from tests.conftest import shared_database_url

POSTGRESQL = bool(os.environ.get("TEST_DATABASE_URL"))
pytestmark = pytest.mark.skipif(POSTGRESQL and shutil.which("pg_dump") is None,
                                reason="restoring PostgreSQL needs pg_dump and pg_restore")


def _wipe() -> None:
    """Drop every table, Alembic's too, and the schema a foreign dump was made from."""
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if POSTGRESQL:
            connection.execute(text("DROP SCHEMA IF EXISTS other_app CASCADE"))


@pytest.fixture
def live(tmp_path) -> Iterator[Flask]:
    """An installation at the newest migration holding one person, kept@example.org."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI=shared_database_url(tmp_path))
    with app.app_context():
        _wipe()
        upgrade()
        db.session.add(User(email="kept@example.org", name="Kept"))
        db.session.commit()
    yield app
    with app.app_context():
        _wipe()
        db.engine.dispose()


def _url(app: Flask) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


def _emails(app: Flask) -> set[str]:
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
        db.session.remove()
        return emails


def _restore(app: Flask, path: Path):
    return app.test_cli_runner().invoke(main, ["restore", str(path), "--yes"])


def _good_backup(app: Flask, path: Path) -> Path:
    """Back the live database up to `path`."""
    with app.app_context():
        db.session.remove()
    backups.backup(_url(app), str(path))
    return path


def _with_revision(app: Flask, path: Path, revision: str) -> Path:
    """Make a backup whose database says it is at `revision`."""
    if not POSTGRESQL:
        _good_backup(app, path)
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        connection.close()
        return path
    with app.app_context(), db.engine.begin() as connection:
        real = connection.scalar(text("SELECT version_num FROM alembic_version"))
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    _good_backup(app, path)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": real})
    return path


def _foreign(app: Flask, path: Path) -> Path:
    """Make a backup of another application's database."""
    if not POSTGRESQL:
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
            connection.execute("INSERT INTO invoice (total) VALUES (12.5)")
        connection.close()
        return path
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("CREATE SCHEMA other_app"))
        connection.execute(text("CREATE TABLE other_app.invoice (id int, total numeric)"))
    libpq = _url(app).replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(["pg_dump", "-Fc", "-n", "other_app", "-f", str(path), libpq], check=True)
    return path


def _corrupt(app: Flask, path: Path) -> Path:
    """Make a good backup, then write garbage over part of its data."""
    data = bytearray(_good_backup(app, path).read_bytes())
    start = len(data) * 2 // 3 if POSTGRESQL else 4096
    data[start:start + 8192] = random.Random(3).randbytes(min(8192, len(data) - start))
    path.write_bytes(bytes(data))
    return path


def _bytes(content: bytes):
    """Make a backup file holding exactly `content`."""

    def make(app: Flask, path: Path) -> Path:
        path.write_bytes(content)
        return path

    return make


BAD_BACKUPS = {
    "empty file": _bytes(b""),
    "random bytes": _bytes(random.Random(1).randbytes(20000)),
    "another application's database": _foreign,
    "unknown (newer) revision": lambda app, path: _with_revision(app, path, "ffffffffffff"),
    "damaged backup": _corrupt,
}
REASONS = {
    "empty file": "is empty",
    "random bytes": "not a",
    "another application's database": "not a pdplanner database",
    "unknown (newer) revision": "ffffffffffff, which this version of pdplanner does not know",
    "damaged backup": "damaged",
}


@pytest.mark.parametrize("kind", BAD_BACKUPS)
def test_a_bad_backup_is_refused_and_the_data_kept(live, tmp_path, kind):
    """Each kind of bad backup: a clear refusal, a non-zero exit, every record intact."""
    path = BAD_BACKUPS[kind](live, tmp_path / "bad.backup")
    result = _restore(live, path)
    assert result.exit_code == 1, result.output
    assert "Nothing restored" in result.output and REASONS[kind] in result.output
    assert "Restored." not in result.output
    assert _emails(live) == {"kept@example.org"}


def test_a_good_backup_restores(live, tmp_path):
    """A backup made by `pdplanner backup` brings the data back as it was."""
    path = _good_backup(live, tmp_path / "good.backup")
    with live.app_context():
        db.session.add(User(email="later@example.org", name="Later"))
        db.session.commit()
    result = _restore(live, path)
    assert result.exit_code == 0 and "Restored." in result.output
    assert _emails(live) == {"kept@example.org"}
    assert not list(tmp_path.glob("*.before-restore*"))


def test_a_backup_of_an_older_migration_restores_and_upgrades(live, tmp_path):
    """An older version's backup is restored exactly (no newer table left) and upgrades."""
    with live.app_context():
        older = backups._script().get_revision(backups.head_revision()).down_revision
        db.session.remove()
        downgrade(revision=older)
    path = _good_backup(live, tmp_path / "older.backup")
    with live.app_context():
        upgrade()
    result = _restore(live, path)
    assert result.exit_code == 0 and "pdplanner db upgrade" in result.output
    with live.app_context():
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == older
        db.session.remove()
        upgrade()
        check()
    assert _emails(live) == {"kept@example.org"}


def _fails_midway(app: Flask, path: Path, monkeypatch) -> Path:
    """Make a backup that passes every check but breaks while it is being restored.

    PostgreSQL: a table's definition in the dump no longer parses, so pg_restore stops
    after dropping and restoring part of it. SQLite: the copy stops as a full disk would.
    """
    _good_backup(app, path)
    if POSTGRESQL:
        data = path.read_bytes()
        ddl = b"CREATE TABLE public.user_account ("
        assert ddl in data
        path.write_bytes(data.replace(ddl, b"CREATE TABLE \xff\xfe" + b"x" * (len(ddl) - 15)))
        return path
    real_copy = backups._copy_sqlite

    def copy_then_fail(source: str, target: str) -> None:
        real_copy(source, target)
        if source == str(path):
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backups, "_copy_sqlite", copy_then_fail)
    return path


def test_a_restore_that_fails_midway_puts_the_database_back(live, tmp_path, monkeypatch):
    """A restore that breaks after replacing part of the data leaves the old data in place."""
    path = _fails_midway(live, tmp_path / "breaks.backup", monkeypatch)
    with live.app_context():
        db.session.add(User(email="later@example.org", name="Later"))
        db.session.commit()
        db.session.remove()
    result = _restore(live, path)
    assert result.exit_code == 1 and "the database is as it was" in result.output
    assert _emails(live) == {"kept@example.org", "later@example.org"}
