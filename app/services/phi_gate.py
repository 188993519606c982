"""The server-side PHI gate: text with unresolved findings is refused before it is written anywhere.

A finding is resolved when its text is redacted (it is then no longer found) or, for "likely"
findings only, when the person who typed it marks it "not PHI" (a waiver: field, offsets and label,
never the text). Fixed-shape identifiers (SSN, phone, e-mail, record numbers ...) cannot be waived.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import InvalidInput
from app.redaction import PhiFinding, find_phi

LIKELY = "likely"


@dataclass(frozen=True, slots=True)
class Waiver:
    field: str
    start: int
    end: int
    label: str

    @classmethod
    def parse(cls, raw: str) -> Waiver | None:
        """From the form's "field:start:end:label"; None when malformed."""
        parts = raw.split(":")
        if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        return cls(parts[0], int(parts[1]), int(parts[2]), parts[3])

    def key(self) -> str:
        return f"{self.field}:{self.start}:{self.end}:{self.label}"


class PhiFound(InvalidInput):
    """422 with the findings (offsets and labels only) per field; nothing was saved."""

    title = "Remove the patient identifiers first"

    def __init__(self, findings: dict[str, list[PhiFinding]]) -> None:
        count = sum(len(items) for items in findings.values())
        super().__init__(
            f"Nothing was saved: {count} possible identifier(s) must be redacted or, where allowed, "
            "marked as not PHI.",
            fields={name: f"{len(items)} possible identifier(s) to resolve" for name, items in findings.items()},
            extra={"findings": {name: [finding_dict(f) for f in items] for name, items in findings.items()}},
        )
        self.findings = findings


def finding_dict(finding: PhiFinding) -> dict:
    return {"start": finding.start, "end": finding.end, "label": finding.label, "certainty": finding.certainty}


def review(texts: dict[str, str], waivers: set[Waiver]) -> tuple[dict[str, list[PhiFinding]], list[Waiver]]:
    """(unresolved findings per field, the waivers that still match a waivable finding)."""
    unresolved: dict[str, list[PhiFinding]] = {}
    honoured: list[Waiver] = []
    for name, text in texts.items():
        for finding in find_phi(text):
            waiver = Waiver(name, finding.start, finding.end, finding.label)
            if finding.certainty == LIKELY and waiver in waivers:
                honoured.append(waiver)
            else:
                unresolved.setdefault(name, []).append(finding)
    return unresolved, honoured


def require_clean(texts: dict[str, str], waivers: set[Waiver]) -> list[Waiver]:
    """Refuse (PhiFound) unless every finding is resolved; returns the honoured waivers."""
    unresolved, honoured = review(texts, waivers)
    if unresolved:
        raise PhiFound(unresolved)
    return honoured
