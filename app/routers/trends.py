"""Program trends: run charts per session (JSON, pages, CSV) and coordinators' notes on them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, Field

from app.confirmation import Confirmation, render_confirmation
from app.deps import CurrentActor, SessionDep, load_program
from app.errors import InvalidInput, NotFound
from app.permissions import can_annotate_trends, can_view_trends, require
from app.services import trends as trend_service
from app.templating import flash, templates
from app.trends import svg
from app.trends.svg import ChartText

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


# --- pages ------------------------------------------------------------------------------------

PERIOD_LABELS = {"6": "Last 6 months", "12": "Last 12 months", "24": "Last 24 months", "all": "All sessions"}
RULE_SENTENCES = {
    "shift": "Shift: {n} points in a row on one side of the median.",
    "trend": "Trend: {n} points in a row going the same way.",
    "runs": "Runs: {detail}.",
    "astronomical": "Astronomical point: {label} stands far apart from every other point.",
}


def _chart_view(item: trend_service.Chart, program, notes: list[dict]) -> dict:
    labels = [trend_service.local_date(p.starts_at, program.timezone) for p in item.points]
    numbers = {}
    for note in notes:
        numbers.setdefault(note["index"], note["number"])
    text = ChartText(title=item.metric.title, labels=labels, unit=item.metric.unit, notes=numbers)
    rules = trend_service.signals_at(item)
    rows = [{"date": labels[i], "value": p.value, "rules": rules.get(i, []),
             "notes": [n["number"] for n in notes if n["index"] == i]} for i, p in enumerate(item.points)]
    sentences = [RULE_SENTENCES[s.rule].format(n=len(s.points), detail=s.detail, label=labels[s.points[0]])
                 for s in item.analysis.signals]
    return {"metric": item.metric, "svg": Markup(svg.render(item.analysis, text, element_id=f"chart-{item.metric.name}")),
            "rows": rows, "median": item.analysis.median, "sentences": sentences,
            "held": sum(1 for p in item.points if p.value is not None)}


def _render_page(request: Request, db, actor, program, period: str, *, errors: dict | None = None,
                 status_code: int = 200):
    charts, notes = trend_service.all_charts(db, program, actor=actor, period=period)
    sessions = [(p.session_id, trend_service.local_date(p.starts_at, program.timezone))
                for p in reversed(charts[0].points)]
    context = {"program": program, "period": period, "periods": PERIOD_LABELS, "notes": notes,
               "charts": [_chart_view(item, program, notes) for item in charts], "sessions": sessions,
               "can_annotate": can_annotate_trends(actor, program), "errors": errors or {},
               "max_note": trend_service.ANNOTATION_MAX,
               "loyalty": trend_service.loyalty(db, program, period=period),
               "reach": (reach := trend_service.reach(db, program, period=period)),
               "rural_share": trend_service.rural_share(reach)}
    return templates.TemplateResponse(request, "trends/program.html", context, status_code=status_code)


@router.get("/programs/{program_id}/trends", response_class=HTMLResponse)
def trends_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor,
                period: str = trend_service.DEFAULT_PERIOD):
    program = load_program(db, program_id)
    require(can_view_trends, actor, program)
    if period not in trend_service.PERIODS:
        period = trend_service.DEFAULT_PERIOD
    return _render_page(request, db, actor, program, period)


@router.get("/programs/{program_id}/trends/{metric}.csv")
def trends_csv(program_id: int, metric: str, db: SessionDep, actor: CurrentActor,
               period: str = trend_service.DEFAULT_PERIOD) -> Response:
    program = load_program(db, program_id)
    require(can_view_trends, actor, program)
    item = trend_service.chart(db, program, metric, actor=actor, period=period)
    filename = f"{program.slug}-{item.metric.name}-{period}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(trend_service.chart_csv(program, item), media_type="text/csv; charset=utf-8", headers=headers)


@router.post("/programs/{program_id}/trends/annotations")
async def annotate_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_annotate_trends, actor, program)
    form = await request.form()
    period = str(form.get("period") or trend_service.DEFAULT_PERIOD)
    period = period if period in trend_service.PERIODS else trend_service.DEFAULT_PERIOD
    try:
        session_id = int(str(form.get("session_id") or ""))
    except ValueError:
        return _render_page(request, db, actor, program, period, errors={"session_id": "Choose a session."},
                            status_code=422)
    try:
        trend_service.annotate(db, program, session_id, str(form.get("text") or ""), actor=actor)
    except (InvalidInput, NotFound) as exc:
        db.rollback()  # the typed text is not shown again: it may carry what the PHI check refused
        errors = exc.fields or {"form": exc.message}
        return _render_page(request, db, actor, program, period, errors={"form": exc.message, **errors},
                            status_code=exc.status_code)
    db.commit()
    flash(request, "Note added to the charts.", "success")
    return RedirectResponse(f"/programs/{program.id}/trends?period={period}#notes", status_code=303)


@router.get("/programs/{program_id}/trends/annotations/{annotation_id}/remove", response_class=HTMLResponse)
def confirm_remove_annotation_page(request: Request, program_id: int, annotation_id: int, db: SessionDep,
                                   actor: CurrentActor):
    """Asks before a note leaves the charts, quoting it."""
    program = load_program(db, program_id)
    require(can_annotate_trends, actor, program)
    note, starts_at = trend_service.load_annotation(db, program, annotation_id)
    day = starts_at.astimezone(ZoneInfo(program.timezone)).strftime("%-d %b %Y")
    return render_confirmation(request, Confirmation(
        title=f"Remove a note · {program.name}", question=f"Remove the note on the session of {day}?",
        action=f"/programs/{program.id}/trends/annotations/{note.id}/remove", word="remove",
        button="Remove the note", cancel_url=f"/programs/{program.id}/trends#notes", cancel_label="Keep it",
        details=[("Note", note.text)], consequences=["It leaves every chart of the program; the data stay."]))


@router.post("/programs/{program_id}/trends/annotations/{annotation_id}/remove")
def remove_annotation_page(request: Request, program_id: int, annotation_id: int, db: SessionDep,
                           actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_annotate_trends, actor, program)
    note = trend_service.remove_annotation(db, program, annotation_id)
    db.commit()
    flash(request, f"Removed the note “{note.text}” from the charts.", "success")
    return RedirectResponse(f"/programs/{program.id}/trends#notes", status_code=303)
