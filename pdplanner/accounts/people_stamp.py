"""The people stamp: a number the database bumps whenever someone is added, removed, renamed,
moved to another supervisor, deactivated or reactivated, in the transaction that does it.

What is read from reporting lines (My team's page of a branch) can be kept by each process
under the stamp it was read with; reading the stamp again in the statement that uses the kept
rows tells at once, in every process, whether they still hold. Triggers (not ORM events) keep
it, so bulk statements, imports and any other write path move it too."""

from __future__ import annotations

from sqlalchemy import DDL, BigInteger, Integer, select
from sqlalchemy.orm import Mapped, mapped_column

from pdplanner.database import triggers_with_the_tables
from pdplanner.extensions import db


class PeopleStamp(db.Model):
    """The one row holding the people stamp."""

    __tablename__ = "people_stamp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Bumped by the triggers on user_account below; only ever compared for equality.
    value: Mapped[int] = mapped_column(BigInteger, default=0)


def current():
    """Return a scalar subquery of the stamp, to read in the same statement as what it guards."""
    return select(PeopleStamp.value).where(PeopleStamp.id == 1).scalar_subquery()


#: The columns whose change moves someone in, out or within a branch, or renames them there.
WATCHED = "name, supervisor_id, active"
BUMP = "UPDATE people_stamp SET value = value + 1 WHERE id = 1"

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS people_stamp_{when.split()[0].lower()} AFTER {when} "
    f"ON user_account BEGIN {BUMP}; END"
    for when in ("INSERT", "DELETE", f"UPDATE OF {WATCHED}")]
#: PostgreSQL bumps once per statement (an import of a thousand people bumps it once).
POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION people_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN {BUMP}; RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER people_stamp_change AFTER INSERT OR DELETE OR TRUNCATE OR "
    f"UPDATE OF {WATCHED} ON user_account FOR EACH STATEMENT EXECUTE FUNCTION people_stamp_bump()",
]


def install(connection) -> None:
    """Create the stamp's row and triggers (idempotent: create_all and the migration)."""
    postgresql = connection.dialect.name == "postgresql"
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        connection.execute(DDL(statement))
    connection.execute(DDL("INSERT INTO people_stamp (id, value) SELECT 1, 0 WHERE NOT EXISTS "
                           "(SELECT 1 FROM people_stamp WHERE id = 1)"))


triggers_with_the_tables(db.metadata, install,
                         lambda: ["DROP FUNCTION IF EXISTS people_stamp_bump()"])
