"""certificate: a partial index of the revoked certificates by session, for the credit CSV

Revision ID: 0021_revoked_certificates_index
Revises: 0020_improvement_measures
Create Date: 2026-12-07 03:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021_revoked_certificates_index'
down_revision: str | None = '0020_improvement_measures'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_certificate_revoked_session', 'certificate', ['session_id'], unique=False,
                    sqlite_where=sa.text('revoked_at IS NOT NULL'), postgresql_where=sa.text('revoked_at IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_certificate_revoked_session', table_name='certificate')
