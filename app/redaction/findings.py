"""The finding type, the label vocabulary and the redaction of found spans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

LABELS: tuple[str, ...] = (
    "NAME",
    "DATE",
    "AGE",
    "PHONE",
    "FAX",
    "EMAIL",
    "SSN",
    "MRN",
    "HEALTHPLAN",
    "ACCOUNT",
    "LICENSE",
    "VEHICLE",
    "DEVICE",
    "URL",
    "IP",
    "LOCATION",
    "ID",
)

# Labels whose findings are always "certain": fixed-shape identifiers that a person may redact
# but never waive as "not PHI".  Other labels (ID, DATE) carry a per-finding certainty.
CERTAIN_LABELS: frozenset[str] = frozenset(
    {
        "PHONE",
        "FAX",
        "EMAIL",
        "SSN",
        "MRN",
        "HEALTHPLAN",
        "ACCOUNT",
        "LICENSE",
        "VEHICLE",
        "DEVICE",
        "URL",
        "IP",
    }
)

CERTAIN = "certain"
LIKELY = "likely"

# An age over 89 is replaced by the HIPAA safe-harbour bucket rather than a placeholder,
# so the hub still knows the patient is very old.
AGE_REPLACEMENT = "90+"


@dataclass(frozen=True, slots=True)
class PhiFinding:
    start: int
    end: int  # exclusive
    label: str
    certainty: str  # "certain" | "likely"

    def to_dict(self) -> dict[str, int | str]:
        return asdict(self)


def placeholder(label: str) -> str:
    return AGE_REPLACEMENT if label == "AGE" else f"[{label}]"


def redact(text: str, findings: Iterable[PhiFinding]) -> str:
    """Replace each finding's span by its placeholder; overlapping findings are merged."""
    pieces: list[str] = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < cursor:
            cursor = max(cursor, finding.end)  # overlaps the span just replaced: absorb it
            continue
        pieces.append(text[cursor : finding.start])
        pieces.append(placeholder(finding.label))
        cursor = finding.end
    pieces.append(text[cursor:])
    return "".join(pieces)
