"""The organiser console: organisations with colours, the draw with its seed, one-time sign-in
links, background jobs; event address and archive; per-skill settings, encryption and the
results lock and publication; external ids for imports; the three numbers of Chinese competitions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 23:11:09.421885
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('worker', sa.String(length=120), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_job_created_by_id_user')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_job_event_id_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_state'), ['state'], unique=False)

    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('external_id', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_organisation_event_id_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('event_id', 'code', name=op.f('uq_organisation_event_id_code')),
    sa.UniqueConstraint('event_id', 'external_id', name=op.f('uq_organisation_event_id_external_id'))
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_event_id'), ['event_id'], unique=False)

    op.create_table('sign_in_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_sign_in_link_created_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sign_in_link_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_link_token_hash'))
    )
    with op.batch_alter_table('sign_in_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_link_user_id'), ['user_id'], unique=False)

    op.create_table('draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user.id'], name=op.f('fk_draw_drawn_by_id_user')),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_draw_skill_id_skill')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw'))
    )
    with op.batch_alter_table('draw', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draw_skill_id'), ['skill_id'], unique=False)

    with op.batch_alter_table('competitor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('entry_number', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('workstation', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('encrypted_code', sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_competitor_skill_id_external_id'), ['skill_id', 'external_id'])

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_url', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.add_column(sa.Column('panel_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('award_rule', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('variance_tolerance', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('encrypted', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('results_locked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('results_published_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_user_external_id'), ['external_id'])



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_external_id'), type_='unique')
        batch_op.drop_column('external_id')

    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.drop_column('results_published_at')
        batch_op.drop_column('results_locked_at')
        batch_op.drop_column('encrypted')
        batch_op.drop_column('variance_tolerance')
        batch_op.drop_column('award_rule')
        batch_op.drop_column('panel_size')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
        batch_op.drop_column('public_url')

    with op.batch_alter_table('competitor', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_competitor_skill_id_external_id'), type_='unique')
        batch_op.drop_column('encrypted_code')
        batch_op.drop_column('workstation')
        batch_op.drop_column('entry_number')
        batch_op.drop_column('external_id')

    with op.batch_alter_table('draw', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draw_skill_id'))

    op.drop_table('draw')
    with op.batch_alter_table('sign_in_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_link_user_id'))

    op.drop_table('sign_in_link')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_event_id'))

    op.drop_table('organisation')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_state'))

    op.drop_table('job')
