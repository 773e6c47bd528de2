"""SMS: phone numbers, reminder channels, texts in the outbox, replies received

People get a mobile number (E.164, a unique index: replies are matched on it), a reminder
channel (email, sms, both, none; also per kind on reminder_preference) and the moment they
answered STOP; their e-mail becomes optional (someone reached by SMS only). The organisation
gets its country (default region for numbers typed without +) and a monthly SMS cap. Outbox
rows get their channel, segments, the provider's id and delivery report, and a reply code.
sms_reply keeps each received text once (provider, provider's id), so a retried webhook
changes nothing twice.

New CHECKs are written with their columns (SQLite accepts a CHECK in ADD COLUMN; PostgreSQL
gets it just after). SQLite drops email's NOT NULL by the procedure its ALTER TABLE page gives
for removing a NOT NULL constraint (editing the stored CREATE TABLE under writable_schema):
rebuilding user_account would be refused by the foreign keys that point at it.

Revision ID: d30f664ca449
Revises: 584d92a5869f
Create Date: 2026-12-06 22:37:38

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd30f664ca449'
down_revision = '584d92a5869f'
branch_labels = None
depends_on = None

CHANNELS = "('email', 'sms', 'both', 'none')"
#: (table, column, SQL type and default, CHECK or None)
COLUMNS = [
    ('organisation', 'country', "VARCHAR(2) DEFAULT 'ML' NOT NULL", None),
    ('organisation', 'sms_monthly_cap', "INTEGER DEFAULT '1000' NOT NULL", None),
    ('user_account', 'phone', "VARCHAR(16)", None),
    ('user_account', 'reminder_channel', "VARCHAR(5) DEFAULT 'email' NOT NULL",
     f"reminder_channel IN {CHANNELS}"),
    ('user_account', 'sms_stopped_at', "TIMESTAMP WITH TIME ZONE", None),
    ('reminder_preference', 'channel', "VARCHAR(5)", f"channel IN {CHANNELS}"),
    ('outbox', 'channel', "VARCHAR(5) DEFAULT 'email' NOT NULL", "channel IN ('email', 'sms')"),
    ('outbox', 'segments', "INTEGER DEFAULT '0' NOT NULL", None),
    ('outbox', 'provider_ref', "VARCHAR(100)", None),
    ('outbox', 'report', "VARCHAR(10)", "report IN ('delivered', 'failed')"),
    ('outbox', 'reply_code', "VARCHAR(8)", None),
]
INDEXES = [('user_account', 'phone', True), ('outbox', 'channel', False),
           ('outbox', 'provider_ref', False), ('outbox', 'reply_code', False)]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def _check_name(table: str, column: str) -> str:
    """The model's CHECK name: the Enum is named after what it holds."""
    if (table, column) == ('user_account', 'reminder_channel'):
        return 'ck_user_account_channel'
    return f'ck_{table}_{column}'


def _edit_sqlite_schema(table: str, before: str, after: str) -> None:
    """Edit a table's stored CREATE TABLE (only to drop or add back NOT NULL or a CHECK)."""
    bind = op.get_bind()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    changed = bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ? "
        "AND instr(sql, ?) > 0", (before, after, table, before)).rowcount
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")
    problem = bind.exec_driver_sql("PRAGMA integrity_check").scalar()
    if changed != 1 or problem != "ok":
        raise RuntimeError(f"{table}: could not change {before!r} ({problem})")


def _email_nullable(nullable: bool) -> None:
    """Drop (or put back) NOT NULL on user_account.email."""
    if not _sqlite():
        op.alter_column('user_account', 'email', existing_type=sa.String(254),
                        nullable=nullable)
        return
    before, after = "email VARCHAR(254) NOT NULL,", "email VARCHAR(254),"
    if not nullable:
        before, after = after, before
    _edit_sqlite_schema('user_account', before, after)


def upgrade():
    op.create_table(
        'sms_reply',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=20), nullable=False),
        sa.Column('provider_ref', sa.String(length=100), nullable=False),
        sa.Column('from_number', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=10), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_sms_reply_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_reply')),
        sa.UniqueConstraint('provider', 'provider_ref',
                            name=op.f('uq_sms_reply_provider_provider_ref')),
    )
    op.create_index(op.f('ix_sms_reply_user_id'), 'sms_reply', ['user_id'], unique=False)
    sqlite = _sqlite()
    for table, column, sql_type, check in COLUMNS:
        if sqlite:
            sql_type = sql_type.replace("TIMESTAMP WITH TIME ZONE", "DATETIME")
        clause = ""
        if check and sqlite:
            clause = f" CONSTRAINT {_check_name(table, column)} CHECK ({check})"
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}{clause}")
        if check and not sqlite:
            op.create_check_constraint(_check_name(table, column), table, check)
    for table, column, unique in INDEXES:
        op.create_index(op.f(f'ix_{table}_{column}'), table, [column], unique=unique)
    _email_nullable(True)


def downgrade():
    # The older schema needs an address for everyone: someone reached by SMS only gets an
    # address that can receive nothing (.invalid is reserved for that, RFC 2606).
    op.execute("UPDATE user_account SET email = 'no-email-' || id || '@example.invalid' "
               "WHERE email IS NULL")
    _email_nullable(False)
    for table, column, _unique in INDEXES:
        op.drop_index(op.f(f'ix_{table}_{column}'), table_name=table)
    sqlite = _sqlite()
    for table, column, _sql_type, check in reversed(COLUMNS):
        if check and sqlite:
            # SQLite drops no column a CHECK names; the CHECK goes first, as NOT NULL did.
            _edit_sqlite_schema(table, f" CONSTRAINT {_check_name(table, column)} CHECK "
                                       f"({check})", "")
        elif check:
            op.drop_constraint(_check_name(table, column), table, type_='check')
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_index(op.f('ix_sms_reply_user_id'), table_name='sms_reply')
    op.drop_table('sms_reply')
