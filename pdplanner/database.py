"""How pdplanner meets its database: SQLite's pragmas, and what migrations leave alone."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Turn on WAL, a busy timeout and foreign keys for every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is durable against application crashes and much faster to commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


#: Search structures written by hand in migrations, which the models do not describe.
HAND_MADE = ("lesson_fts", "ix_lesson_search_simple")


def managed_by_models(obj, name, type_, reflected, compare_to) -> bool:
    """Keep hand-made full-text search tables and indexes out of autogenerate."""
    return not (name or "").startswith(HAND_MADE)
