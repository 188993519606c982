"""outbox_message: recipient and subject as last built, for the mail queue page

Revision ID: 0010_outbox_recipient
Revises: 0009_accounts
Create Date: 2026-12-06 22:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0010_outbox_recipient'
down_revision: str | None = '0009_accounts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN with a server default (no batch copy of the table on SQLite); messages
    # already in the queue show their kind until the worker next builds them.
    op.add_column('outbox_message', sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=500),
                                              nullable=False, server_default=''))
    op.add_column('outbox_message', sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300),
                                              nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('subject')
        batch_op.drop_column('recipient')
