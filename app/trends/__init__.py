"""Run charts, retention and cohort arithmetic and their SVG drawings: pure, no database, no web.

    chart = analyse([12, 14, None, 15, ...])     # None: a cancelled session, a gap
    chart.median, [s.as_dict() for s in chart.signals]
"""

from app.trends.runchart import RunChart, Signal, analyse, median_of, runs_limits

__all__ = ["RunChart", "Signal", "analyse", "median_of", "runs_limits"]
