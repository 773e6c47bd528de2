"""Private notes belong to their author

A session's private notes move from a column of the session (which followed the session to a
new supervisor) to a table of notes each with its author. The author of an existing note is
whoever last saved the session's notes (audit log, "session.notes"), else the session's
supervisor today.

Revision ID: 3824e40bdf43
Revises: 685f8934e04a
Create Date: 2026-12-06 19:22:29.765638

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3824e40bdf43'
down_revision = '685f8934e04a'
branch_labels = None
depends_on = None

#: The last person who saved each session's notes, from the audit log.
LAST_WRITER = (
    "(SELECT a.actor_id FROM audit_event a WHERE a.action = 'session.notes'"
    " AND a.actor_id IS NOT NULL AND a.subject = 'session:' || CAST(s.id AS VARCHAR(20))"
    " ORDER BY a.at DESC, a.id DESC LIMIT 1)"
)


def upgrade():
    op.create_table('session_private_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_session_private_note_author_id_user_account')),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_session_private_note_session_id_supervision_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_private_note')),
    sa.UniqueConstraint('session_id', 'author_id', name=op.f('uq_session_private_note_session_id_author_id'))
    )
    with op.batch_alter_table('session_private_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_private_note_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_private_note_session_id'), ['session_id'], unique=False)

    op.execute(
        "INSERT INTO session_private_note (session_id, author_id, text, updated_at)"
        f" SELECT s.id, COALESCE({LAST_WRITER}, s.supervisor_id), s.private_notes,"
        " s.created_at FROM supervision_session s WHERE s.private_notes <> ''")

    # Plain ALTER TABLE (SQLite 3.35+), not batch mode: batch mode copies and drops the table,
    # and with foreign keys on, SQLite's DROP TABLE deletes every agenda item, goal review,
    # agreed action and private note of the sessions (ON DELETE CASCADE).
    op.execute("ALTER TABLE supervision_session DROP COLUMN private_notes")


def downgrade():
    # Only the notes of each session's present supervisor go back into the session: the
    # column cannot tell authors apart, and another author's note must not reach them.
    # ADD COLUMN in place (no batch copy, see upgrade); the default stays, as removing it
    # would need the table copied.
    op.add_column('supervision_session', sa.Column('private_notes', sa.Text(), nullable=False,
                                                   server_default=''))
    op.execute(
        "UPDATE supervision_session SET private_notes = COALESCE((SELECT n.text FROM"
        " session_private_note n WHERE n.session_id = supervision_session.id"
        " AND n.author_id = supervision_session.supervisor_id), '')")

    with op.batch_alter_table('session_private_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_private_note_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_private_note_author_id'))

    op.drop_table('session_private_note')
