"""Insights: the dashboard's snapshot tables (per person, per month, per team, per skill)

Rebuilt from the live tables by insights.snapshot.refresh; they hold counts, dates and
people's names only. The matrix's indexes sort the latest level descending (highest first,
then by name).

Revision ID: 29d0e3022f9b
Revises: c0a6171f6681
Create Date: 2026-11-26 11:14:22.318251

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '29d0e3022f9b'
down_revision = 'c0a6171f6681'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('insight_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insight_snapshot'))
    )
    op.create_table('insight_team_month',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.Column('planned', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('missed', sa.Integer(), nullable=False),
    sa.Column('cancelled', sa.Integer(), nullable=False),
    sa.Column('to_resolve', sa.Integer(), nullable=False),
    sa.Column('goals_new', sa.Integer(), nullable=False),
    sa.Column('goals_self', sa.Integer(), nullable=False),
    sa.Column('goals_aligned', sa.Integer(), nullable=False),
    sa.Column('goals_personal', sa.Integer(), nullable=False),
    sa.Column('goals_achieved', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insight_team_month'))
    )
    with op.batch_alter_table('insight_team_month', schema=None) as batch_op:
        batch_op.create_index('ix_insight_team_month_month_team_id', ['month', 'team_id'], unique=False)

    op.create_table('insight_gap',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=True),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['user_account.id'], name=op.f('fk_insight_gap_person_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user_account.id'], name=op.f('fk_insight_gap_supervisor_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('month', 'person_id', 'supervisor_id', 'days', name=op.f('pk_insight_gap'))
    )
    with op.batch_alter_table('insight_gap', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insight_gap_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_insight_gap_team_id_month', ['team_id', 'month'], unique=False)

    op.create_table('insight_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=True),
    sa.Column('planned', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('missed', sa.Integer(), nullable=False),
    sa.Column('cancelled', sa.Integer(), nullable=False),
    sa.Column('to_resolve', sa.Integer(), nullable=False),
    sa.Column('goals_new', sa.Integer(), nullable=False),
    sa.Column('goals_self', sa.Integer(), nullable=False),
    sa.Column('goals_aligned', sa.Integer(), nullable=False),
    sa.Column('goals_personal', sa.Integer(), nullable=False),
    sa.Column('goals_achieved', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['user_account.id'], name=op.f('fk_insight_month_person_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('month', 'person_id', name=op.f('pk_insight_month'))
    )
    with op.batch_alter_table('insight_month', schema=None) as batch_op:
        batch_op.create_index('ix_insight_month_level_id_month', ['level_id', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_insight_month_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_insight_month_team_id_month', ['team_id', 'month'], unique=False)

    op.create_table('insight_person',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=120), nullable=False),
    sa.Column('active_goals', sa.Integer(), nullable=False),
    sa.Column('last_done_on', sa.Date(), nullable=True),
    sa.Column('last_held_on', sa.Date(), nullable=True),
    sa.Column('oldest_open_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['user_account.id'], name=op.f('fk_insight_person_person_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_insight_person'))
    )
    with op.batch_alter_table('insight_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insight_person_level_id'), ['level_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_insight_person_person_name'), ['person_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_insight_person_team_id'), ['team_id'], unique=False)

    op.create_table('insight_session_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.Integer(), nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.Column('reviewed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['user_account.id'], name=op.f('fk_insight_session_month_person_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user_account.id'], name=op.f('fk_insight_session_month_supervisor_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('month', 'person_id', 'supervisor_id', name=op.f('pk_insight_session_month'))
    )
    with op.batch_alter_table('insight_session_month', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insight_session_month_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_insight_session_month_team_id_month', ['team_id', 'month'], unique=False)

    op.create_table('insight_supervisor',
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('median_gap', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user_account.id'], name=op.f('fk_insight_supervisor_supervisor_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('supervisor_id', 'months', name=op.f('pk_insight_supervisor'))
    )
    op.create_table('insight_supervisor_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('due', sa.Integer(), nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.Column('reviewed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user_account.id'], name=op.f('fk_insight_supervisor_month_supervisor_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('month', 'supervisor_id', name=op.f('pk_insight_supervisor_month'))
    )
    op.create_table('insight_skill',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=120), nullable=False),
    sa.Column('first_self', sa.Integer(), nullable=True),
    sa.Column('latest_self', sa.Integer(), nullable=True),
    sa.Column('first_supervisor', sa.Integer(), nullable=True),
    sa.Column('latest_supervisor', sa.Integer(), nullable=True),
    sa.Column('latest', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['user_account.id'], name=op.f('fk_insight_skill_person_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_insight_skill_skill_id_skill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'skill_id', name=op.f('pk_insight_skill'))
    )
    with op.batch_alter_table('insight_skill', schema=None) as batch_op:
        batch_op.create_index('ix_insight_skill_latest', [sa.literal_column('latest DESC'), 'person_name'], unique=False)
        batch_op.create_index('ix_insight_skill_skill_id_latest', ['skill_id', sa.literal_column('latest DESC'), 'person_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_insight_skill_team_id'), ['team_id'], unique=False)

    op.create_table('insight_skill_total',
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('rated_self', sa.Integer(), nullable=False),
    sa.Column('first_self', sa.Integer(), nullable=False),
    sa.Column('latest_self', sa.Integer(), nullable=False),
    sa.Column('rated_supervisor', sa.Integer(), nullable=False),
    sa.Column('first_supervisor', sa.Integer(), nullable=False),
    sa.Column('latest_supervisor', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_insight_skill_total_skill_id_skill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('skill_id', name=op.f('pk_insight_skill_total'))
    )


def downgrade():
    op.drop_table('insight_skill_total')
    with op.batch_alter_table('insight_skill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insight_skill_team_id'))
        batch_op.drop_index('ix_insight_skill_skill_id_latest')
        batch_op.drop_index('ix_insight_skill_latest')

    op.drop_table('insight_skill')
    op.drop_table('insight_supervisor_month')
    op.drop_table('insight_supervisor')
    with op.batch_alter_table('insight_session_month', schema=None) as batch_op:
        batch_op.drop_index('ix_insight_session_month_team_id_month')
        batch_op.drop_index(batch_op.f('ix_insight_session_month_person_id'))

    op.drop_table('insight_session_month')
    with op.batch_alter_table('insight_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insight_person_team_id'))
        batch_op.drop_index(batch_op.f('ix_insight_person_person_name'))
        batch_op.drop_index(batch_op.f('ix_insight_person_level_id'))

    op.drop_table('insight_person')
    with op.batch_alter_table('insight_month', schema=None) as batch_op:
        batch_op.drop_index('ix_insight_month_team_id_month')
        batch_op.drop_index(batch_op.f('ix_insight_month_person_id'))
        batch_op.drop_index('ix_insight_month_level_id_month')

    op.drop_table('insight_month')
    with op.batch_alter_table('insight_gap', schema=None) as batch_op:
        batch_op.drop_index('ix_insight_gap_team_id_month')
        batch_op.drop_index(batch_op.f('ix_insight_gap_person_id'))

    op.drop_table('insight_gap')
    with op.batch_alter_table('insight_team_month', schema=None) as batch_op:
        batch_op.drop_index('ix_insight_team_month_month_team_id')

    op.drop_table('insight_team_month')
    op.drop_table('insight_snapshot')
