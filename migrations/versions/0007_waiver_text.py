"""waivers name the waived text: phi_waiver.text_sha256

A waiver stored before this revision has an empty digest, matches no text, and is dropped the next
time its case is shown: the presenter marks the finding again if it still applies.

Revision ID: 0007_waiver_text
Revises: 0006
Create Date: 2026-12-06 20:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '0007_waiver_text'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('phi_waiver', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'text_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default='',
        ))


def downgrade() -> None:
    with op.batch_alter_table('phi_waiver', schema=None) as batch_op:
        batch_op.drop_column('text_sha256')
