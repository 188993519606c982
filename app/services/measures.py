"""Improvement measures of a learning collaborative (#11): coordinators define a share (numerator
over denominator) per month or quarter, every spoke site reports its counts, and each site's series
and the pooled one (sum of numerators over sum of denominators) are read as run charts.

A late report corrects the site's row for that period; the old and new counts go to the audit
trail. Texts reach every member, so they pass the PHI gate and nothing is stored when they do not.
A series costs three queries (sites, the actor's own site, reports) however many sites and periods.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from app.db import utcnow
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.exports.spreadsheet import BOM, guard
from app.models import ImprovementMeasure, MeasureReport, Membership, Program, SpokeSite
from app.permissions import Actor, can_manage_measures, sees_measure_site_names
from app.services import audit
from app.services.phi_gate import require_clean_text
from app.trends import RunChart, analyse

NAME_MAX, DEFINITION_MAX, COMMENT_MAX = 200, 1000, 500
PERIODS = {"monthly": 1, "quarterly": 3}  # months per period
GOALS = {"up": "Higher is better", "down": "Lower is better"}
COUNT_MAX = 10_000_000


# --- periods ------------------------------------------------------------------------------


def period_of(day: date, period: str) -> date:
    """The first day of the month or quarter holding `day`."""
    months = PERIODS[period]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def next_period(start: date, period: str) -> date:
    month = start.month - 1 + PERIODS[period]
    return date(start.year + month // 12, month % 12 + 1, 1)


def periods_between(first: date, last: date, period: str) -> list[date]:
    found, current = [], first
    while current <= last:
        found.append(current)
        current = next_period(current, period)
    return found


def period_label(start: date, period: str) -> str:
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}" if period == "quarterly" else start.strftime("%Y-%m")


def local_today(program: Program, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(program.timezone)).date()


def recent_periods(measure: ImprovementMeasure, program: Program, *, count: int = 12,
                   now: datetime | None = None) -> list[date]:
    """The current period and the ones before it, newest first: the report form's choices."""
    last = period_of(local_today(program, now), measure.period)
    found = [last]
    while len(found) < count:
        found.append(_previous_period(found[-1], measure.period))
    return found


def _previous_period(start: date, period: str) -> date:
    month = start.year * 12 + start.month - 1 - PERIODS[period]
    return date(month // 12, month % 12 + 1, 1)


# --- definitions ----------------------------------------------------------------------------


def _text(raw: object, name: str, limit: int, errors: dict[str, str], *, required: bool = True) -> str:
    text = " ".join(str(raw or "").split())
    if required and not text:
        errors[name] = "Required."
    elif len(text) > limit:
        errors[name] = f"At most {limit} characters."
    return text


def _definition(values: dict) -> dict:
    errors: dict[str, str] = {}
    clean = {"name": _text(values.get("name"), "name", NAME_MAX, errors),
             "numerator_definition": _text(values.get("numerator_definition"), "numerator_definition",
                                           DEFINITION_MAX, errors),
             "denominator_definition": _text(values.get("denominator_definition"), "denominator_definition",
                                             DEFINITION_MAX, errors),
             "period": str(values.get("period") or ""), "goal": str(values.get("goal") or "")}
    if clean["period"] not in PERIODS:
        errors["period"] = "Choose monthly or quarterly."
    if clean["goal"] not in GOALS:
        errors["goal"] = "Choose whether higher or lower is better."
    clean["target"] = _target(values.get("target"), errors)
    if errors:
        raise InvalidInput("Nothing was saved: correct the highlighted fields.", fields=errors)
    require_clean_text({k: clean[k] for k in ("name", "numerator_definition", "denominator_definition")},
                       limit=DEFINITION_MAX)
    return clean


def _target(raw: object, errors: dict[str, str]) -> float | None:
    """A share between 0 and 1; "80%" and "80" are read as 0.8."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%").strip())
    except ValueError:
        errors["target"] = "A share such as 0.8 or 80%, or leave it empty."
        return None
    if percent or value > 1:
        value /= 100
    if not 0 <= value <= 1:
        errors["target"] = "Between 0 and 1 (0% and 100%)."
        return None
    return round(value, 4)


def define(db: Session, program: Program, values: dict, *, actor: Actor) -> ImprovementMeasure:
    clean = _definition(values)
    measure = ImprovementMeasure(program_id=program.id, **clean)
    db.add(measure)
    db.flush()
    audit.record(db, actor=actor.user, action="measure.defined", obj=measure, program_id=program.id)
    return measure


def edit(db: Session, measure: ImprovementMeasure, values: dict, *, actor: Actor) -> ImprovementMeasure:
    clean = _definition(values)
    if clean["period"] != measure.period and db.exec(
            select(MeasureReport.id).where(MeasureReport.measure_id == measure.id).limit(1)).first() is not None:
        raise InvalidInput("Nothing was saved: sites have reported for this measure.",
                           fields={"period": "Sites have reported per " + measure.period.removesuffix("ly")
                                   + ": define a new measure for another period."})
    changed = sorted(k for k, v in clean.items() if getattr(measure, k) != v)
    for key, value in clean.items():
        setattr(measure, key, value)
    db.flush()
    audit.record(db, actor=actor.user, action="measure.edited", obj=measure, fields=changed)
    return measure


def set_archived(db: Session, measure: ImprovementMeasure, archived: bool, *, actor: Actor) -> None:
    measure.archived = archived
    db.flush()
    audit.record(db, actor=actor.user, action="measure.archived" if archived else "measure.restored", obj=measure)


def set_anonymised(db: Session, program: Program, anonymised: bool, *, actor: Actor) -> None:
    program.anonymise_measure_sites = anonymised
    db.flush()
    audit.record(db, actor=actor.user, action="program.measure_sites_anonymised", obj=program, value=anonymised)


def measures_of(db: Session, program: Program) -> list[ImprovementMeasure]:
    """Active measures first, then archived ones, each by name."""
    return list(db.exec(select(ImprovementMeasure).where(ImprovementMeasure.program_id == program.id)
                        .order_by(ImprovementMeasure.archived, ImprovementMeasure.name, ImprovementMeasure.id)).all())


def load_measure(db: Session, program: Program, measure_id: int) -> ImprovementMeasure:
    measure = db.get(ImprovementMeasure, measure_id)
    if measure is None or measure.program_id != program.id:
        raise NotFound("No such measure in this program.")
    return measure


# --- reports --------------------------------------------------------------------------------


def own_site_id(db: Session, program: Program, actor: Actor) -> int | None:
    """The spoke site the actor's membership of the program names, if any."""
    return db.exec(select(Membership.site_id).where(Membership.program_id == program.id,
                                                    Membership.user_id == actor.id)).first()


def reportable_sites(db: Session, program: Program, actor: Actor) -> list[SpokeSite]:
    """Coordinators and site admins report for any site of the program; members for their own."""
    statement = select(SpokeSite).where(SpokeSite.program_id == program.id).order_by(SpokeSite.organisation,
                                                                                      SpokeSite.id)
    if not can_manage_measures(actor, program):
        site_id = own_site_id(db, program, actor)
        if site_id is None:
            return []
        statement = statement.where(SpokeSite.id == site_id)
    return list(db.exec(statement).all())


def _count(raw: object, name: str, errors: dict[str, str], *, minimum: int) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text.isdecimal() or len(text) > 8 or int(text) > COUNT_MAX:
        errors[name] = "A whole number." if minimum == 0 else "A whole number, at least 1."
        return None
    if int(text) < minimum:
        errors[name] = "At least 1: the share of nothing is not a number."
        return None
    return int(text)


def _period_start(raw: object, measure: ImprovementMeasure, today: date, errors: dict[str, str]) -> date | None:
    if isinstance(raw, date):
        day = raw
    else:
        try:
            day = date.fromisoformat(str(raw or "").strip())
        except ValueError:
            errors["period_start"] = "A date: the first day of the period (YYYY-MM-DD)."
            return None
    word = "month" if measure.period == "monthly" else "quarter (1 January, April, July or October)"
    if period_of(day, measure.period) != day:
        errors["period_start"] = f"The first day of a {word}."
    elif day > period_of(today, measure.period):
        errors["period_start"] = "That period has not begun yet."
    return day


def _report_values(db: Session, measure: ImprovementMeasure, program: Program, values: dict, *, actor: Actor,
                   today: date) -> dict:
    errors: dict[str, str] = {}
    sites = {site.id: site for site in reportable_sites(db, program, actor)}
    try:
        site_id = int(str(values.get("site_id") or "").strip()) if values.get("site_id") else None
    except ValueError:
        site_id = None
    if site_id is None and len(sites) == 1:
        site_id = next(iter(sites))
    if site_id not in sites:
        errors["site_id"] = ("Choose your spoke site." if sites
                             else "Your membership names no spoke site of this program.")
    clean = {"spoke_site_id": site_id,
             "period_start": _period_start(values.get("period_start"), measure, today, errors),
             "numerator": _count(values.get("numerator"), "numerator", errors, minimum=0),
             "denominator": _count(values.get("denominator"), "denominator", errors, minimum=1),
             "comment": _text(values.get("comment"), "comment", COMMENT_MAX, errors, required=False)}
    if "numerator" not in errors and "denominator" not in errors and clean["numerator"] > clean["denominator"]:
        errors["numerator"] = "Cannot be more than the denominator."
    if errors:
        raise InvalidInput("Nothing was saved: correct the highlighted fields.", fields=errors)
    if clean["comment"]:
        require_clean_text({"comment": clean["comment"]}, limit=COMMENT_MAX)
    return clean


def report(db: Session, measure: ImprovementMeasure, program: Program, values: dict, *, actor: Actor,
           now: datetime | None = None) -> tuple[MeasureReport, bool]:
    """A site's counts for a period: a new row (True), or a correction of the existing one (False)."""
    if measure.archived:
        raise InvalidTransition("This measure is archived: it takes no more reports.")
    clean = _report_values(db, measure, program, values, actor=actor, today=local_today(program, now))
    key = (MeasureReport.measure_id == measure.id, MeasureReport.spoke_site_id == clean["spoke_site_id"],
           MeasureReport.period_start == clean["period_start"])
    # Insert unless the period is reported (ON CONFLICT DO NOTHING: parallel first reports cannot
    # both insert), then lock the row: when it was there, this report corrects it.
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    stamp = utcnow()
    inserted = db.execute(dialect.insert(MeasureReport.__table__).values(
        measure_id=measure.id, reported_by=actor.id, created_at=stamp, updated_at=stamp, **clean)
        .on_conflict_do_nothing().returning(MeasureReport.__table__.c.id)).first() is not None
    row = db.exec(select(MeasureReport).where(*key).with_for_update()
                  .execution_options(populate_existing=True)).one()
    if inserted:
        audit.record(db, actor=actor.user, action="measure_report.reported", obj=row, measure_id=measure.id,
                     spoke_site_id=row.spoke_site_id, period_start=row.period_start.isoformat(),
                     numerator=row.numerator, denominator=row.denominator)
        return row, True
    old = {"numerator": row.numerator, "denominator": row.denominator}
    comment_changed = row.comment != clean["comment"]
    row.numerator, row.denominator, row.comment = clean["numerator"], clean["denominator"], clean["comment"]
    row.reported_by, row.updated_at = actor.id, utcnow()
    db.flush()
    # Counts only: the comment passed the PHI gate, but the audit trail keeps no free text.
    audit.record(db, actor=actor.user, action="measure_report.corrected", obj=row, measure_id=measure.id,
                 spoke_site_id=row.spoke_site_id, period_start=row.period_start.isoformat(), old=old,
                 new={"numerator": row.numerator, "denominator": row.denominator}, comment_changed=comment_changed)
    return row, False


# --- series ---------------------------------------------------------------------------------


@dataclass
class SeriesPoint:
    period_start: date
    numerator: int | None
    denominator: int | None
    comment: str = ""

    @property
    def value(self) -> float | None:
        return None if self.numerator is None else round(self.numerator / self.denominator, 4)

    def as_json(self) -> dict:
        return {"period_start": self.period_start.isoformat(), "numerator": self.numerator,
                "denominator": self.denominator, "value": self.value}


@dataclass
class SiteSeries:
    site_id: int | None  # None when the site is shown anonymised, or for the pooled series
    label: str
    own: bool
    points: list[SeriesPoint]
    chart: RunChart = field(init=False)

    def __post_init__(self) -> None:
        self.chart = analyse([p.value for p in self.points])

    def as_json(self) -> dict:
        return {"site": self.label, "site_id": self.site_id, "own": self.own,
                "points": [p.as_json() for p in self.points],
                "median": None if self.chart.median is None else round(self.chart.median, 4),
                "signals": [s.as_dict() for s in self.chart.signals]}


@dataclass
class MeasureSeries:
    measure: ImprovementMeasure
    periods: list[date]
    sites: list[SiteSeries]
    pooled: SiteSeries
    names_shown: bool

    def as_json(self) -> dict:
        m = self.measure
        return {"measure": {"id": m.id, "name": m.name, "numerator_definition": m.numerator_definition,
                            "denominator_definition": m.denominator_definition, "period": m.period, "goal": m.goal,
                            "target": m.target, "archived": m.archived},
                "sites": [s.as_json() for s in self.sites], "pooled": self.pooled.as_json()}


def site_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: labels for anonymised sites."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def series(db: Session, program: Program, measure: ImprovementMeasure, *, actor: Actor) -> MeasureSeries:
    """Every site's points and the pooled ones, over the periods from the first report to the last;
    a period a site did not report is a gap (None)."""
    sites = db.exec(select(SpokeSite.id, SpokeSite.organisation).where(SpokeSite.program_id == program.id)
                    .order_by(SpokeSite.organisation, SpokeSite.id)).all()
    own = own_site_id(db, program, actor)
    rows = db.exec(select(MeasureReport.spoke_site_id, MeasureReport.period_start, MeasureReport.numerator,
                          MeasureReport.denominator, MeasureReport.comment)
                   .where(MeasureReport.measure_id == measure.id)).all()
    by_key = {(site_id, start): (numerator, denominator, comment)
              for site_id, start, numerator, denominator, comment in rows}
    periods = periods_between(min(r[1] for r in rows), max(r[1] for r in rows), measure.period) if rows else []
    names = sees_measure_site_names(actor, program)

    def points(site_id: int, with_comments: bool) -> list[SeriesPoint]:
        found = []
        for start in periods:
            numerator, denominator, comment = by_key.get((site_id, start), (None, None, ""))
            found.append(SeriesPoint(start, numerator, denominator, comment if with_comments else ""))
        return found

    shown = [SiteSeries(site_id, name, site_id == own, points(site_id, True)) for site_id, name in sites
             if names or site_id == own]
    if not names:  # the others by letter, ordered by how much they report, not by anything that names them
        others = [(site_id, points(site_id, False)) for site_id, _ in sites if site_id != own]
        others.sort(key=lambda item: -sum(p.denominator or 0 for p in item[1]))
        shown += [SiteSeries(None, f"Site {site_letters(i)}", False, pts) for i, (_, pts) in enumerate(others)]
    pooled = []
    for start in periods:
        reported = [by_key[(site_id, start)] for site_id, _ in sites if (site_id, start) in by_key]
        pooled.append(SeriesPoint(start, sum(r[0] for r in reported) if reported else None,
                                  sum(r[1] for r in reported) if reported else None))
    return MeasureSeries(measure, periods, shown, SiteSeries(None, "All sites (pooled)", False, pooled), names)


def series_csv(item: MeasureSeries) -> str:
    """One row per site and period (pooled last); text cells defused for spreadsheets."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["measure", "site", "period_start", "period", "numerator", "denominator", "value", "median",
                     "signals", "comment"])
    for site in [*item.sites, item.pooled]:
        rules: dict[int, list[str]] = {}
        for signal in site.chart.signals:
            for index in signal.points:
                rules.setdefault(index, []).append(signal.rule)
        median = "" if site.chart.median is None else f"{site.chart.median:g}"
        for index, point in enumerate(site.points):
            writer.writerow([guard(item.measure.name), guard(site.label), point.period_start.isoformat(),
                             period_label(point.period_start, item.measure.period),
                             "" if point.numerator is None else point.numerator,
                             "" if point.denominator is None else point.denominator,
                             "" if point.value is None else f"{point.value:g}", median,
                             " ".join(rules.get(index, [])), guard(point.comment)])
    return out.getvalue()
