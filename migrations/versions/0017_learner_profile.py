"""learner fields for ACCME PARS and NABP CPE Monitor

Revision ID: 0017_learner_profile
Revises: 0016_trends
Create Date: 2026-12-06 23:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op  # noqa: F401

revision: str = '0017_learner_profile'
down_revision: str | None = '0016_trends'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COLUMNS = (("first_name", 100), ("last_name", 100), ("certifying_board", 10), ("licence_state", 2),
           ("licence_number", 40), ("participant_type", 20))


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=False,
                                       server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
