"""run-chart annotations and improvement measures

Revision ID: 0016_trends
Revises: 0015_integrations
Create Date: 2026-12-06 23:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op  # noqa: F401

revision: str = '0016_trends'
down_revision: str | None = '0015_integrations'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
