"""Program trends: run charts per session (JSON, pages, CSV) and coordinators' notes on them."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.deps import CurrentActor, SessionDep, load_program
from app.permissions import can_annotate_trends, can_view_trends, require
from app.services import trends as trend_service

router = APIRouter()


class AnnotationIn(BaseModel):
    session_id: int
    text: str = Field(max_length=2000)


@router.get("/api/v1/programs/{program_id}/trends", tags=["api"])
def trends_api(program_id: int, db: SessionDep, actor: CurrentActor, metric: str = "attendance",
               period: str = "all") -> dict:
    """One run chart: points per session (cancelled: null), median, signals, annotations."""
    program = load_program(db, program_id)
    require(can_view_trends, actor, program)
    return trend_service.chart(db, program, metric, actor=actor, period=period).as_json()


@router.post("/api/v1/programs/{program_id}/trends/annotations", status_code=201, tags=["api"])
def annotate_api(program_id: int, body: AnnotationIn, db: SessionDep, actor: CurrentActor) -> dict:
    program = load_program(db, program_id)
    require(can_annotate_trends, actor, program)
    note = trend_service.annotate(db, program, body.session_id, body.text, actor=actor)
    db.commit()
    return {"id": note.id, "session_id": note.session_id, "text": note.text, "created_at": note.created_at.isoformat()}


@router.delete("/api/v1/programs/{program_id}/trends/annotations/{annotation_id}", status_code=204, tags=["api"])
def remove_annotation_api(program_id: int, annotation_id: int, db: SessionDep, actor: CurrentActor) -> None:
    program = load_program(db, program_id)
    require(can_annotate_trends, actor, program)
    trend_service.remove_annotation(db, program, annotation_id)
    db.commit()
