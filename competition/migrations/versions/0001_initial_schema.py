"""Initial schema: every table as the models stood when migrations began.

A database that an older Podium made with create_all (no alembic_version table) has exactly
this schema: `podium init-db` and `podium demo` stamp it at this revision instead of running it
(competition/schema.py).

Revision ID: 0001
Revises:
Create Date: 2026-11-23 18:52:36.857380
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=True),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
        sa.UniqueConstraint('code', name=op.f('uq_event_code')),
    )
    op.create_table('user',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=80), nullable=False),
        sa.Column('display_name', sa.String(length=200), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.Column('password_hash', sa.String(length=256), nullable=False),
        sa.Column('is_organiser', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
        sa.UniqueConstraint('username', name=op.f('uq_user_username')),
    )
    op.create_table('api_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_api_token_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash')),
    )
    op.create_index(op.f('ix_api_token_user_id'), 'api_token', ['user_id'])

    op.create_table('certificate_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('layout', sa.String(length=20), nullable=False),
        sa.Column('organiser_name', sa.String(length=200), nullable=False),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_type', sa.String(length=40), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_certificate_settings_event_id_event')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_settings')),
        sa.UniqueConstraint('event_id', name=op.f('uq_certificate_settings_event_id')),
    )
    op.create_table('skill',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('scheme_source', sa.String(length=200), nullable=False),
        sa.Column('scheme_text', sa.Text(), nullable=False),
        sa.Column('anonymised', sa.Boolean(), nullable=False),
        sa.Column('allow_compatriot_marking', sa.Boolean(), nullable=False),
        sa.Column('marking_open', sa.Boolean(), nullable=False),
        sa.Column('descriptors_only', sa.Boolean(), nullable=False),
        sa.Column('display_mode', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_skill_event_id_event')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_skill')),
        sa.UniqueConstraint('event_id', 'code', name=op.f('uq_skill_event_id_code')),
    )
    op.create_table('board_state',
        sa.Column('skill_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('revealed', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_board_state_skill_id_skill')),
        sa.PrimaryKeyConstraint('skill_id', name=op.f('pk_board_state')),
    )
    op.create_table('certificate_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=True),
        sa.Column('only_locked', sa.Boolean(), nullable=False),
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('error', sa.String(length=1000), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_certificate_batch_event_id_event')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_certificate_batch_requested_by_id_user')),
        sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_certificate_batch_skill_id_skill')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_batch')),
    )
    op.create_table('competitor',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_competitor_skill_id_skill')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_competitor')),
        sa.UniqueConstraint('skill_id', 'code', name=op.f('uq_competitor_skill_id_code')),
    )
    op.create_table('marking_window',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('open', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_marking_window_skill_id_skill')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_marking_window')),
        sa.UniqueConstraint('skill_id', 'kind', 'key', name=op.f('uq_marking_window_skill_id_kind_key')),
    )
    op.create_index(op.f('ix_marking_window_skill_id'), 'marking_window', ['skill_id'])

    op.create_table('skill_role',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_skill_role_skill_id_skill')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_skill_role_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_role')),
        sa.UniqueConstraint('user_id', 'skill_id', name=op.f('uq_skill_role_user_id_skill_id')),
    )
    op.create_table('aspect_discussion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('competitor_id', sa.Integer(), nullable=False),
        sa.Column('aspect_id', sa.String(length=40), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['competitor_id'], ['competitor.id'], name=op.f('fk_aspect_discussion_competitor_id_competitor')),
        sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_aspect_discussion_opened_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_aspect_discussion')),
    )
    op.create_index(op.f('ix_aspect_discussion_competitor_id'), 'aspect_discussion', ['competitor_id'])

    op.create_table('audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=True),
        sa.Column('competitor_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('reason', sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(['competitor_id'], ['competitor.id'], name=op.f('fk_audit_entry_competitor_id_competitor')),
        sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_audit_entry_skill_id_skill')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_audit_entry_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry')),
    )
    op.create_index(op.f('ix_audit_entry_competitor_id'), 'audit_entry', ['competitor_id'])
    op.create_index(op.f('ix_audit_entry_skill_id'), 'audit_entry', ['skill_id'])

    op.create_table('certificate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('competitor_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('layout', sa.String(length=20), nullable=False),
        sa.Column('competitor_name', sa.String(length=200), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.Column('skill_name', sa.String(length=200), nullable=False),
        sa.Column('event_name', sa.String(length=200), nullable=False),
        sa.Column('result', sa.String(length=20), nullable=True),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('standardised', sa.Integer(), nullable=False),
        sa.Column('units_json', sa.Text(), nullable=False),
        sa.Column('chief_expert', sa.String(length=200), nullable=False),
        sa.Column('organiser', sa.String(length=200), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_reason', sa.String(length=500), nullable=False),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['competitor_id'], ['competitor.id'], name=op.f('fk_certificate_competitor_id_competitor')),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_certificate_event_id_event')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_certificate_issued_by_id_user')),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_certificate_revoked_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
        sa.UniqueConstraint('number', name=op.f('uq_certificate_number')),
    )
    op.create_index(op.f('ix_certificate_competitor_id'), 'certificate', ['competitor_id'])
    op.create_index(op.f('ix_certificate_event_id'), 'certificate', ['event_id'])

    op.create_table('certificate_batch_part',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['certificate_batch.id'], name=op.f('fk_certificate_batch_part_batch_id_certificate_batch')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_batch_part')),
        sa.UniqueConstraint('batch_id', 'seq', name=op.f('uq_certificate_batch_part_batch_id_seq')),
    )
    op.create_index(op.f('ix_certificate_batch_part_batch_id'), 'certificate_batch_part', ['batch_id'])

    op.create_table('form_presence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('judge_id', sa.Integer(), nullable=False),
        sa.Column('competitor_id', sa.Integer(), nullable=False),
        sa.Column('device_id', sa.String(length=64), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['competitor_id'], ['competitor.id'], name=op.f('fk_form_presence_competitor_id_competitor')),
        sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_form_presence_judge_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_presence')),
        sa.UniqueConstraint('judge_id', 'competitor_id', 'device_id', name=op.f('uq_form_presence_judge_id_competitor_id_device_id')),
    )
    op.create_table('mark',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=False),
        sa.Column('competitor_id', sa.Integer(), nullable=False),
        sa.Column('judge_id', sa.Integer(), nullable=False),
        sa.Column('aspect_id', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['competitor_id'], ['competitor.id'], name=op.f('fk_mark_competitor_id_competitor')),
        sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_mark_judge_id_user')),
        sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_mark_skill_id_skill')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mark')),
        sa.UniqueConstraint('judge_id', 'competitor_id', 'aspect_id', name=op.f('uq_mark_judge_id_competitor_id_aspect_id')),
    )
    op.create_index(op.f('ix_mark_skill_id'), 'mark', ['skill_id'])

    op.create_table('sign_off',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('competitor_id', sa.Integer(), nullable=False),
        sa.Column('judge_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['competitor_id'], ['competitor.id'], name=op.f('fk_sign_off_competitor_id_competitor')),
        sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_sign_off_judge_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_off')),
        sa.UniqueConstraint('competitor_id', 'judge_id', name=op.f('uq_sign_off_competitor_id_judge_id')),
    )
    op.create_index(op.f('ix_sign_off_competitor_id'), 'sign_off', ['competitor_id'])

    op.create_table('variance_override',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('competitor_id', sa.Integer(), nullable=False),
        sa.Column('aspect_id', sa.String(length=40), nullable=False),
        sa.Column('by_user_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=1000), nullable=False),
        sa.Column('entries', sa.String(length=200), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['by_user_id'], ['user.id'], name=op.f('fk_variance_override_by_user_id_user')),
        sa.ForeignKeyConstraint(['competitor_id'], ['competitor.id'], name=op.f('fk_variance_override_competitor_id_competitor')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_variance_override')),
        sa.UniqueConstraint('competitor_id', 'aspect_id', name=op.f('uq_variance_override_competitor_id_aspect_id')),
    )
    op.create_index(op.f('ix_variance_override_competitor_id'), 'variance_override', ['competitor_id'])

    op.create_table('mark_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mark_id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=80), nullable=False),
        sa.Column('old_value', sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column('new_value', sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('by_user_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('device', sa.String(length=200), nullable=False),
        sa.Column('ip', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['by_user_id'], ['user.id'], name=op.f('fk_mark_revision_by_user_id_user')),
        sa.ForeignKeyConstraint(['mark_id'], ['mark.id'], name=op.f('fk_mark_revision_mark_id_mark')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_revision')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_mark_revision_idempotency_key')),
    )
    op.create_index(op.f('ix_mark_revision_mark_id'), 'mark_revision', ['mark_id'])


def downgrade():
    # Dropping a table drops its indexes; children before parents.
    op.drop_table('mark_revision')
    op.drop_table('variance_override')
    op.drop_table('sign_off')
    op.drop_table('mark')
    op.drop_table('form_presence')
    op.drop_table('certificate_batch_part')
    op.drop_table('certificate')
    op.drop_table('audit_entry')
    op.drop_table('aspect_discussion')
    op.drop_table('skill_role')
    op.drop_table('marking_window')
    op.drop_table('competitor')
    op.drop_table('certificate_batch')
    op.drop_table('board_state')
    op.drop_table('skill')
    op.drop_table('certificate_settings')
    op.drop_table('api_token')
    op.drop_table('user')
    op.drop_table('event')
