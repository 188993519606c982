"""the home page's dashboards: each session's awards and valid certificates with learner and credit,
waiting report rows

Revision ID: 0022_dashboard_indexes
Revises: 0021_revoked_certificates_index
Create Date: 2026-12-07 06:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022_dashboard_indexes'
down_revision: str | None = '0021_revoked_certificates_index'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING_ROWS = "status IN ('ambiguous', 'conflict', 'unmatched', 'unverified')"


def upgrade() -> None:
    op.create_index('ix_credit_award_session_user_credits', 'credit_award', ['session_id', 'user_id', 'credits'],
                    unique=False)
    op.create_index('ix_certificate_valid_session_user_credits', 'certificate', ['session_id', 'user_id', 'credits'],
                    unique=False, sqlite_where=sa.text('revoked_at IS NULL'),
                    postgresql_where=sa.text('revoked_at IS NULL'))
    op.create_index('ix_report_person_waiting', 'report_person', ['import_id'], unique=False,
                    sqlite_where=sa.text(WAITING_ROWS), postgresql_where=sa.text(WAITING_ROWS))


def downgrade() -> None:
    op.drop_index('ix_report_person_waiting', table_name='report_person')
    op.drop_index('ix_certificate_valid_session_user_credits', table_name='certificate')
    op.drop_index('ix_credit_award_session_user_credits', table_name='credit_award')
