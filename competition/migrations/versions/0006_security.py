"""Sessions that end on the server: each person's session generation, which signing out and a
new password raise, so that session cookies issued before stop signing them in.

Revision ID: 0006_security
Revises: 0005_perf
Create Date: 2026-11-24 02:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_security'
down_revision = '0005_perf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
