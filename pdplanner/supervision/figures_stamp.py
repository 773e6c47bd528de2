"""Figures stamps: one number per person that the database bumps, in the writing transaction,
whenever anything My team counts for that person changes.

My team counts each person's shared goals, their dates and the sessions where they are the
report. Each process keeps the figures it counted under the person's stamp read in the same
statement (supervision/kept_figures.py); reading the stamps again tells at once, in every
process, whose figures still hold. Triggers (not ORM events) keep the stamps, so bulk
statements, imports, cascades and any other write path move them too. A person without a row
has stamp 0; rows are never deleted, so a stamp never goes back (SQLite may give a deleted
person's id to someone new: adding or removing a person bumps it too)."""

from __future__ import annotations

from sqlalchemy import DDL, BigInteger, Integer, func, select
from sqlalchemy.orm import Mapped, mapped_column

from pdplanner.database import triggers_with_the_tables
from pdplanner.extensions import db


class FiguresStamp(db.Model):
    """A person's figures stamp (no row: 0)."""

    __tablename__ = "figures_stamp"

    #: The person (no foreign key: the row outlives them, so their id's stamp never goes back).
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: Bumped by the triggers below; only ever compared for equality.
    value: Mapped[int] = mapped_column(BigInteger, default=0)


def of(person_id) -> object:
    """Return the stamp of `person_id` (a column), to read in the statement it guards."""
    return func.coalesce(select(FiguresStamp.value).where(FiguresStamp.person_id == person_id)
                         .scalar_subquery(), 0)


#: For each table: the columns whose change moves My team's figures, and the person (or
#: people) a row's figures belong to, `{row}` standing for OLD or NEW.
WATCHED = {
    "occurrence": ("status, planned_on, activity_id",
                   "SELECT goal.owner_id AS person FROM activity JOIN goal "
                   "ON goal.id = activity.goal_id WHERE activity.id = {row}.activity_id"),
    "activity": ("deleted_at, goal_id",
                 "SELECT goal.owner_id AS person FROM goal WHERE goal.id = {row}.goal_id"),
    "goal": ("visibility, status, deleted_at, owner_id", "SELECT {row}.owner_id AS person"),
    "supervision_session": ("status, held_on, starts_at, report_id, deleted_at",
                            "SELECT {row}.report_id AS person"),
    "user_account": (None, "SELECT {row}.id AS person"),
}
#: Where the upsert may touch several people, it touches them in order (no deadlock).
UPSERT = ("INSERT INTO figures_stamp (person_id, value) SELECT person, 1 FROM ({people}) "
          "AS changed WHERE person IS NOT NULL ORDER BY person "
          "ON CONFLICT (person_id) DO UPDATE SET value = figures_stamp.value + 1")


def _bump(table: str, *rows: str) -> str:
    """The statement bumping the stamps of the people these rows (OLD, NEW) belong to."""
    people = " UNION ".join(WATCHED[table][1].format(row=row) for row in rows)
    return UPSERT.format(people=people)


def _changed(table: str, differs: str = "IS DISTINCT FROM") -> str:
    """The condition under which an UPDATE moves the figures (SQLite before 3.39 spells
    `IS DISTINCT FROM` as `IS NOT`)."""
    columns = [c.strip() for c in WATCHED[table][0].split(",")]
    return " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in columns)


def sqlite_triggers() -> list[str]:
    """SQLite: a trigger per table and event (a row at a time)."""
    made = []
    for table, (columns, _people) in WATCHED.items():
        name = f"figures_stamp_{table}"
        made += [f"CREATE TRIGGER IF NOT EXISTS {name}_insert AFTER INSERT ON {table} "
                 f"BEGIN {_bump(table, 'NEW')}; END",
                 f"CREATE TRIGGER IF NOT EXISTS {name}_delete AFTER DELETE ON {table} "
                 f"BEGIN {_bump(table, 'OLD')}; END"]
        if columns:
            made.append(f"CREATE TRIGGER IF NOT EXISTS {name}_update AFTER UPDATE OF {columns} "
                        f"ON {table} WHEN {_changed(table, 'IS NOT')} "
                        f"BEGIN {_bump(table, 'OLD', 'NEW')}; END")
    return made


#: PostgreSQL: TRUNCATE has no rows, so it bumps everyone.
BUMP_EVERYONE = UPSERT.format(people="SELECT id AS person FROM user_account")


def postgresql_triggers(replace: bool = True) -> list[str]:
    """PostgreSQL: a function per table, run for each row changed, and one for TRUNCATE."""
    create = "CREATE OR REPLACE TRIGGER" if replace else "CREATE TRIGGER"
    made = ["CREATE OR REPLACE FUNCTION figures_stamp_everyone() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {BUMP_EVERYONE}; RETURN NULL; END $$"]
    for table, (columns, _people) in WATCHED.items():
        name = f"figures_stamp_{table}"
        made += [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                 f"BEGIN IF TG_OP = 'INSERT' THEN {_bump(table, 'NEW')}; "
                 f"ELSIF TG_OP = 'DELETE' THEN {_bump(table, 'OLD')}; "
                 f"ELSE {_bump(table, 'OLD', 'NEW')}; END IF; RETURN NULL; END $$",
                 f"{create} {name}_row AFTER INSERT OR DELETE ON {table} FOR EACH ROW "
                 f"EXECUTE FUNCTION {name}()",
                 f"{create} {name}_truncate AFTER TRUNCATE ON {table} FOR EACH STATEMENT "
                 "EXECUTE FUNCTION figures_stamp_everyone()"]
        if columns:
            made.append(f"{create} {name}_update AFTER UPDATE OF {columns} ON {table} "
                        f"FOR EACH ROW WHEN ({_changed(table)}) EXECUTE FUNCTION {name}()")
    return made


def drop_postgresql_functions() -> list[str]:
    """Drop the functions (and so, with CASCADE, their triggers)."""
    return [f"DROP FUNCTION IF EXISTS figures_stamp_{name}() CASCADE"
            for name in ("everyone", *WATCHED)]


def install(connection) -> None:
    """Create the triggers (idempotent: create_all and the bench's reused organisations)."""
    postgresql = connection.dialect.name == "postgresql"
    for statement in postgresql_triggers() if postgresql else sqlite_triggers():
        connection.execute(DDL(statement))


triggers_with_the_tables(db.metadata, install, drop_postgresql_functions)
