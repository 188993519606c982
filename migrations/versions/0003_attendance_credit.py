"""attendance, credit, certificates

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:11:06.614154
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.db


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('credit_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('credit_types', sa.JSON(), nullable=False),
    sa.Column('max_credits', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('step', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('min_share', sa.Numeric(precision=4, scale=3), nullable=False),
    sa.Column('evaluation_required', sa.Boolean(), nullable=False),
    sa.Column('faculty_credit', sa.Boolean(), nullable=False),
    sa.Column('provider_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('provider_address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('accreditation_statement', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('designation_statement', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('activity_type', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('evaluation_questions', sa.JSON(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_credit_settings_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_settings')),
    sa.UniqueConstraint('program_id', name=op.f('uq_credit_settings_program_id'))
    )
    op.create_table('attendance_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('layout', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user_account.id'], name=op.f('fk_attendance_import_imported_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['echo_session.id'], name=op.f('fk_attendance_import_session_id_echo_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_import'))
    )
    with op.batch_alter_table('attendance_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_import_session_id'), ['session_id'], unique=False)

    op.create_table('attendance_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('guest_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sources', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('computed_seconds', sa.Integer(), nullable=False),
    sa.Column('adjusted_seconds', sa.Integer(), nullable=True),
    sa.Column('adjust_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('adjusted_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['adjusted_by_id'], ['user_account.id'], name=op.f('fk_attendance_record_adjusted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['echo_session.id'], name=op.f('fk_attendance_record_session_id_echo_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_attendance_record_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_record')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_attendance_record_session_id'))
    )
    with op.batch_alter_table('attendance_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_record_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_record_user_id'), ['user_id'], unique=False)

    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('credit_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('credits', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('learner_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('issued_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoke_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_certificate_issued_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['echo_session.id'], name=op.f('fk_certificate_session_id_echo_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_certificate_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_code'), ['code'], unique=True)
        batch_op.create_index(batch_op.f('ix_certificate_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_user_id'), ['user_id'], unique=False)

    op.create_table('checkin_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_checkin_code_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['echo_session.id'], name=op.f('fk_checkin_code_session_id_echo_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_code')),
    sa.UniqueConstraint('session_id', name=op.f('uq_checkin_code_session_id'))
    )
    op.create_table('credit_award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('credit_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('credits', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('attended_seconds', sa.Integer(), nullable=False),
    sa.Column('is_faculty', sa.Boolean(), nullable=False),
    sa.Column('computed_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['echo_session.id'], name=op.f('fk_credit_award_session_id_echo_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_credit_award_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_award')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_credit_award_session_id'))
    )
    with op.batch_alter_table('credit_award', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_award_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_award_user_id'), ['user_id'], unique=False)

    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['echo_session.id'], name=op.f('fk_evaluation_session_id_echo_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_evaluation_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_evaluation_session_id'))
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_user_id'), ['user_id'], unique=False)

    op.create_table('report_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('candidate_ids', sa.JSON(), nullable=False),
    sa.Column('intervals', sa.JSON(), nullable=False),
    sa.Column('reported_seconds', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['attendance_import.id'], name=op.f('fk_report_person_import_id_attendance_import'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_report_person_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_person'))
    )
    with op.batch_alter_table('report_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_person_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_person_user_id'), ['user_id'], unique=False)

    op.create_table('email_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_email_alias_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_alias')),
    sa.UniqueConstraint('email', name=op.f('uq_email_alias_email'))
    )
    with op.batch_alter_table('email_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_alias_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('npi', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('board_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('nabp_eprofile_id', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('birth_month', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('birth_day', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reporting_consent_at', app.db.UTCDateTime(timezone=True), nullable=True))




def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('reporting_consent_at')
        batch_op.drop_column('birth_day')
        batch_op.drop_column('birth_month')
        batch_op.drop_column('nabp_eprofile_id')
        batch_op.drop_column('board_id')
        batch_op.drop_column('npi')

    with op.batch_alter_table('email_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_alias_user_id'))

    op.drop_table('email_alias')
    with op.batch_alter_table('report_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_person_user_id'))
        batch_op.drop_index(batch_op.f('ix_report_person_import_id'))

    op.drop_table('report_person')
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_user_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_session_id'))

    op.drop_table('evaluation')
    with op.batch_alter_table('credit_award', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_award_user_id'))
        batch_op.drop_index(batch_op.f('ix_credit_award_session_id'))

    op.drop_table('credit_award')
    op.drop_table('checkin_code')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_session_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_code'))

    op.drop_table('certificate')
    with op.batch_alter_table('attendance_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_record_user_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_record_session_id'))

    op.drop_table('attendance_record')
    with op.batch_alter_table('attendance_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_import_session_id'))

    op.drop_table('attendance_import')
    op.drop_table('credit_settings')
