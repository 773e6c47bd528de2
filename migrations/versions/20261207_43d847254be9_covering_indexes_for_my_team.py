"""Covering indexes for My team

My team counts fifty people's shared goals and their dates done, missed and still open. The
indexes it walks (a person's goals, a goal's activities, an activity's dates) now hold every
column it reads, so PostgreSQL answers from the indexes alone (index-only scans) and plans
nested loops from the page's people instead of scanning every activity. Each replaces the
index it extends (same leading columns, so the pages that used the old one keep their seek).
SQLite statistics are refreshed afterwards, as in the daily pages' migration.

Revision ID: 43d847254be9
Revises: d30f664ca449
Create Date: 2026-12-07 01:49:00.775366

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '43d847254be9'
down_revision = 'd30f664ca449'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index('ix_goal_owner_id_deleted_at_visibility',
                              ['owner_id', 'deleted_at', 'visibility', 'status', 'id'],
                              unique=False)
        batch_op.drop_index('ix_goal_owner_id_deleted_at')

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_goal_id_deleted_at_id',
                              ['goal_id', 'deleted_at', 'id'], unique=False)
        batch_op.drop_index('ix_activity_goal_id_deleted_at')

    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.create_index('ix_occurrence_activity_id_planned_on_status',
                              ['activity_id', 'planned_on', 'status'], unique=False)
        batch_op.drop_index('ix_occurrence_activity_id_planned_on')

    if op.get_bind().dialect.name == "sqlite":
        # Gather statistics for the new indexes (bounded, as SQLite's documentation advises).
        op.execute("PRAGMA analysis_limit=400")
        op.execute("ANALYZE")


def downgrade():
    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.create_index('ix_occurrence_activity_id_planned_on',
                              ['activity_id', 'planned_on'], unique=False)
        batch_op.drop_index('ix_occurrence_activity_id_planned_on_status')

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_goal_id_deleted_at',
                              ['goal_id', 'deleted_at'], unique=False)
        batch_op.drop_index('ix_activity_goal_id_deleted_at_id')

    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index('ix_goal_owner_id_deleted_at', ['owner_id', 'deleted_at'],
                              unique=False)
        batch_op.drop_index('ix_goal_owner_id_deleted_at_visibility')
