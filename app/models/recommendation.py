"""The hub's written answer to a case: recommendations, their contributors and addenda."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, utc_column


class Recommendation(SQLModel, table=True):
    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_presentation.id", ondelete="CASCADE")
    session_id: int | None = Field(default=None, foreign_key="echo_session.id", ondelete="SET NULL")
    summary: str = Field(default="")
    # The numbered recommendations, in order.
    items: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    follow_up: str = Field(default="")
    follow_up_on: date | None = Field(default=None)
    status: str = Field(default="draft", max_length=8)  # draft | final
    # Raised on every save; a save that names an older version is refused (409), never merged.
    version: int = Field(default=1)
    finalised_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    finalised_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class RecommendationContributor(SQLModel, table=True):
    __tablename__ = "recommendation_contributor"
    __table_args__ = (UniqueConstraint("recommendation_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")


class RecommendationAddendum(SQLModel, table=True):
    """Final recommendations never change; a correction is added beside them."""

    __tablename__ = "recommendation_addendum"

    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    text: str
    created_at: datetime = created_at_field()
