"""credit rules: adjustments kept, approval, reminders

Revision ID: 0012_credit_rules
Revises: 0011_attendance_reports
Create Date: 2026-12-06 23:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401

import app.db
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op  # noqa: F401

revision: str = '0012_credit_rules'
down_revision: str | None = '0011_attendance_reports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("credit_settings") as batch:
        batch.add_column(sa.Column("designation_max_credits", sa.Numeric(7, 2), nullable=True))
        batch.add_column(sa.Column("raise_needs_approval", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "evaluation_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["echo_session.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "user_id"),
    )
    op.create_index("ix_evaluation_reminder_session_id", "evaluation_reminder", ["session_id"])
    op.create_index("ix_evaluation_reminder_user_id", "evaluation_reminder", ["user_id"])
    op.create_table(
        "attendance_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.Column("reported_seconds", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["echo_session.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attendance_adjustment_session_id", "attendance_adjustment", ["session_id"])
    op.create_index("ix_attendance_adjustment_user_id", "attendance_adjustment", ["user_id"])


def downgrade() -> None:
    op.drop_table("attendance_adjustment")
    op.drop_table("evaluation_reminder")
    with op.batch_alter_table("credit_settings") as batch:
        batch.drop_column("raise_needs_approval")
        batch.drop_column("designation_max_credits")
