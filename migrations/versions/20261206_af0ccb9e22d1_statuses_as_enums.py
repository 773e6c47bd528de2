"""Statuses as enums

Goals, dates, sessions, skills and mails keep their status values, column lengths and CHECK
constraint names: the models now declare them as StrEnums stored with
Enum(native_enum=False, create_constraint=True), whose CHECK is "status IN (<the enum's
values>)" named ck_<table>_status, as before. Nothing is stored differently. This revision
re-creates each of these five CHECKs from the enum's values on PostgreSQL (copied here, as a
migration must not import the app), so every database holds exactly the list the models
declare; on SQLite it checks that the CHECKs already say so (see below).

Revision ID: af0ccb9e22d1
Revises: 5f3dc1941167
Create Date: 2026-12-06 19:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'af0ccb9e22d1'
down_revision = '5f3dc1941167'
branch_labels = None
depends_on = None

#: table -> the status values of its enum, in the enum's order.
STATUSES = {
    'goal': ('suggested', 'declined', 'draft', 'active', 'paused', 'achieved', 'dropped'),
    'occurrence': ('planned', 'done', 'missed', 'cancelled', 'rescheduled'),
    'supervision_session': ('planned', 'held', 'missed', 'cancelled'),
    'skill': ('catalogue', 'proposed', 'personal', 'merged'),
    'outbox': ('pending', 'sending', 'sent', 'dead', 'skipped'),
}


def _recreate_status_checks():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, values in STATUSES.items():
        listed = ", ".join(f"'{value}'" for value in values)
        if sqlite:
            # SQLite changes a CHECK only by rebuilding the table, which the enforced foreign
            # keys pointing at these tables refuse once they hold data. Its CHECKs already
            # read exactly so under these names: check that, and change nothing.
            sql = op.get_bind().exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).scalar()
            expected = f"CONSTRAINT ck_{table}_status CHECK (status IN ({listed}))"
            if expected not in (sql or ""):
                raise RuntimeError(f"{table}: expected {expected}")
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_status'), type_='check')
            batch_op.create_check_constraint(op.f(f'ck_{table}_status'), f"status IN ({listed})")


def upgrade():
    _recreate_status_checks()


def downgrade():
    # The values were the same before: the previous revision's CHECKs are these.
    _recreate_status_checks()
