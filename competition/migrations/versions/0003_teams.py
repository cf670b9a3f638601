"""Teams: a competitor of a team skill has 2-4 members (name, organisation), and a team's
certificates are issued to each member (the member's position and the team's name on the certificate).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('competitor_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['competitor_id'], ['competitor.id'], name=op.f('fk_team_member_competitor_id_competitor')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member')),
        sa.UniqueConstraint('competitor_id', 'position', name=op.f('uq_team_member_competitor_id_position')),
    )
    op.create_index(op.f('ix_team_member_competitor_id'), 'team_member', ['competitor_id'])
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('team_name', sa.String(length=200), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_column('team_name')
        batch_op.drop_column('member_position')
    op.drop_index(op.f('ix_team_member_competitor_id'), table_name='team_member')
    op.drop_table('team_member')
