"""Formatting of findings for ``telementor phi-check FILE [--json]``."""

from __future__ import annotations

import json
from collections.abc import Iterable

from app.redaction.findings import PhiFinding

SNIPPET_LIMIT = 60


def format_findings(text: str, findings: Iterable[PhiFinding], as_json: bool) -> str:
    """One finding per line (``line:col-col LABEL certainty "snippet"``) or a JSON list."""
    findings = list(findings)
    if as_json:
        return json.dumps([{**f.to_dict(), "text": text[f.start : f.end]} for f in findings], indent=2)
    return "\n".join(_format_line(text, finding) for finding in findings)


def _format_line(text: str, finding: PhiFinding) -> str:
    line_start = text.rfind("\n", 0, finding.start) + 1
    line_number = text.count("\n", 0, finding.start) + 1
    first_column = finding.start - line_start + 1
    last_column = finding.end - line_start  # inclusive, 1-based
    snippet = text[finding.start : finding.end].replace("\n", " ")
    if len(snippet) > SNIPPET_LIMIT:
        snippet = snippet[: SNIPPET_LIMIT - 1] + "…"
    return f"{line_number}:{first_column}-{last_column} {finding.label} {finding.certainty} {json.dumps(snippet, ensure_ascii=False)}"
