"""indexes for keyset-paginated lists and search

Revision ID: 0014_list_indexes
Revises: 0013_certificate_files
Create Date: 2026-12-06 23:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op  # noqa: F401

revision: str = '0014_list_indexes'
down_revision: str | None = '0013_certificate_files'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


INDEXES = [
    ("ix_case_presentation_updated_at_id", "case_presentation", ["updated_at", "id"]),
    ("ix_case_presentation_follow_up_on", "case_presentation", ["follow_up_on"]),
    ("ix_user_account_full_name_id", "user_account", ["full_name", "id"]),
    ("ix_echo_session_program_id_starts_at_id", "echo_session", ["program_id", "starts_at", "id"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
