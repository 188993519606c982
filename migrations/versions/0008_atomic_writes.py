"""atomic writes: at most one valid certificate per session and learner

Revision ID: 0008_atomic_writes
Revises: 0007_waiver_text
Create Date: 2026-12-06 20:40:00
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0008_atomic_writes'
down_revision: str | None = '0007_waiver_text'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = 'uq_certificate_valid_session_user'
VALID = sa.text('revoked_at IS NULL')
DUPLICATE_REASON = 'Duplicate of an earlier certificate for the same session and learner.'


def revoke_duplicates() -> None:
    """Keep the earliest valid certificate per session and learner; revoke the others, so the
    unique index can be built on data that a double click already duplicated."""
    statement = sa.text(
        "UPDATE certificate SET revoked_at = :now, revoke_reason = :reason "
        "WHERE revoked_at IS NULL AND EXISTS (SELECT 1 FROM certificate AS earlier "
        "WHERE earlier.session_id = certificate.session_id AND earlier.user_id = certificate.user_id "
        "AND earlier.revoked_at IS NULL AND earlier.id < certificate.id)"
    ).bindparams(sa.bindparam('now', datetime.now(UTC), type_=app.db.UTCDateTime()),
                 sa.bindparam('reason', DUPLICATE_REASON))
    op.get_bind().execute(statement)


def upgrade() -> None:
    revoke_duplicates()
    op.create_index(INDEX, 'certificate', ['session_id', 'user_id'], unique=True,
                    sqlite_where=VALID, postgresql_where=VALID)


def downgrade() -> None:
    op.drop_index(INDEX, table_name='certificate')
