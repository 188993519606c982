"""Improvement measures (#11): the program's measures, each site's run chart and the pooled one,
the report form, CSV and JSON. Forms are CSRF-checked by the app-wide dependency."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, Field

from app.deps import CurrentActor, SessionDep, load_program
from app.errors import DomainError
from app.permissions import can_manage_measures, can_report_measures, can_view_measures, require
from app.services import measures as service
from app.services.phi_gate import PhiFound
from app.templating import flash, templates
from app.trends import svg
from app.trends.svg import ChartText

router = APIRouter()

DEFINITION_FIELDS = ("name", "numerator_definition", "denominator_definition", "period", "goal", "target")
REPORT_FIELDS = ("site_id", "period_start", "numerator", "denominator", "comment")


def _form_values(form, names) -> dict:
    return {name: str(form.get(name) or "") for name in names}


def _definition_of(measure) -> dict:
    target = "" if measure.target is None else f"{measure.target * 100:g}%"
    return {"name": measure.name, "numerator_definition": measure.numerator_definition,
            "denominator_definition": measure.denominator_definition, "period": measure.period,
            "goal": measure.goal, "target": target}


# --- JSON and CSV -----------------------------------------------------------------------------


@router.get("/api/v1/programs/{program_id}/measures/{measure_id}", tags=["api"])
def measure_api(program_id: int, measure_id: int, db: SessionDep, actor: CurrentActor) -> dict:
    """A measure's series per site and pooled: points per period (null where nothing was reported),
    median and run-chart signals. Other sites are "Site A", "Site B"... when the program says so."""
    program = load_program(db, program_id)
    require(can_view_measures, actor, program)
    measure = service.load_measure(db, program, measure_id)
    return service.series(db, program, measure, actor=actor).as_json()


@router.get("/api/v1/programs/{program_id}/measures", tags=["api"])
def measures_api(program_id: int, db: SessionDep, actor: CurrentActor) -> list[dict]:
    """The program's measures, active first."""
    program = load_program(db, program_id)
    require(can_view_measures, actor, program)
    return [_measure_json(m) for m in service.measures_of(db, program)]


def _measure_json(measure) -> dict:
    return {"id": measure.id, **{name: getattr(measure, name) for name in DEFINITION_FIELDS},
            "archived": measure.archived}


class ReportIn(BaseModel):
    site_id: int | None = None  # may be left out by a member of one site
    period_start: str = Field(max_length=20)  # the first day of the month or quarter, YYYY-MM-DD
    numerator: int
    denominator: int
    comment: str = Field(default="", max_length=2000)


@router.post("/api/v1/programs/{program_id}/measures/{measure_id}/reports", status_code=201, tags=["api"])
def report_api(program_id: int, measure_id: int, body: ReportIn, response: Response, db: SessionDep,
               actor: CurrentActor) -> dict:
    """A site's counts for a period: 201 when new, 200 when it corrects the period's report."""
    program = load_program(db, program_id)
    require(can_report_measures, actor, program)
    measure = service.load_measure(db, program, measure_id)
    values = {name: "" if value is None else str(value) for name, value in body.model_dump().items()}
    row, created = service.report(db, measure, program, values, actor=actor)
    db.commit()
    response.status_code = 201 if created else 200
    return {"id": row.id, "measure_id": row.measure_id, "site_id": row.spoke_site_id,
            "period_start": row.period_start.isoformat(), "numerator": row.numerator,
            "denominator": row.denominator, "comment": row.comment, "created": created}


@router.get("/programs/{program_id}/measures/{measure_id}.csv")
def measure_csv(program_id: int, measure_id: int, db: SessionDep, actor: CurrentActor) -> Response:
    program = load_program(db, program_id)
    require(can_view_measures, actor, program)
    measure = service.load_measure(db, program, measure_id)
    item = service.series(db, program, measure, actor=actor)
    headers = {"Content-Disposition": f'attachment; filename="{program.slug}-measure-{measure.id}.csv"',
               "Cache-Control": "no-store"}
    return Response(service.series_csv(item), media_type="text/csv; charset=utf-8", headers=headers)


# --- the list ---------------------------------------------------------------------------------


def _render_list(request: Request, db, actor, program, *, values: dict | None = None, errors: dict | None = None,
                 message: str = "", status_code: int = 200):
    context = {"program": program, "measures": service.measures_of(db, program),
               "can_manage": can_manage_measures(actor, program), "values": values or {"period": "monthly",
                                                                                          "goal": "up"},
               "errors": errors or {}, "message": message, "periods": service.PERIODS, "goals": service.GOALS}
    return templates.TemplateResponse(request, "measures/list.html", context, status_code=status_code)


@router.get("/programs/{program_id}/measures", response_class=HTMLResponse)
def measures_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_view_measures, actor, program)
    return _render_list(request, db, actor, program)


@router.post("/programs/{program_id}/measures")
async def define_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_manage_measures, actor, program)
    values = _form_values(await request.form(), DEFINITION_FIELDS)
    try:
        measure = service.define(db, program, values, actor=actor)
    except DomainError as exc:
        db.rollback()  # the typed texts are not shown again where the PHI check refused them
        if isinstance(exc, PhiFound):  # the refused texts are not shown again
            values = {name: value for name, value in values.items() if name not in exc.fields}
        return _render_list(request, db, actor, program, values=values, errors=exc.fields, message=exc.message,
                            status_code=exc.status_code)
    db.commit()
    flash(request, f"Measure “{measure.name}” defined.", "success")
    return RedirectResponse(f"/programs/{program.id}/measures/{measure.id}", status_code=303)


@router.post("/programs/{program_id}/measures/sharing")
async def sharing_page(request: Request, program_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_manage_measures, actor, program)
    anonymised = (await request.form()).get("anonymise") == "on"
    service.set_anonymised(db, program, anonymised, actor=actor)
    db.commit()
    flash(request, "Members now see other sites as “Site A”, “Site B”…" if anonymised
          else "Members now see every site by name.", "success")
    return RedirectResponse(f"/programs/{program.id}/measures", status_code=303)


# --- one measure ------------------------------------------------------------------------------


def _sentence(signal, chart, goal: str, labels: list[str]) -> str:
    """The rule in words, and whether the change goes the measure's better way."""
    if signal.rule in {"shift", "trend"}:
        if signal.rule == "shift":
            up = chart.values[signal.points[0]] > chart.median
            said = f"Shift: {len(signal.points)} periods in a row {'above' if up else 'below'} the median"
        else:
            up = "rising" in signal.detail
            said = f"Trend: {signal.detail.replace('points', 'periods')}"
        return f"{said} ({'the better way' if up == (goal == 'up') else 'the worse way'})."
    if signal.rule == "runs":
        return f"Runs: {signal.detail}."
    return f"Astronomical point: {labels[signal.points[0]]} stands far apart from every other period."


def _chart_view(site: service.SiteSeries, measure, element_id: str) -> dict:
    """The site's shares drawn as percentages; the data table says the counts."""
    chart = site.chart
    percent = replace(chart, values=[None if v is None else round(v * 100, 1) for v in chart.values],
                      median=None if chart.median is None else round(chart.median * 100, 1))
    labels = [service.period_label(p.period_start, measure.period) for p in site.points]
    text = ChartText(title=f"{measure.name}: {site.label}", labels=labels, unit="%", notes={}, points_are="periods",
                     gap="not reported (no point)")
    rules: dict[int, list[str]] = {}
    for signal in chart.signals:
        for index in signal.points:
            rules.setdefault(index, []).append(signal.rule)
    rows = [{"label": labels[i], "point": p, "percent": percent.values[i], "rules": rules.get(i, [])}
            for i, p in enumerate(site.points)]
    return {"site": site, "svg": Markup(svg.render(percent, text, element_id=element_id)), "rows": rows,
            "median": percent.median, "signals": [_sentence(s, chart, measure.goal, labels) for s in chart.signals],
            "reported": sum(1 for p in site.points if p.numerator is not None)}


def _render_measure(request: Request, db, actor, program, measure, *, report_values: dict | None = None,
                    definition: dict | None = None, errors: dict | None = None, message: str = "",
                    status_code: int = 200):
    item = service.series(db, program, measure, actor=actor)
    sites = service.reportable_sites(db, program, actor) if can_report_measures(actor, program) else []
    context = {"program": program, "measure": measure, "item": item, "can_manage": can_manage_measures(actor, program),
               "pooled": _chart_view(item.pooled, measure, "chart-pooled"),
               "charts": [_chart_view(site, measure, f"chart-site-{n}") for n, site in enumerate(item.sites)],
               "report_sites": sites, "site_options": [(str(s.id), s.organisation) for s in sites],
               "errors": errors or {}, "message": message,
               "report_periods": [(p.isoformat(), service.period_label(p, measure.period))
                                  for p in service.recent_periods(measure, program)],
               "report": report_values or {}, "definition": definition or _definition_of(measure),
               "periods": service.PERIODS, "goals": service.GOALS, "comment_max": service.COMMENT_MAX}
    return templates.TemplateResponse(request, "measures/detail.html", context, status_code=status_code)


@router.get("/programs/{program_id}/measures/{measure_id}", response_class=HTMLResponse)
def measure_page(request: Request, program_id: int, measure_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_view_measures, actor, program)
    measure = service.load_measure(db, program, measure_id)
    return _render_measure(request, db, actor, program, measure)


@router.post("/programs/{program_id}/measures/{measure_id}/reports")
async def report_page(request: Request, program_id: int, measure_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_report_measures, actor, program)
    measure = service.load_measure(db, program, measure_id)
    values = _form_values(await request.form(), REPORT_FIELDS)
    try:
        _, created = service.report(db, measure, program, values, actor=actor)
    except DomainError as exc:
        db.rollback()
        if isinstance(exc, PhiFound):
            values["comment"] = ""  # not shown again: it may carry what the PHI check refused
        return _render_measure(request, db, actor, program, measure, report_values=values, errors=exc.fields,
                               message=exc.message, status_code=exc.status_code)
    db.commit()
    flash(request, "Report saved." if created else "Report corrected (the change is recorded).", "success")
    return RedirectResponse(f"/programs/{program.id}/measures/{measure.id}", status_code=303)


@router.post("/programs/{program_id}/measures/{measure_id}/edit")
async def edit_page(request: Request, program_id: int, measure_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_manage_measures, actor, program)
    measure = service.load_measure(db, program, measure_id)
    values = _form_values(await request.form(), DEFINITION_FIELDS)
    try:
        service.edit(db, measure, values, actor=actor)
    except DomainError as exc:
        db.rollback()
        return _render_measure(request, db, actor, program, measure, definition=_definition_of(measure),
                               errors=exc.fields, message=exc.message, status_code=exc.status_code)
    db.commit()
    flash(request, "Measure saved.", "success")
    return RedirectResponse(f"/programs/{program.id}/measures/{measure.id}", status_code=303)


@router.post("/programs/{program_id}/measures/{measure_id}/archive")
async def archive_page(request: Request, program_id: int, measure_id: int, db: SessionDep, actor: CurrentActor):
    program = load_program(db, program_id)
    require(can_manage_measures, actor, program)
    measure = service.load_measure(db, program, measure_id)
    archived = (await request.form()).get("archived", "1") != "0"
    service.set_archived(db, measure, archived, actor=actor)
    db.commit()
    flash(request, "Measure archived: it takes no more reports." if archived else "Measure restored.", "success")
    return RedirectResponse(f"/programs/{program.id}/measures/{measure.id}", status_code=303)
