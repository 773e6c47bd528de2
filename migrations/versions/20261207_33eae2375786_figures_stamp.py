"""Figures stamps: a number per person bumped whenever anything My team counts for them changes

My team counts each person's shared goals, the dates of those goals' activities and the
sessions where they are the report. Each web process now keeps those figures per person under
the person's figures stamp, read again on every request (pdplanner/supervision/
figures_stamp.py, kept_figures.py). Triggers bump the stamp in the writing transaction:
- occurrence: inserted, deleted, or its status, planned_on or activity_id changed;
- activity: inserted, deleted, or its deleted_at (deleted / restored) or goal_id changed;
- goal: inserted, deleted, or its visibility, status, deleted_at or owner_id changed;
- supervision_session: inserted, deleted, or its status, held_on, starts_at, report_id or
  deleted_at changed (the report's stamp);
- user_account: inserted or deleted (SQLite may reuse a deleted person's id).
A change of owner, goal, activity or report bumps both people. SQLite runs a trigger per row;
PostgreSQL a function per table for each row, and bumps everyone on TRUNCATE. No row means
stamp 0, so nothing is filled in here; rows are never deleted (no foreign key), so a
person's stamp never goes back.

The SQL is a copy of what the application installs on create_all (frozen here, as a
migration must be).

Revision ID: 33eae2375786
Revises: 281d45b9f131
Create Date: 2026-12-07 08:24:39.776613

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '33eae2375786'
down_revision = '281d45b9f131'
branch_labels = None
depends_on = None


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
UPSERT = ("INSERT INTO figures_stamp (person_id, value) SELECT person, 1 FROM ({people}) "
          "AS changed WHERE person IS NOT NULL ORDER BY person "
          "ON CONFLICT (person_id) DO UPDATE SET value = figures_stamp.value + 1")
BUMP_EVERYONE = UPSERT.format(people="SELECT id AS person FROM user_account")


def _bump(table, *rows):
    return UPSERT.format(people=" UNION ".join(WATCHED[table][1].format(row=row)
                                               for row in rows))


def _changed(table, differs):
    return " OR ".join(f"OLD.{c.strip()} {differs} NEW.{c.strip()}"
                       for c in WATCHED[table][0].split(","))


def _sqlite_triggers():
    for table, (columns, _people) in WATCHED.items():
        name = f"figures_stamp_{table}"
        op.execute(f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} "
                   f"BEGIN {_bump(table, 'NEW')}; END")
        op.execute(f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} "
                   f"BEGIN {_bump(table, 'OLD')}; END")
        if columns:
            op.execute(f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table} "
                       f"WHEN {_changed(table, 'IS NOT')} BEGIN {_bump(table, 'OLD', 'NEW')}; END")


def _postgresql_triggers():
    op.execute("CREATE OR REPLACE FUNCTION figures_stamp_everyone() RETURNS trigger "
               f"LANGUAGE plpgsql AS $$ BEGIN {BUMP_EVERYONE}; RETURN NULL; END $$")
    for table, (columns, _people) in WATCHED.items():
        name = f"figures_stamp_{table}"
        op.execute(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN IF TG_OP = 'INSERT' THEN {_bump(table, 'NEW')}; "
                   f"ELSIF TG_OP = 'DELETE' THEN {_bump(table, 'OLD')}; "
                   f"ELSE {_bump(table, 'OLD', 'NEW')}; END IF; RETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER {name}_row AFTER INSERT OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {name}()")
        op.execute(f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION figures_stamp_everyone()")
        if columns:
            op.execute(f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table} "
                       f"FOR EACH ROW WHEN ({_changed(table, 'IS DISTINCT FROM')}) "
                       f"EXECUTE FUNCTION {name}()")


def upgrade():
    op.create_table('figures_stamp',
                    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('value', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_figures_stamp')))
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS figures_stamp_{table}_{event}")
    else:
        # Dropping a trigger function with CASCADE drops the triggers that call it.
        for name in ("everyone", *WATCHED):
            op.execute(f"DROP FUNCTION IF EXISTS figures_stamp_{name}() CASCADE")
    op.drop_table('figures_stamp')
