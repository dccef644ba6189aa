"""Initial schema: patients, screenings, catalog, plans, sessions, documents, users and audit.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 16:57:39.074113
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity_type', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.String(length=60), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_entry_entity', ['entity_type', 'entity_id'], unique=False)

    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_entry_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('clinic_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('emergency_phone', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('jurisdiction', sa.String(length=20), nullable=False),
    sa.Column('logo_png', sa.LargeBinary(), nullable=True),
    sa.Column('page_size', sa.String(length=10), nullable=False),
    sa.Column('document_language', sa.String(length=10), nullable=False),
    sa.Column('idle_lock_minutes', sa.Integer(), nullable=True),
    sa.Column('backup_keep', sa.Integer(), nullable=False),
    sa.Column('backup_interval_minutes', sa.Integer(), nullable=False),
    sa.Column('retention_years', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_settings'))
    )
    op.create_table('ingredient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('common_name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('strength_value', sa.Float(), nullable=True),
    sa.Column('strength_unit', sa.String(length=20), nullable=True),
    sa.Column('presentation', sa.String(length=200), nullable=False),
    sa.Column('legal_status', sa.String(length=200), nullable=False),
    sa.Column('vehicle', sa.String(length=20), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('caution_tags', sa.JSON(), nullable=False),
    sa.Column('min_interval_days', sa.Integer(), nullable=True),
    sa.Column('typical_volume', sa.String(length=200), nullable=False),
    sa.Column('storage', sa.String(length=200), nullable=False),
    sa.Column('off_label', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('evidence_grade', sa.String(length=4), nullable=False),
    sa.Column('sources', sa.Text(), nullable=False),
    sa.Column('cautions', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('custom', sa.Boolean(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingredient')),
    sa.UniqueConstraint('code', name=op.f('uq_ingredient_code'))
    )
    op.create_table('patient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_name', sa.String(length=200), nullable=False),
    sa.Column('given_names', sa.String(length=200), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('sex', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('gp_details', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('family_key', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('given_key', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('phone_digits', sa.String(length=60).with_variant(sa.String(length=60, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('anonymised_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patient'))
    )
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.create_index('ix_patient_date_of_birth', ['date_of_birth'], unique=False)
        batch_op.create_index(batch_op.f('ix_patient_phone_digits'), ['phone_digits'], unique=False)
        batch_op.create_index('ix_patient_sort', ['family_key', 'given_key', 'id'], unique=False)

    op.create_table('plan_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('indication', sa.String(length=60), nullable=False),
    sa.Column('indication_other', sa.String(length=200), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('protocol_code', sa.String(length=80), nullable=False),
    sa.Column('technique', sa.String(length=40), nullable=False),
    sa.Column('depth_mm', sa.Float(), nullable=True),
    sa.Column('needle', sa.String(length=60), nullable=False),
    sa.Column('components', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_template')),
    sa.UniqueConstraint('name', name=op.f('uq_plan_template_name'))
    )
    op.create_table('practitioner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('profession', sa.String(length=120), nullable=False),
    sa.Column('registration_number', sa.String(length=60), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practitioner'))
    )
    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('maker', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('legal_status', sa.String(length=200), nullable=False),
    sa.Column('presentation', sa.String(length=200), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('caution_tags', sa.JSON(), nullable=False),
    sa.Column('off_label', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('evidence_grade', sa.String(length=4), nullable=False),
    sa.Column('sources', sa.Text(), nullable=False),
    sa.Column('cautions', sa.Text(), nullable=False),
    sa.Column('storage', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('custom', sa.Boolean(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('code', name=op.f('uq_product_code'))
    )
    op.create_table('protocol',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('group', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('indications', sa.JSON(), nullable=False),
    sa.Column('phases', sa.JSON(), nullable=False),
    sa.Column('custom', sa.Boolean(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocol')),
    sa.UniqueConstraint('code', name=op.f('uq_protocol_code'))
    )
    op.create_table('rule_setting',
    sa.Column('rule_id', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('rule_id', name=op.f('pk_rule_setting'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(), nullable=True),
    sa.Column('failed_sign_ins', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'], name=op.f('fk_app_user_practitioner_id_practitioner'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('ingredient_id', sa.Integer(), nullable=True),
    sa.Column('lot_number', sa.String(length=80), nullable=False),
    sa.Column('expiry_date', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('quantity_received', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.CheckConstraint('(product_id IS NULL) <> (ingredient_id IS NULL)', name=op.f('ck_batch_exactly_one_item')),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredient.id'], name=op.f('fk_batch_ingredient_id_ingredient'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_batch_product_id_product'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch')),
    sa.UniqueConstraint('ingredient_id', 'lot_number', name='uq_batch_ingredient_lot'),
    sa.UniqueConstraint('product_id', 'lot_number', name='uq_batch_product_lot')
    )
    with op.batch_alter_table('batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batch_ingredient_id'), ['ingredient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batch_product_id'), ['product_id'], unique=False)

    op.create_table('patient_name_token',
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=100).with_variant(sa.String(length=100, collation='C'), 'postgresql'), nullable=False),
    sa.Column('family_key', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('given_key', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_patient_name_token_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('patient_id', 'token', name=op.f('pk_patient_name_token'))
    )
    with op.batch_alter_table('patient_name_token', schema=None) as batch_op:
        batch_op.create_index('ix_patient_name_token_token', ['token', 'family_key', 'given_key', 'patient_id'], unique=False)

    op.create_table('product_component',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('ingredient_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('strength_value', sa.Float(), nullable=True),
    sa.Column('strength_unit', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredient.id'], name=op.f('fk_product_component_ingredient_id_ingredient'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_product_component_product_id_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_component'))
    )
    with op.batch_alter_table('product_component', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_component_product_id'), ['product_id'], unique=False)

    op.create_table('screening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('questionnaire_version', sa.String(length=20), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_screening_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening'))
    )
    with op.batch_alter_table('screening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_patient_id'), ['patient_id'], unique=False)

    op.create_table('treatment_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('indication', sa.String(length=60), nullable=False),
    sa.Column('indication_other', sa.String(length=200), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('protocol_code', sa.String(length=80), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('technique', sa.String(length=40), nullable=False),
    sa.Column('depth_mm', sa.Float(), nullable=True),
    sa.Column('needle', sa.String(length=60), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('template_name', sa.String(length=200), nullable=False),
    sa.Column('consent_signed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_treatment_plan_patient_id_patient'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'], name=op.f('fk_treatment_plan_practitioner_id_practitioner'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treatment_plan'))
    )
    with op.batch_alter_table('treatment_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treatment_plan_patient_id'), ['patient_id'], unique=False)

    op.create_table('cocktail_component',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('ingredient_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('strength_value', sa.Float(), nullable=True),
    sa.Column('strength_unit', sa.String(length=20), nullable=True),
    sa.Column('volume_ml', sa.Float(), nullable=False),
    sa.CheckConstraint('(product_id IS NULL) <> (ingredient_id IS NULL)', name=op.f('ck_cocktail_component_exactly_one_item')),
    sa.CheckConstraint('volume_ml > 0', name=op.f('ck_cocktail_component_positive_volume')),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredient.id'], name=op.f('fk_cocktail_component_ingredient_id_ingredient'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['plan_id'], ['treatment_plan.id'], name=op.f('fk_cocktail_component_plan_id_treatment_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_cocktail_component_product_id_product'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocktail_component'))
    )
    with op.batch_alter_table('cocktail_component', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cocktail_component_plan_id'), ['plan_id'], unique=False)

    op.create_table('finding_acknowledgement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('acknowledged_by', sa.String(length=200), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['treatment_plan.id'], name=op.f('fk_finding_acknowledgement_plan_id_treatment_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_acknowledgement'))
    )
    with op.batch_alter_table('finding_acknowledgement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_acknowledgement_plan_id'), ['plan_id'], unique=False)

    op.create_table('treatment_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=60), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=False),
    sa.Column('planned_time', sa.Time(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('technique', sa.String(length=40), nullable=False),
    sa.Column('depth_mm', sa.Float(), nullable=True),
    sa.Column('needle', sa.String(length=60), nullable=False),
    sa.Column('zones', sa.JSON(), nullable=False),
    sa.Column('reactions', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('performed_at', sa.DateTime(), nullable=True),
    sa.Column('performed_by', sa.String(length=200), nullable=False),
    sa.CheckConstraint('depth_mm IS NULL OR (depth_mm >= 0.1 AND depth_mm <= 13)', name=op.f('ck_treatment_session_depth_range')),
    sa.ForeignKeyConstraint(['plan_id'], ['treatment_plan.id'], name=op.f('fk_treatment_session_plan_id_treatment_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treatment_session'))
    )
    with op.batch_alter_table('treatment_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treatment_session_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_treatment_session_planned_date'), ['planned_date'], unique=False)

    op.create_table('issued_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('template_version', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('page_size', sa.String(length=10), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('issued_by', sa.String(length=200), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('times_printed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['treatment_plan.id'], name=op.f('fk_issued_document_plan_id_treatment_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['treatment_session.id'], name=op.f('fk_issued_document_session_id_treatment_session'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_document'))
    )
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_document_fingerprint'), ['fingerprint'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_document_plan_id'), ['plan_id'], unique=False)

    op.create_table('session_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('volume_ml', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], name=op.f('fk_session_batch_batch_id_batch'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['treatment_session.id'], name=op.f('fk_session_batch_session_id_treatment_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_batch'))
    )
    with op.batch_alter_table('session_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_batch_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_batch_session_id'), ['session_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('session_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_batch_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_batch_batch_id'))

    op.drop_table('session_batch')
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_document_plan_id'))
        batch_op.drop_index(batch_op.f('ix_issued_document_fingerprint'))

    op.drop_table('issued_document')
    with op.batch_alter_table('treatment_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_treatment_session_planned_date'))
        batch_op.drop_index(batch_op.f('ix_treatment_session_plan_id'))

    op.drop_table('treatment_session')
    with op.batch_alter_table('finding_acknowledgement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_acknowledgement_plan_id'))

    op.drop_table('finding_acknowledgement')
    with op.batch_alter_table('cocktail_component', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cocktail_component_plan_id'))

    op.drop_table('cocktail_component')
    with op.batch_alter_table('treatment_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_treatment_plan_patient_id'))

    op.drop_table('treatment_plan')
    with op.batch_alter_table('screening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_patient_id'))

    op.drop_table('screening')
    with op.batch_alter_table('product_component', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_component_product_id'))

    op.drop_table('product_component')
    with op.batch_alter_table('patient_name_token', schema=None) as batch_op:
        batch_op.drop_index('ix_patient_name_token_token')

    op.drop_table('patient_name_token')
    with op.batch_alter_table('batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batch_product_id'))
        batch_op.drop_index(batch_op.f('ix_batch_ingredient_id'))

    op.drop_table('batch')
    op.drop_table('app_user')
    op.drop_table('rule_setting')
    op.drop_table('protocol')
    op.drop_table('product')
    op.drop_table('practitioner')
    op.drop_table('plan_template')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_index('ix_patient_sort')
        batch_op.drop_index(batch_op.f('ix_patient_phone_digits'))
        batch_op.drop_index('ix_patient_date_of_birth')

    op.drop_table('patient')
    op.drop_table('ingredient')
    op.drop_table('clinic_settings')
    op.drop_table('audit_head')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_entity')
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))

    op.drop_table('audit_entry')
    
