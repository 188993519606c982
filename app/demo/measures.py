"""Improvement measures for the demo (#11): the hepatitis C collaborative tracks "SVR12 checked" per
month at each spoke site, for the 18 months up to the month before today, with the odd month not
reported and an improvement after the first year. Seeded from the program's slug; a second run
finds the measure and adds nothing."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.models import ImprovementMeasure, MeasureReport, Program, SpokeSite
from app.services.measures import period_of, periods_between

NAME = "SVR12 checked"
MONTHS = 18


def build_measures(db: Session, programs: dict[str, Program]) -> None:
    program = programs.get("hcv")
    if program is None or db.exec(select(ImprovementMeasure.id).where(
            ImprovementMeasure.program_id == program.id, ImprovementMeasure.name == NAME)).first() is not None:
        return
    measure = ImprovementMeasure(
        program_id=program.id, name=NAME, period="monthly", goal="up", target=0.8,
        numerator_definition="Patients who finished hepatitis C treatment 12 or more weeks ago and had a viral load "
                             "checked (SVR12).",
        denominator_definition="Patients who finished hepatitis C treatment 12 or more weeks ago.")
    db.add(measure)
    db.flush()
    today = datetime.now(ZoneInfo(program.timezone)).date()
    last = period_of(today.replace(day=1) - timedelta(days=1), "monthly")
    months = periods_between(_months_before(last, MONTHS - 1), last, "monthly")
    sites = db.exec(select(SpokeSite).where(SpokeSite.program_id == program.id).order_by(SpokeSite.id)).all()
    seed = random.Random(f"{program.slug}-measures")
    for site in sites:
        for index, start in enumerate(months):
            if seed.random() < 0.1:
                continue  # a month the site did not report
            denominator = seed.randint(6, 20)
            share = (0.45 if index < 12 else 0.7) + seed.uniform(-0.12, 0.12)
            db.add(MeasureReport(measure_id=measure.id, spoke_site_id=site.id, period_start=start,
                                 numerator=max(0, min(denominator, round(denominator * share))),
                                 denominator=denominator))
    db.flush()


def _months_before(start: date, count: int) -> date:
    month = start.year * 12 + start.month - 1 - count
    return start.replace(year=month // 12, month=month % 12 + 1)
