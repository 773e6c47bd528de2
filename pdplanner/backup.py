"""Consistent backups and restores: SQLite online backup API, or pg_dump/pg_restore.

A restore never destroys: the backup is checked first (a database of pdplanner, at a
migration this code knows, undamaged), and the database it replaces is copied aside until
the restore has finished, then put back if the restore fails.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from pdplanner import paths
from pdplanner.backup_checks import RestoreRefused, check_pg_dump, check_sqlite_backup
from pdplanner.backup_pg import restore_postgresql

__all__ = ["RestoreRefused", "backup", "check", "head_revision", "restore"]


def _sqlite_path(url) -> str:
    """Return the file of a SQLite URL, refusing in-memory databases."""
    if not url.database or url.database == ":memory:":
        raise ValueError("an in-memory database cannot be backed up")
    return url.database


def _libpq_url(url) -> str:
    """Turn a SQLAlchemy PostgreSQL URL into one libpq tools accept."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _copy_sqlite(source: str, target: str) -> None:
    """Copy a SQLite database page by page with the online backup API."""
    src = sqlite3.connect(f"file:{quote(source)}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        with dest:
            src.backup(dest)
    finally:
        dest.close()
        src.close()


def backup(database_url: str, target: str) -> None:
    """Write a consistent copy of the database to `target`, even while writes happen."""
    url = make_url(database_url)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(_sqlite_path(url), target)
    elif url.get_backend_name() == "postgresql":
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", target, _libpq_url(url)],
                       check=True)
    else:
        raise ValueError(f"no backup method for {url.get_backend_name()}")


def _script():
    """Return Alembic's view of the migrations this code ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(paths.resource_dir("migrations")))


def head_revision() -> str:
    """Return the newest migration this code knows."""
    return _script().get_current_head()


def check(database_url: str, source: str) -> str:
    """Return the backup's migration revision, or raise RestoreRefused saying why."""
    known = {script.revision for script in _script().walk_revisions()}
    backend = make_url(database_url).get_backend_name()
    if backend == "sqlite":
        return check_sqlite_backup(source, known)
    if backend == "postgresql":
        return check_pg_dump(source, known)
    raise ValueError(f"no restore method for {backend}")


def restore(database_url: str, source: str) -> str:
    """Replace the database's content with a checked backup; return its revision."""
    revision = check(database_url, source)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _restore_sqlite(_sqlite_path(url), source)
    else:
        restore_postgresql(_libpq_url(url), source)
    return revision


def _restore_sqlite(database: str, source: str) -> None:
    """Copy the backup over the database, keeping the old one aside until it is done."""
    kept = Path(f"{database}.before-restore")
    if Path(database).exists():
        _copy_sqlite(database, str(kept))
    try:
        _copy_sqlite(source, database)
    except BaseException as error:
        if kept.exists():
            _copy_sqlite(str(kept), database)  # if this fails too, the copy stays for you
        _discard(kept)
        if isinstance(error, Exception):
            raise RestoreRefused(f"the restore failed ({error}); the database is as it "
                                 "was") from error
        raise
    _discard(kept)


def _discard(kept: Path) -> None:
    """Delete the copy kept aside (and the WAL files SQLite may have left beside it)."""
    for path in (kept, Path(f"{kept}-wal"), Path(f"{kept}-shm")):
        path.unlink(missing_ok=True)
