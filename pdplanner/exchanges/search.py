"""Search lessons by words in English and French, accents folded, on SQLite and PostgreSQL.

SQLite: an FTS5 table (porter stemming over accent-free text) kept beside `lesson`.
PostgreSQL: full-text search with the English and French stemmers over the folded text.
The user's words are always passed as bound parameters or quoted FTS terms, never as syntax.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import DDL, event, func, or_, select, text

from pdplanner.exchanges.models import Lesson
from pdplanner.extensions import db

FTS_CREATE = ("CREATE VIRTUAL TABLE IF NOT EXISTS lesson_fts USING fts5("
              "search_text, tokenize = 'porter unicode61 remove_diacritics 2')")


def fold(value: str | None) -> str:
    """Return lower-case text without accents ("Sécurité" → "securite")."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(query: str) -> list[str]:
    """Split a search into plain words (letters and digits only)."""
    return re.findall(r"\w+", fold(query))[:12]


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def index(lesson: Lesson) -> None:
    """Refresh a lesson's entry in the SQLite index (PostgreSQL indexes the column itself)."""
    if not _is_sqlite():
        return
    db.session.execute(text("DELETE FROM lesson_fts WHERE rowid = :id"), {"id": lesson.id})
    if lesson.deleted_at is None:
        db.session.execute(text("INSERT INTO lesson_fts (rowid, search_text) VALUES (:id, :t)"),
                           {"id": lesson.id, "t": lesson.search_text})


def matching(query: str):
    """Return a WHERE clause for lessons matching every word of `query` (or None)."""
    terms = words(query)
    if not terms:
        return None
    if _is_sqlite():
        # Each word becomes a quoted prefix term: no FTS operator can be injected.
        expression = " ".join(f'"{term}"*' for term in terms)
        ids = select(text("rowid")).select_from(text("lesson_fts")).where(
            text("lesson_fts MATCH :fts")).params(fts=expression)
        return Lesson.id.in_(ids.scalar_subquery())
    joined = " ".join(terms)
    clauses = [func.to_tsvector(config, Lesson.search_text).op("@@")(
        func.plainto_tsquery(config, joined)) for config in ("simple", "english", "french")]
    prefix = func.to_tsvector("simple", Lesson.search_text).op("@@")(
        func.to_tsquery("simple", " & ".join(f"{term}:*" for term in terms)))
    return or_(*clauses, prefix)


@event.listens_for(Lesson.__table__, "after_create")
def _create_fts(target, connection, **kw):
    """Create the SQLite FTS table alongside `lesson` (create_all and tests)."""
    if connection.dialect.name == "sqlite":
        connection.execute(DDL(FTS_CREATE))


@event.listens_for(Lesson.__table__, "before_drop")
def _drop_fts(target, connection, **kw):
    """Drop the SQLite FTS table with `lesson`."""
    if connection.dialect.name == "sqlite":
        connection.execute(DDL("DROP TABLE IF EXISTS lesson_fts"))
