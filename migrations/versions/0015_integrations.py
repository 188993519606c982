"""Zoom and Microsoft Teams connections and meetings

Revision ID: 0015_integrations
Revises: 0014_list_indexes
Create Date: 2026-12-06 23:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op  # noqa: F401

revision: str = '0015_integrations'
down_revision: str | None = '0014_list_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
