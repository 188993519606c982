"""certificate PDFs rendered and stored at issue; coordinators_manage_credit on program

Revision ID: 0013_certificate_files
Revises: 0012_credit_rules
Create Date: 2026-12-06 23:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op  # noqa: F401

import app.db

revision: str = '0013_certificate_files'
down_revision: str | None = '0012_credit_rules'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No backfill: certificates issued before this revision get their PDF rendered and stored on
    # their first download (or when a session ZIP asks for them), not 700,000 jobs at once.
    op.create_table(
        'certificate_file',
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', app.db.UTCDateTime(), nullable=False),
        sa.Column('claimed_at', app.db.UTCDateTime(), nullable=True),
        sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('revoked', sa.Boolean(), nullable=False),
        sa.Column('rendered_at', app.db.UTCDateTime(), nullable=True),
        sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'],
                                name=op.f('fk_certificate_file_certificate_id_certificate'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('certificate_id', name=op.f('pk_certificate_file')),
    )
    op.create_index('ix_certificate_file_due', 'certificate_file', ['status', 'next_attempt_at'], unique=False)
    # Coordinators may manage a program's certificates when the CME office allows it (#12). A plain
    # ADD COLUMN with a server default, no batch copy of the table on SQLite.
    op.add_column('program', sa.Column('coordinators_manage_credit', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_column('coordinators_manage_credit')
    op.drop_index('ix_certificate_file_due', table_name='certificate_file')
    op.drop_table('certificate_file')
