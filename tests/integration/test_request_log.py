"""The service's log: one line per request (method, route pattern, status, milliseconds; never a
query string, a token or a typed value) and no INFO chatter from WeasyPrint or fontTools."""

from __future__ import annotations

import logging
import re

from app.exports.pdf import render_certificate
from tests.unit.test_pdf_samples import make_certificate

REQUEST_LINE = re.compile(r"^(GET|POST|PUT|DELETE|HEAD) (\S+(?: \(no route\))?) (\d{3}) (\d+\.\d) ms$")


def request_lines(caplog) -> list[tuple[str, str, str]]:
    lines = [record.getMessage() for record in caplog.records if record.name == "telementor.request"]
    assert all(REQUEST_LINE.match(line) for line in lines), lines
    return [REQUEST_LINE.match(line).group(1, 2, 3) for line in lines]


def test_each_request_is_logged_once_with_its_route_pattern_status_and_time(client, caplog):
    caplog.set_level(logging.INFO, logger="telementor.request")
    client.get("/healthz")
    client.get("/calendar/s3cr3t-feed-token-value.ics?token=another-secret")
    assert request_lines(caplog) == [("GET", "/healthz", "200"), ("GET", "/calendar/{token}.ics", "404")]
    assert "s3cr3t" not in caplog.text and "another-secret" not in caplog.text


def test_a_path_no_route_matches_is_logged_by_its_first_segment_only(client, caplog):
    caplog.set_level(logging.INFO, logger="telementor.request")
    client.get("/password/set/typed-token-value/extra?email=someone@example.org")
    assert request_lines(caplog) == [("GET", "/password/… (no route)", "404")]
    assert "typed-token-value" not in caplog.text and "someone@example.org" not in caplog.text


def test_a_form_post_logs_no_field_value(client, caplog):
    caplog.set_level(logging.INFO)
    client.post("/login", data={"email": "jane.patient@example.org", "password": "hunter22", "csrf_token": "x"})
    assert [line[:2] for line in request_lines(caplog)] == [("POST", "/login")]
    assert "jane.patient" not in caplog.text and "hunter22" not in caplog.text


def test_rendering_a_certificate_writes_no_info_lines_from_weasyprint_or_fonttools(app, caplog):
    caplog.set_level(logging.DEBUG)  # the root logger would take everything; the quiet ones keep to warnings
    render_certificate(make_certificate(learner_name="Ada Lovelace", code="LOG0001"))
    noisy = [r for r in caplog.records
             if r.name.split(".")[0] in ("weasyprint", "fontTools") and r.levelno < logging.WARNING]
    assert noisy == []
    assert not logging.getLogger("weasyprint").isEnabledFor(logging.INFO)
    assert not logging.getLogger("fontTools.subset").isEnabledFor(logging.INFO)
