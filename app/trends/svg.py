"""A run chart drawn as inline SVG, server-side (no chart service, no script needed to see it).

The drawing scales to its container (viewBox, no fixed width), so it fits a 390 px phone without
sideways scrolling. Signals are shown by shape as well as colour: a shift's points are squares,
a trend's diamonds, an astronomical point a large ring; a cancelled session is a gap in the line
with a small cross on the axis. Every point carries a <title> (its date, value and signals) that
browsers show on hover; the data table beside the chart says the same for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from app.trends.runchart import RunChart

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 40
RULE_WORDS = {"shift": "shift", "trend": "trend", "runs": "too few or too many runs", "astronomical": "astronomical point"}


@dataclass(frozen=True)
class ChartText:
    title: str
    labels: Sequence[str]  # one per point: the session's local date
    unit: str
    notes: dict[int, int]  # point index -> note number shown on the chart
    points_are: str = "sessions"  # what a point stands for, in the chart's title
    gap: str = "cancelled (no point)"  # a gap's tooltip


def nice_maximum(value: float) -> float:
    """A round top for the value axis: 1, 2, 2.5 or 5 times a power of ten, at least `value`."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def point_rules(chart: RunChart) -> dict[int, list[str]]:
    rules: dict[int, list[str]] = {}
    for signal in chart.signals:
        if signal.rule == "runs":
            continue  # a property of the whole chart, said in words beside it
        for index in signal.points:
            rules.setdefault(index, [])
            if signal.rule not in rules[index]:
                rules[index].append(signal.rule)
    return rules


def render(chart: RunChart, text: ChartText, *, element_id: str) -> str:
    values = chart.values
    count = len(values)
    top = nice_maximum(max([v for v in values if v is not None] or [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w / 2 if count == 1 else plot_w * i / (count - 1))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = [f'<svg class="run-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{element_id}-t" preserveAspectRatio="xMidYMid meet" id="{element_id}">',
             f'<title id="{element_id}-t">{escape(text.title)}: run chart of {count} {text.points_are}'
             f'{"" if chart.median is None else ", median " + _number(chart.median)}</title>']
    for step in range(5):  # grid and value labels
        value = top * step / 4
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
                     f'<text class="axis" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{_number(value)}</text>')
    for i in _label_indexes(count):
        parts.append(f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
                     f'{escape(text.labels[i])}</text>')
    for index, number in sorted(text.notes.items()):
        parts.append(f'<g class="note-marker"><line x1="{x(index):.1f}" x2="{x(index):.1f}" y1="{TOP - 10}" '
                     f'y2="{HEIGHT - BOTTOM}"/><text x="{x(index):.1f}" y="{TOP - 14}" text-anchor="middle">'
                     f'{number}</text></g>')
    if chart.median is not None:
        parts.append(f'<line class="median" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(chart.median):.1f}" '
                     f'y2="{y(chart.median):.1f}"/><text class="median-label" x="{WIDTH - RIGHT}" '
                     f'y="{y(chart.median) - 5:.1f}" text-anchor="end">median {_number(chart.median)}</text>')
    for segment in _segments(values):
        path = " ".join(f"{'M' if k == 0 else 'L'}{x(i):.1f},{y(values[i]):.1f}" for k, i in enumerate(segment))
        parts.append(f'<path class="series" d="{path}"/>')
    rules = point_rules(chart)
    for i, value in enumerate(values):
        parts.append(_marker(i, value, x(i), y(value) if value is not None else HEIGHT - BOTTOM, rules.get(i, []),
                             text))
    parts.append("</svg>")
    return "".join(parts)


def _segments(values: Sequence[float | None]) -> list[list[int]]:
    segments: list[list[int]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append(i)
    return [s for s in segments if s]


def _label_indexes(count: int, most: int = 6) -> list[int]:
    if count == 0:
        return []
    if count <= most:
        return list(range(count))
    return sorted({round(k * (count - 1) / (most - 1)) for k in range(most)})


def _marker(i: int, value, cx: float, cy: float, rules: list[str], text: ChartText) -> str:
    label = text.labels[i]
    if value is None:
        tip = f"{label}: {text.gap}"
        return (f'<g class="point cancelled" data-index="{i}"><title>{escape(tip)}</title>'
                f'<path d="M{cx - 4:.1f},{cy - 4:.1f}l8,8m0,-8l-8,8"/></g>')
    tip = f"{label}: {_number(value)} {text.unit}"
    if rules:
        tip += " — " + ", ".join(RULE_WORDS[r] for r in rules)
    if i in text.notes:
        tip += f" — note {text.notes[i]}"
    if "astronomical" in rules:
        shape = f'<circle class="signal" cx="{cx:.1f}" cy="{cy:.1f}" r="8"/><circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5"/>'
    elif "shift" in rules:
        shape = f'<rect class="signal" x="{cx - 4.5:.1f}" y="{cy - 4.5:.1f}" width="9" height="9"/>'
    elif "trend" in rules:
        shape = f'<path class="signal" d="M{cx:.1f},{cy - 6:.1f}l6,6l-6,6l-6,-6z"/>'
    else:
        shape = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4"/>'
    classes = " ".join(["point", *rules])
    return f'<g class="{classes}" data-index="{i}"><title>{escape(tip)}</title>{shape}</g>'
