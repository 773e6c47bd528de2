"""Consistent backups and restores: SQLite online backup API, or pg_dump/pg_restore."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


def _sqlite_path(url) -> str:
    """Return the file of a SQLite URL, refusing in-memory databases."""
    if not url.database or url.database == ":memory:":
        raise ValueError("an in-memory database cannot be backed up")
    return url.database


def _libpq_url(url) -> str:
    """Turn a SQLAlchemy PostgreSQL URL into one libpq tools accept."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup(database_url: str, target: str) -> None:
    """Write a consistent copy of the database to `target`, even while writes happen."""
    url = make_url(database_url)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        dest = sqlite3.connect(target)
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", target, _libpq_url(url)],
                       check=True)
    else:
        raise ValueError(f"no backup method for {url.get_backend_name()}")


def restore(database_url: str, source: str) -> None:
    """Replace the database's content with the backup in `source`."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(source)
        dest = sqlite3.connect(_sqlite_path(url))
        try:
            with dest:
                src.backup(dest)
        finally:
            dest.close()
            src.close()
    elif url.get_backend_name() == "postgresql":
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "-d",
                        _libpq_url(url), source], check=True)
    else:
        raise ValueError(f"no restore method for {url.get_backend_name()}")
