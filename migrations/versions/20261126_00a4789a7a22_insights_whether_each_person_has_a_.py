"""Insights: whether each person has a supervisor

"No session held in 60 days" lists only people someone supervises. Existing snapshot rows
are filled in from user_account here, so the list is right before the next refresh.

Revision ID: 00a4789a7a22
Revises: 29d0e3022f9b
Create Date: 2026-11-26 12:29:47.100952

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '00a4789a7a22'
down_revision = '29d0e3022f9b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('insight_person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('has_supervisor', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.execute(
        "UPDATE insight_person SET has_supervisor = (SELECT user_account.supervisor_id IS NOT NULL"
        " FROM user_account WHERE user_account.id = insight_person.person_id)")


def downgrade():
    with op.batch_alter_table('insight_person', schema=None) as batch_op:
        batch_op.drop_column('has_supervisor')
