"""Throttle: attempt counters per client address and per account

Sign-in, password-reset and invitation attempts are counted per fixed window in this table,
so every worker and host shares the limits. Rows are deleted once their window has ended.

Revision ID: f2b30ca6d272
Revises: 3824e40bdf43
Create Date: 2026-12-06 19:25:49

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b30ca6d272'
down_revision = '3824e40bdf43'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'throttle',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_throttle')),
    )
    with op.batch_alter_table('throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_expires_at'))

    op.drop_table('throttle')
