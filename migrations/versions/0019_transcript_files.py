"""transcript_file: a learner's rendered transcript per period, kept until what it shows changes

Revision ID: 0019_transcript_files
Revises: 0018_mail_retention
Create Date: 2026-12-07 03:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = '0019_transcript_files'
down_revision: str | None = '0018_mail_retention'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'transcript_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('stale', sa.Boolean(), nullable=False),
        sa.Column('rendered_at', app.db.UTCDateTime(), nullable=True),
        sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'period_start', 'period_end', name='uq_transcript_file_period'),
    )
    op.create_index('ix_transcript_file_stale', 'transcript_file', ['stale'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_transcript_file_stale', table_name='transcript_file')
    op.drop_table('transcript_file')
