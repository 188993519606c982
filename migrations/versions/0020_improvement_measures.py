"""improvement measures (#11): improvement_measure, measure_report, program.anonymise_measure_sites

Revision ID: 0020_improvement_measures
Revises: 0019_transcript_files
Create Date: 2026-12-07 03:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.db

revision: str = '0020_improvement_measures'
down_revision: str | None = '0019_transcript_files'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('improvement_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('numerator_definition', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('denominator_definition', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('goal', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("goal IN ('up', 'down')", name=op.f('ck_improvement_measure_goal')),
    sa.CheckConstraint("period IN ('monthly', 'quarterly')", name=op.f('ck_improvement_measure_period')),
    sa.CheckConstraint('target IS NULL OR (target >= 0 AND target <= 1)', name=op.f('ck_improvement_measure_target')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_improvement_measure_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_improvement_measure'))
    )
    op.create_index(op.f('ix_improvement_measure_program_id'), 'improvement_measure', ['program_id'], unique=False)
    op.create_table('measure_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('spoke_site_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('numerator', sa.Integer(), nullable=False),
    sa.Column('denominator', sa.Integer(), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('reported_by', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('numerator >= 0 AND denominator >= 1 AND numerator <= denominator', name=op.f('ck_measure_report_counts')),
    sa.ForeignKeyConstraint(['measure_id'], ['improvement_measure.id'], name=op.f('fk_measure_report_measure_id_improvement_measure'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by'], ['user_account.id'], name=op.f('fk_measure_report_reported_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['spoke_site_id'], ['spoke_site.id'], name=op.f('fk_measure_report_spoke_site_id_spoke_site'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_report')),
    sa.UniqueConstraint('measure_id', 'spoke_site_id', 'period_start', name='uq_measure_report_period')
    )
    op.create_index(op.f('ix_measure_report_spoke_site_id'), 'measure_report', ['spoke_site_id'], unique=False)
    # Plain ADD COLUMN (no batch copy on SQLite); off: a learning collaborative shares its data.
    op.add_column('program', sa.Column('anonymise_measure_sites', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_column('anonymise_measure_sites')
    op.drop_index(op.f('ix_measure_report_spoke_site_id'), table_name='measure_report')
    op.drop_table('measure_report')
    op.drop_index(op.f('ix_improvement_measure_program_id'), table_name='improvement_measure')
    op.drop_table('improvement_measure')
