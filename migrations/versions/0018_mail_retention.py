"""outbox_message: an index for deleting sent e-mail past its retention

Revision ID: 0018_mail_retention
Revises: 0017_learner_profile
Create Date: 2026-12-06 23:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0018_mail_retention'
down_revision: str | None = '0017_learner_profile'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_outbox_message_sent', 'outbox_message', ['status', 'sent_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_message_sent', table_name='outbox_message')
