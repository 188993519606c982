"""The run chart as SVG (app.trends.svg): gaps, markers by shape, titles escaped, a round axis."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.trends.runchart import analyse
from app.trends.svg import ChartText, nice_maximum, render

NS = {"svg": "http://www.w3.org/2000/svg"}


def draw(values, labels=None, notes=None) -> ET.Element:
    labels = labels or [f"2026-01-{i + 1:02d}" for i in range(len(values))]
    markup = render(analyse(values), ChartText(title="People <attending>", labels=labels, unit="people",
                                               notes=notes or {}), element_id="c")
    return ET.fromstring(markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_nice_maximum():
    assert [nice_maximum(v) for v in (0, 3, 7, 11, 24, 48, 0.8)] == [1, 5, 10, 20, 25, 50, 1]


def test_cancelled_session_breaks_the_line_and_has_a_cross():
    svg = draw([3, None, 2, 4])
    assert len(svg.findall("svg:path[@class='series']", NS)) == 2
    cancelled = svg.findall("svg:g[@class='point cancelled']", NS)
    assert [g.find("svg:title", NS).text for g in cancelled] == ["2026-01-02: cancelled (no point)"]


def test_signal_points_have_their_own_shapes():
    svg = draw([1, 2, 3, 4, 5, 6, 3, 3])
    trend = svg.findall("svg:g[@class='point trend']", NS)
    assert len(trend) == 6
    assert all(g.find("svg:path[@class='signal']", NS) is not None for g in trend)
    assert trend[0].find("svg:title", NS).text == "2026-01-01: 1 people — trend"


def test_title_text_is_escaped_and_notes_are_flagged():
    svg = draw([3, 4, 5], labels=["a&b", "b", "c"], notes={1: 1})
    assert svg.find("svg:title", NS).text == "People <attending>: run chart of 3 sessions, median 4"
    assert svg.findall("svg:g[@class='point']", NS)[0].find("svg:title", NS).text == "a&b: 3 people"
    assert [t.text for t in svg.findall("svg:g[@class='note-marker']/svg:text", NS)] == ["1"]
    assert svg.findall("svg:g[@class='point']", NS)[1].find("svg:title", NS).text == "b: 4 people — note 1"


def test_empty_chart_draws_without_points():
    svg = draw([])
    assert svg.findall("svg:g", NS) == [] and svg.find("svg:line[@class='median']", NS) is None
