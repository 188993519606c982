"""Improvement measures of a learning collaborative (#11): a measure's definition, and the counts
each spoke site reports for it per month or quarter."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column
from app.db import utcnow


class ImprovementMeasure(SQLModel, table=True):
    """A share tracked by every site of a program, e.g. "patients with an A1c in the last 6 months"
    over "patients with diabetes seen". Its texts reach every member: they passed the PHI check."""

    __tablename__ = "improvement_measure"
    __table_args__ = (
        CheckConstraint("period IN ('monthly', 'quarterly')", name="period"),
        CheckConstraint("goal IN ('up', 'down')", name="goal"),
        CheckConstraint("target IS NULL OR (target >= 0 AND target <= 1)", name="target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    numerator_definition: str = Field(max_length=1000)
    denominator_definition: str = Field(max_length=1000)
    period: str = Field(max_length=10)  # monthly | quarterly
    goal: str = Field(max_length=4)  # up | down: the direction that is better
    target: float | None = Field(default=None)  # a share, e.g. 0.8
    archived: bool = Field(default=False)
    created_at: datetime = created_at_field()


class MeasureReport(SQLModel, table=True):
    """One site's counts for one period. A late report is a correction of this row (the old and new
    counts go to the audit trail), never a second row."""

    __tablename__ = "measure_report"
    __table_args__ = (
        UniqueConstraint("measure_id", "spoke_site_id", "period_start", name="uq_measure_report_period"),
        CheckConstraint("numerator >= 0 AND denominator >= 1 AND numerator <= denominator", name="counts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique (measure, site, period) constraint leads with it.
    measure_id: int = Field(foreign_key="improvement_measure.id", ondelete="CASCADE")
    spoke_site_id: int = Field(foreign_key="spoke_site.id", index=True, ondelete="CASCADE")
    period_start: date  # the first day of the month or quarter
    numerator: int
    denominator: int
    comment: str = Field(default="", max_length=500)
    reported_by: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
