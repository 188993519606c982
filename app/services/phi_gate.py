"""The server-side PHI gate: text with unresolved findings is refused before it is written anywhere.

In this order, each before any work on the text that follows it: a field longer than MAX_FREE_TEXT
is refused (the detector never sees it); a text carrying zero-width or direction-changing characters
is refused, naming the field and the position; then every field is checked on its own and all of
them joined (in form order, one "\\n" between), so an identifier split across two fields is found
in each field it touches.

A finding is resolved when its text is redacted (it is then no longer found) or, for "likely"
findings only, when the person who typed it marks it "not PHI": a waiver names the field, the
offsets, the label and the exact waived characters, and holds only while the text at those offsets
is still those characters.  Stored waivers keep a digest of the characters, never the characters.
Fixed-shape identifiers (SSN, phone, e-mail, record numbers ...) cannot be waived.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from app.errors import InvalidInput
from app.redaction import PhiFinding, find_phi, placeholder, redact
from app.redaction.findings import CERTAIN, LIKELY
from app.redaction.normalize import invisible_characters

MAX_FREE_TEXT = 20_000
FIELD_SEPARATOR = "\n"


@dataclass(frozen=True, slots=True)
class Waiver:
    field: str
    start: int
    end: int
    label: str
    text: str  # the waived characters, exactly

    @classmethod
    def parse(cls, raw: str) -> Waiver | None:
        """From the form's "field:start:end:label:TEXT" (TEXT may hold colons); None when malformed."""
        parts = raw.split(":", 4)
        if len(parts) != 5 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        waiver = cls(parts[0], int(parts[1]), int(parts[2]), parts[3], parts[4])
        return waiver if len(waiver.text) == waiver.end - waiver.start else None

    @classmethod
    def of(cls, field: str, text: str, finding: PhiFinding) -> Waiver:
        """The waiver that would resolve ``finding`` of ``text``."""
        return cls(field, finding.start, finding.end, finding.label, text[finding.start:finding.end])

    def key(self) -> str:
        return f"{self.field}:{self.start}:{self.end}:{self.label}:{self.text}"

    def digest(self) -> str:
        return text_digest(self.text)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()  # JSON may carry lone surrogates


class PhiFound(InvalidInput):
    """422 with the findings (offsets and labels only) per field; nothing was saved."""

    title = "Remove the patient identifiers first"

    def __init__(self, findings: dict[str, list[PhiFinding]], *, message: str = "",
                 fields: dict[str, str] | None = None) -> None:
        count = sum(len(items) for items in findings.values())
        super().__init__(
            message or f"Nothing was saved: {count} possible identifier(s) must be redacted or, where allowed, "
            "marked as not PHI.",
            fields=fields or {name: f"{len(items)} possible identifier(s) to resolve"
                              for name, items in findings.items()},
            extra={"findings": {name: [finding_dict(f) for f in items] for name, items in findings.items()}},
        )
        self.findings = findings


def finding_dict(finding: PhiFinding) -> dict:
    return {"start": finding.start, "end": finding.end, "label": finding.label, "certainty": finding.certainty}


def _field_title(name: str) -> str:
    return name.replace("_", " ")


def require_within_limit(texts: dict[str, str], *, limit: int = MAX_FREE_TEXT) -> None:
    """Refuse any field over ``limit`` characters, before anything reads the text."""
    over = {name: len(text) for name, text in texts.items() if len(text) > limit}
    if over:
        first = next(iter(over))
        raise InvalidInput(
            f"Nothing was saved: {_field_title(first)} is longer than {limit:,} characters.",
            fields={name: f"Use at most {limit:,} characters (this has {length:,})." for name, length in over.items()})


def require_visible(texts: dict[str, str]) -> None:
    """Refuse text carrying zero-width characters or bidirectional controls, naming field and position."""
    problems = {}
    for name, text in texts.items():
        if found := invisible_characters(text):
            problems[name] = (f"Remove the invisible character {found[0].description} at character "
                              f"{found[0].position + 1}" + (f" and {len(found) - 1} more" if len(found) > 1 else "")
                              + ": zero-width and text-direction characters are not accepted.")
    if problems:
        first = next(iter(problems))
        raise InvalidInput(f"Nothing was saved: {_field_title(first)} carries invisible characters.", fields=problems)


def find_in_fields(texts: dict[str, str]) -> dict[str, list[PhiFinding]]:
    """Findings per field: of the field alone and of all fields joined, merged where they overlap."""
    found = {name: find_phi(text) for name, text in texts.items()}
    if sum(1 for text in texts.values() if text) < 2:
        return found
    joined = FIELD_SEPARATOR.join(texts.values())
    bounds, offset = {}, 0
    for name, text in texts.items():
        bounds[name] = (offset, offset + len(text))
        offset += len(text) + len(FIELD_SEPARATOR)
    for finding in find_phi(joined):
        for name, (low, high) in bounds.items():
            if finding.start < high and finding.end > low:
                piece = PhiFinding(max(finding.start, low) - low, min(finding.end, high) - low,
                                   finding.label, finding.certainty)
                found[name].append(piece)
    return {name: _merge(items) for name, items in found.items()}


def _merge(findings: list[PhiFinding]) -> list[PhiFinding]:
    """Sorted, non-overlapping: overlapping findings become one span; a certain label wins."""
    merged: list[PhiFinding] = []
    for finding in sorted(set(findings), key=lambda f: (f.start, -f.end, f.certainty != CERTAIN)):
        if merged and finding.start < merged[-1].end:
            previous = merged[-1]
            keep = finding if previous.certainty != CERTAIN and finding.certainty == CERTAIN else previous
            merged[-1] = PhiFinding(previous.start, max(previous.end, finding.end), keep.label,
                                    CERTAIN if CERTAIN in (previous.certainty, finding.certainty) else LIKELY)
        else:
            merged.append(finding)
    return merged


def review(texts: dict[str, str], waivers: set[Waiver]) -> tuple[dict[str, list[PhiFinding]], list[Waiver]]:
    """(unresolved findings per field, the waivers that still match a waivable finding)."""
    unresolved: dict[str, list[PhiFinding]] = {}
    honoured: list[Waiver] = []
    for name, findings in find_in_fields(texts).items():
        for finding in findings:
            waiver = Waiver.of(name, texts[name], finding)
            if finding.certainty == LIKELY and waiver in waivers:
                honoured.append(waiver)
            else:
                unresolved.setdefault(name, []).append(finding)
    return unresolved, honoured


def require_clean(texts: dict[str, str], waivers: set[Waiver]) -> list[Waiver]:
    """Refuse unless every field is short enough, visible, and every finding resolved (PhiFound);
    returns the honoured waivers."""
    require_within_limit(texts)
    require_visible(texts)
    unresolved, honoured = review(texts, waivers)
    if unresolved:
        raise PhiFound(unresolved)
    return honoured


def require_clean_text(texts: dict[str, str], *, limit: int) -> None:
    """The gate for free text that reaches other people outside a case (a cancellation reason, an
    agenda topic, a program description): nothing can be waived there, so any finding refuses it."""
    require_within_limit(texts, limit=limit)
    require_visible(texts)
    found = {name: items for name, items in find_in_fields(texts).items() if items}
    if found:
        fields = {name: "Others see this text: rewrite it without the possible patient identifier(s) " + ", ".join(
            f"{f.label} at characters {f.start + 1}–{f.end}" for f in items) + "." for name, items in found.items()}
        raise PhiFound(found, message="Nothing was saved: the text may carry patient identifiers.", fields=fields)


def redact_keeping_waivers(name: str, text: str, chosen: Iterable[PhiFinding],
                           waivers: set[Waiver]) -> tuple[str, set[Waiver]]:
    """Redact ``chosen`` findings of one field; waivers of that field that a redaction does not
    touch move by the change in length of the redactions before them instead of being lost."""
    chosen = sorted(chosen, key=lambda f: f.start)
    kept = {w for w in waivers if w.field != name}
    for waiver in (w for w in waivers if w.field == name):
        if any(f.start < waiver.end and f.end > waiver.start for f in chosen):
            continue  # its text is redacted: nothing left to waive
        shift = sum(len(placeholder(f.label)) - (f.end - f.start) for f in chosen if f.end <= waiver.start)
        kept.add(Waiver(name, waiver.start + shift, waiver.end + shift, waiver.label, waiver.text))
    return redact(text, chosen), kept
