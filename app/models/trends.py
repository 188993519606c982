"""Run-chart annotations (a PDSA note on a session's point) and the indexes the trend queries use."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.attendance import AttendanceRecord
from app.models.base import created_at_field
from app.models.credit import CreditAward
from app.models.echo_session import EchoSession
from app.models.program import Membership
from app.models.user import User


class TrendAnnotation(SQLModel, table=True):
    """A coordinator's note on one session of a program's charts ("moved to 7 am"): a change tried,
    shown on every chart of the program at that session. Passed the PHI check before it was stored."""

    __tablename__ = "trend_annotation"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    session_id: int = Field(foreign_key="echo_session.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=300)
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


# The trend queries read a program's sessions in time order and, per session, the attendance
# seconds of each person, their site, their profession and the credit awarded: with these,
# PostgreSQL answers each session's value from the indexes alone (index-only scans).
Index("ix_echo_session_program_starts", EchoSession.program_id, EchoSession.starts_at)
Index("ix_attendance_record_trends", AttendanceRecord.session_id, AttendanceRecord.user_id,
      AttendanceRecord.computed_seconds, AttendanceRecord.adjusted_seconds)
Index("ix_membership_trends", Membership.program_id, Membership.user_id, Membership.site_id)
Index("ix_user_account_profession", User.id, User.profession)
Index("ix_credit_award_trends", CreditAward.session_id, CreditAward.credits)
