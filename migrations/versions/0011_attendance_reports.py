"""every attendance report of a session kept; match method; device aliases

Revision ID: 0011_attendance_reports
Revises: 0010_outbox_recipient
Create Date: 2026-12-06 23:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op  # noqa: F401

import app.db

revision: str = '0011_attendance_reports'
down_revision: str | None = '0010_outbox_recipient'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('attendance_import', schema=None) as batch_op:
        batch_op.add_column(sa.Column('row_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('first_join', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_leave', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('meeting_start', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmed_offset_minutes', sa.Integer(), nullable=True))

    op.create_table('name_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_name_alias_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_name_alias_program_id_program'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_name_alias_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_name_alias')),
    sa.UniqueConstraint('program_id', 'name_key', name=op.f('uq_name_alias_program_id'))
    )
    with op.batch_alter_table('name_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_name_alias_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_name_alias_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('name_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_name_alias_user_id'))
        batch_op.drop_index(batch_op.f('ix_name_alias_program_id'))
    op.drop_table('name_alias')
    with op.batch_alter_table('attendance_import', schema=None) as batch_op:
        batch_op.drop_column('confirmed_offset_minutes')
        batch_op.drop_column('meeting_start')
        batch_op.drop_column('last_leave')
        batch_op.drop_column('first_join')
        batch_op.drop_column('row_count')
