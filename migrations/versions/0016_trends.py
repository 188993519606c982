"""run-chart annotations, trend indexes, spoke sites' county and rural flag

Revision ID: 0016_trends
Revises: 0015_integrations
Create Date: 2026-12-06 23:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.db

revision: str = '0016_trends'
down_revision: str | None = '0015_integrations'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('trend_annotation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_trend_annotation_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_trend_annotation_program_id_program'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['echo_session.id'], name=op.f('fk_trend_annotation_session_id_echo_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trend_annotation'))
    )
    op.create_index(op.f('ix_trend_annotation_program_id'), 'trend_annotation', ['program_id'], unique=False)
    op.create_index(op.f('ix_trend_annotation_session_id'), 'trend_annotation', ['session_id'], unique=False)
    op.create_index('ix_echo_session_program_starts', 'echo_session', ['program_id', 'starts_at'], unique=False)
    op.create_index('ix_attendance_record_trends', 'attendance_record',
                    ['session_id', 'user_id', 'computed_seconds', 'adjusted_seconds'], unique=False)
    op.create_index('ix_membership_trends', 'membership', ['program_id', 'user_id', 'site_id'], unique=False)
    op.create_index('ix_user_account_profession', 'user_account', ['id', 'profession'], unique=False)
    op.create_index('ix_credit_award_trends', 'credit_award', ['session_id', 'credits'], unique=False)
    # Plain ADD COLUMN (no batch copy on SQLite): where spoke sites are, for the reach table.
    op.add_column('spoke_site', sa.Column('county', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False,
                                          server_default=''))
    op.add_column('spoke_site', sa.Column('rural', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('spoke_site', schema=None) as batch_op:
        batch_op.drop_column('rural')
        batch_op.drop_column('county')
    op.drop_index('ix_credit_award_trends', table_name='credit_award')
    op.drop_index('ix_user_account_profession', table_name='user_account')
    op.drop_index('ix_membership_trends', table_name='membership')
    op.drop_index('ix_attendance_record_trends', table_name='attendance_record')
    op.drop_index('ix_echo_session_program_starts', table_name='echo_session')
    op.drop_index(op.f('ix_trend_annotation_session_id'), table_name='trend_annotation')
    op.drop_index(op.f('ix_trend_annotation_program_id'), table_name='trend_annotation')
    op.drop_table('trend_annotation')
