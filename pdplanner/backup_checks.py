"""Tell whether a file is a pdplanner backup this code can restore, before replacing anything."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from urllib.parse import quote

#: Tables every pdplanner database has had since its first migration.
CORE_TABLES = {"alembic_version", "organisation", "team", "level", "user_account"}
SQLITE_HEADER = b"SQLite format 3\x00"
#: A table in `pg_restore --list`: "ID; OID OID TABLE schema name owner" (not TABLE DATA).
PG_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+)", re.M)


class RestoreRefused(Exception):
    """The backup cannot be restored here; the database was left as it was."""


def _not_empty(path: str) -> None:
    """Refuse a missing or empty file."""
    try:
        size = os.path.getsize(path)
    except OSError as error:
        raise RestoreRefused(f"{path} cannot be read ({error.strerror})") from None
    if size == 0:
        raise RestoreRefused(f"{path} is empty")


def _known_revision(revisions: list[str], known: set[str]) -> str:
    """Return the one recorded migration revision if this code knows it."""
    if len(revisions) != 1:
        raise RestoreRefused("it records no migration revision: it is not a complete "
                             "pdplanner database")
    revision = revisions[0]
    if revision not in known:
        raise RestoreRefused(f"it is at migration {revision}, which this version of "
                             "pdplanner does not know (made by a newer version, or by "
                             "another application); restore it with the version that made it")
    return revision


def _core_tables(tables: set[str]) -> None:
    """Refuse a database that lacks pdplanner's tables (another application's)."""
    missing = sorted(CORE_TABLES - tables)
    if missing:
        raise RestoreRefused("it is not a pdplanner database (no table "
                             f"{', '.join(missing)})")


def check_sqlite_backup(path: str, known: set[str]) -> str:
    """Check a SQLite backup: header, integrity, tables, known revision; return it."""
    _not_empty(path)
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise RestoreRefused(f"{path} is not a SQLite database")
    try:
        connection = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise RestoreRefused(f"{path} is damaged ({problems[0]})")
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            _core_tables(tables)
            revisions = [row[0] for row in connection.execute(
                "SELECT version_num FROM alembic_version")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise RestoreRefused(f"{path} is damaged or not a database ({error})") from None
    return _known_revision(revisions, known)


def _pg(*args: str) -> subprocess.CompletedProcess:
    """Run pg_restore on an archive, without a database, and capture what it says."""
    try:
        return subprocess.run(["pg_restore", *args], capture_output=True, text=True,
                              errors="replace")
    except FileNotFoundError:
        raise RestoreRefused("pg_restore is not installed") from None


def first_line(text: str) -> str:
    """Return the first line of a tool's complaint."""
    return (text.strip().splitlines() or ["no reason given"])[0]


def _tables_in(listing: str) -> set[str]:
    """Return the tables of schema public named in a `pg_restore --list`."""
    return {name for schema, name in PG_TABLE.findall(listing) if schema == "public"}


def pg_dump_tables(path: str) -> set[str]:
    """Return the tables a (checked) pg_dump archive holds."""
    return _tables_in(_pg("--list", path).stdout)


def check_pg_dump(path: str, known: set[str]) -> str:
    """Check a pg_dump -Fc archive: table of contents, tables, revision, every block."""
    _not_empty(path)
    listing = _pg("--list", path)
    if listing.returncode:
        raise RestoreRefused(f"{path} is not a pg_dump archive, or it is damaged "
                             f"({first_line(listing.stderr)})")
    _core_tables(_tables_in(listing.stdout))
    data = _pg("--data-only", "--table=alembic_version", "-f", "-", path)
    copied = re.search(r"^COPY \S*alembic_version .*?;\n(.*?)^\\\.$", data.stdout, re.M | re.S)
    revisions = copied.group(1).split() if copied else []
    revision = _known_revision(revisions, known)
    whole = _pg("-f", os.devnull, path)  # reads every data block: a damaged one fails here
    if whole.returncode:
        raise RestoreRefused(f"{path} is damaged ({first_line(whole.stderr)})")
    return revision
