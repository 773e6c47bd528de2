"""Device actions: each action a phone queued offline is recorded once, by its key

A device sends each queued action (a date done or missed, a reflection, a check-in) with a
key of its own; the key, unique per person, is kept with the answer given the first time, so
sending it again after a dropped connection returns that answer and records nothing twice.

Revision ID: 584d92a5869f
Revises: af0ccb9e22d1
Create Date: 2026-12-06 22:41:44

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '584d92a5869f'
down_revision = 'af0ccb9e22d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'device_action',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=80), nullable=False),
        sa.Column('outcome', sa.Enum('recorded', 'refused', name='status', native_enum=False,
                                     create_constraint=True, length=10), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['user_account.id'],
                                name=op.f('fk_device_action_person_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_device_action')),
        sa.UniqueConstraint('person_id', 'key', name=op.f('uq_device_action_person_id_key')),
    )


def downgrade():
    op.drop_table('device_action')
