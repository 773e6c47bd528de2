"""Notifications: what each is about

A notice about an activity date or a session reads as read once that is settled (resolved,
moved, cancelled or deleted). Existing notices get their subject from the outbox row written
with them (same dedupe key).

Revision ID: 685f8934e04a
Revises: 00a4789a7a22
Create Date: 2026-11-26 12:52:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '685f8934e04a'
down_revision = '00a4789a7a22'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_ref', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_notification_subject_ref'), ['subject_ref'],
                              unique=False)
    op.execute(
        "UPDATE notification SET subject_ref = (SELECT outbox.subject_ref FROM outbox"
        " WHERE outbox.dedupe_key = notification.dedupe_key)")


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_subject_ref'))
        batch_op.drop_column('subject_ref')
