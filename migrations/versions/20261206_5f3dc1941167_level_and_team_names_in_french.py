"""Accounts: level and team names in French too (empty means "as in English")

Revision ID: 5f3dc1941167
Revises: c3f1bb9776ba
Create Date: 2026-12-06 19:56:33.439666

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5f3dc1941167'
down_revision = 'c3f1bb9776ba'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows get '' (no French name yet): the English name shows until HR adds one.
    with op.batch_alter_table('level', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_fr', sa.String(length=120), server_default='', nullable=False))

    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_fr', sa.String(length=120), server_default='', nullable=False))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+), not batch mode: rebuilding these tables would drop
    # tables that people and insights still reference, which SQLite's foreign keys refuse.
    op.drop_column('team', 'name_fr')
    op.drop_column('level', 'name_fr')
