"""How pdplanner meets its database: SQLite's pragmas, and what migrations leave alone."""

import time
from collections.abc import Callable, Iterable

from sqlalchemy import DDL, MetaData, event
from sqlalchemy.engine import Connection, Engine

#: How often a pooled SQLite connection refreshes the query planner's statistics (seconds).
OPTIMIZE_EVERY = 3600.0


def _is_sqlite(dbapi_connection) -> bool:
    return dbapi_connection is not None and \
        type(dbapi_connection).__module__.startswith("sqlite3")


def _optimize(dbapi_connection, connection_record, mask: str = "") -> None:
    """Run SQLite's PRAGMA optimize (usually a no-op; a bounded ANALYZE when stale)."""
    try:
        dbapi_connection.execute(f"PRAGMA optimize{mask}")
    except Exception:  # noqa: BLE001 - statistics are an optimisation; never fail a request
        return
    connection_record.info["optimized_at"] = time.monotonic()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Turn on WAL, a busy timeout and foreign keys for every SQLite connection."""
    if not _is_sqlite(dbapi_connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is durable against application crashes and much faster to commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # SQLite's advice for long-lived connections: a bounded optimize of every table on open,
    # then a plain one now and then (below), so the planner's statistics stay current.
    cursor.execute("PRAGMA analysis_limit=400")
    cursor.close()
    _optimize(dbapi_connection, connection_record, "=0x10002")


@event.listens_for(Engine, "checkin")
def _sqlite_optimize_now_and_then(dbapi_connection, connection_record):
    """Refresh statistics of the tables this pooled connection used, at most hourly."""
    if _is_sqlite(dbapi_connection) and \
            time.monotonic() - connection_record.info.get("optimized_at", 0) >= OPTIMIZE_EVERY:
        _optimize(dbapi_connection, connection_record)


@event.listens_for(Engine, "close")
def _sqlite_optimize_on_close(dbapi_connection, connection_record):
    """Refresh statistics before a connection closes, as SQLite's documentation advises."""
    if _is_sqlite(dbapi_connection):
        _optimize(dbapi_connection, connection_record)


#: Search structures written by hand in migrations, which the models do not describe.
HAND_MADE = ("lesson_fts", "ix_lesson_search_simple")


def managed_by_models(obj, name, type_, reflected, compare_to) -> bool:
    """Keep hand-made full-text search tables and indexes out of autogenerate."""
    return not (name or "").startswith(HAND_MADE)


def triggers_with_the_tables(metadata: MetaData, install: Callable[[Connection], None],
                             postgresql_drops: Callable[[], Iterable[str]]) -> None:
    """Run `install` once `create_all` has made every table (tests, the bench), and the
    statements `postgresql_drops` gives once `drop_all` has dropped them (PostgreSQL keeps a
    trigger's function after its table is gone); migrations install and drop their own."""

    @event.listens_for(metadata, "after_create")
    def _install(target, connection, **kw):
        if connection.dialect.name in ("sqlite", "postgresql"):
            install(connection)

    @event.listens_for(metadata, "after_drop")
    def _uninstall(target, connection, **kw):
        if connection.dialect.name == "postgresql":
            for statement in postgresql_drops():
                connection.execute(DDL(statement))
