"""People sorted by an indexed name; the people stamp that tells when reporting lines change

user_account.sort_name is lower(name) computed by the database.

The people list sorted every match on lower(name) to show 25 of them (2–3 ms at 10,000
people). The lower-cased name is now a generated column, kept by the database on every write
(no write path can forget it), indexed with `active` so the first page is read in order.

SQLite cannot add a STORED generated column to an existing table, and rebuilding user_account
would be refused by the foreign keys that point at it: there the column is VIRTUAL (computed
on read, its values stored in the index), which sorts and reads the same. Statistics are
refreshed afterwards, as in the earlier index migrations.

people_stamp holds one number that triggers on user_account bump whenever someone is added,
removed, renamed, moved to another supervisor, deactivated or reactivated (once per row on
SQLite, once per statement on PostgreSQL), in the same transaction: My team keeps a branch's
page per process under the stamp it was read with (pdplanner/accounts/people_stamp.py).

Revision ID: 281d45b9f131
Revises: 43d847254be9
Create Date: 2026-12-07 05:14:35.329227

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '281d45b9f131'
down_revision = '43d847254be9'
branch_labels = None
depends_on = None


WATCHED = "name, supervisor_id, active"
BUMP = "UPDATE people_stamp SET value = value + 1 WHERE id = 1"
SQLITE_TRIGGERS = {"insert": "INSERT", "delete": "DELETE", "update": f"UPDATE OF {WATCHED}"}


def _create_stamp(sqlite: bool) -> None:
    op.create_table('people_stamp',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('value', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_people_stamp')))
    op.execute("INSERT INTO people_stamp (id, value) VALUES (1, 0)")
    if sqlite:
        for name, when in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER people_stamp_{name} AFTER {when} ON user_account "
                       f"BEGIN {BUMP}; END")
        return
    op.execute("CREATE OR REPLACE FUNCTION people_stamp_bump() RETURNS trigger "
               f"LANGUAGE plpgsql AS $$ BEGIN {BUMP}; RETURN NULL; END $$")
    op.execute("CREATE TRIGGER people_stamp_change AFTER INSERT OR DELETE OR TRUNCATE OR "
               f"UPDATE OF {WATCHED} ON user_account FOR EACH STATEMENT "
               "EXECUTE FUNCTION people_stamp_bump()")


def _drop_stamp(sqlite: bool) -> None:
    if sqlite:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS people_stamp_{name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS people_stamp_change ON user_account")
        op.execute("DROP FUNCTION IF EXISTS people_stamp_bump()")
    op.drop_table('people_stamp')


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    _create_stamp(sqlite)
    op.add_column('user_account', sa.Column(
        'sort_name', sa.String(length=120), sa.Computed('lower(name)', persisted=not sqlite),
        nullable=True))
    op.create_index('ix_user_account_active_sort_name', 'user_account',
                    ['active', 'sort_name', 'id'], unique=False)
    if sqlite:
        # Gather statistics for the new index (bounded, as SQLite's documentation advises).
        op.execute("PRAGMA analysis_limit=400")
        op.execute("ANALYZE")


def downgrade():
    _drop_stamp(op.get_bind().dialect.name == "sqlite")
    op.drop_index('ix_user_account_active_sort_name', table_name='user_account')
    # SQLite (3.35+) drops a column in place; a VIRTUAL one referenced by no index or view.
    op.drop_column('user_account', 'sort_name')
