"""Standings held per process: each mark remembers the skill's board version its last change
made (so a process holding a skill's standings reads only the marks changed since, and their
panels by competitor and aspect), and a board row remembers when it was made.

Revision ID: 0005_perf
Revises: 0004
Create Date: 2026-11-24 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_perf'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mark', schema=None) as batch_op:
        batch_op.add_column(sa.Column('board_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_mark_skill_id_board_version'), ['skill_id', 'board_version'])
        batch_op.create_index(batch_op.f('ix_mark_competitor_id_aspect_id_board_version'), ['competitor_id', 'aspect_id', 'board_version'])
    with op.batch_alter_table('board_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('board_state', schema=None) as batch_op:
        batch_op.drop_column('started_at')
    with op.batch_alter_table('mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_competitor_id_aspect_id_board_version'))
        batch_op.drop_index(batch_op.f('ix_mark_skill_id_board_version'))
        batch_op.drop_column('board_version')
