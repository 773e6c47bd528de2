"""Indexes for the daily pages

A person's goals, an activity's dates, a person's sessions and notices are each read by one
index seek on (owner, ...) instead of scanning. The single-column indexes on goal.deleted_at
and activity.deleted_at go: nearly every row is NULL there, and without statistics SQLite's
planner took them for a selective filter (My learning read the whole plan table). Indexes
now covered by a composite one's leading column go too. SQLite statistics are refreshed
afterwards (ANALYZE under an analysis_limit), so the planner sees the new indexes at once.

Revision ID: c3f1bb9776ba
Revises: f2b30ca6d272
Create Date: 2026-12-06 19:34:12.310021

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3f1bb9776ba'
down_revision = 'f2b30ca6d272'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_activity_goal_id'))
        batch_op.create_index('ix_activity_goal_id_deleted_at', ['goal_id', 'deleted_at'], unique=False)

    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_goal_owner_id'))
        batch_op.create_index('ix_goal_owner_id_deleted_at', ['owner_id', 'deleted_at'], unique=False)

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_user_id'))
        batch_op.create_index('ix_notification_user_id_created_at', ['user_id', 'created_at'], unique=False)

    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occurrence_activity_id'))
        batch_op.create_index('ix_occurrence_activity_id_planned_on', ['activity_id', 'planned_on'], unique=False)

    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_session_report_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_session_supervisor_id'))
        batch_op.create_index('ix_supervision_session_report_id_starts_at', ['report_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_supervision_session_supervisor_id_starts_at', ['supervisor_id', 'starts_at'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_supervisor_id'))
        batch_op.create_index('ix_user_account_supervisor_id_active', ['supervisor_id', 'active'], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        # Gather statistics for the new indexes (bounded, as SQLite's documentation advises).
        op.execute("PRAGMA analysis_limit=400")
        op.execute("ANALYZE")


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index('ix_user_account_supervisor_id_active')
        batch_op.create_index(batch_op.f('ix_user_account_supervisor_id'), ['supervisor_id'], unique=False)

    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_session_supervisor_id_starts_at')
        batch_op.drop_index('ix_supervision_session_report_id_starts_at')
        batch_op.create_index(batch_op.f('ix_supervision_session_supervisor_id'), ['supervisor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_session_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.drop_index('ix_occurrence_activity_id_planned_on')
        batch_op.create_index(batch_op.f('ix_occurrence_activity_id'), ['activity_id'], unique=False)

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_id_created_at')
        batch_op.create_index(batch_op.f('ix_notification_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index('ix_goal_owner_id_deleted_at')
        batch_op.create_index(batch_op.f('ix_goal_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_deleted_at'), ['deleted_at'], unique=False)

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_goal_id_deleted_at')
        batch_op.create_index(batch_op.f('ix_activity_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_deleted_at'), ['deleted_at'], unique=False)
