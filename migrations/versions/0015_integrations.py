"""Zoom and Microsoft Teams connections and meetings

Revision ID: 0015_integrations
Revises: 0014_list_indexes
Create Date: 2026-12-06 23:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op  # noqa: F401

from app.db import UTCDateTime

revision: str = '0015_integrations'
down_revision: str | None = '0014_list_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "integration_connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("account_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("client_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("secret_encrypted", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("last_checked_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_check", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_integration_connection_created_by_id_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration_connection")),
    )
    op.create_table(
        "program_meeting_host",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("host_user", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["chosen_by_id"], ["user_account.id"],
                                name=op.f("fk_program_meeting_host_chosen_by_id_user_account"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["connection_id"], ["integration_connection.id"],
                                name=op.f("fk_program_meeting_host_connection_id_integration_connection"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"],
                                name=op.f("fk_program_meeting_host_program_id_program"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_meeting_host")),
        sa.UniqueConstraint("program_id", name=op.f("uq_program_meeting_host_program_id")),
    )
    op.create_index(op.f("ix_program_meeting_host_connection_id"), "program_meeting_host", ["connection_id"])
    op.create_table(
        "session_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=True),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("host_user", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("meeting_id", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("join_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("attendance_state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("attendance_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("attendance_deadline", UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["connection_id"], ["integration_connection.id"],
                                name=op.f("fk_session_meeting_connection_id_integration_connection"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["session_id"], ["echo_session.id"],
                                name=op.f("fk_session_meeting_session_id_echo_session"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_meeting")),
        sa.UniqueConstraint("session_id", name=op.f("uq_session_meeting_session_id")),
    )
    op.create_index(op.f("ix_session_meeting_connection_id"), "session_meeting", ["connection_id"])
    op.create_index(op.f("ix_session_meeting_meeting_id"), "session_meeting", ["meeting_id"])
    op.create_table(
        "integration_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["echo_session.id"],
                                name=op.f("fk_integration_job_session_id_echo_session"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration_job")),
    )
    op.create_index("ix_integration_job_due", "integration_job", ["status", "next_attempt_at"])
    op.create_index(op.f("ix_integration_job_session_id"), "integration_job", ["session_id"])


def downgrade() -> None:
    op.drop_table("integration_job")
    op.drop_table("session_meeting")
    op.drop_table("program_meeting_host")
    op.drop_table("integration_connection")
