"""The server-side PHI gate: text with unresolved findings is refused before it is written anywhere.

In this order, each before any work on the text that follows it: a field longer than MAX_FREE_TEXT
is refused (the detector never sees it); a text carrying zero-width or direction-changing characters
is refused, naming the field and the position; then every field is checked on its own and all of
the filled ones joined (in form order, one "\\n" between), so an identifier split across two fields is found
in each field it touches.  The "\\n" is a character the reader does not see: "505-555-" and "0134",
"SSN 123-45" and "-6789", or "50555" and "50134" read as one number but joined with it hold two
separators or none of the shape's, so the text around each boundary between fields is also read
with the fields run together (see ``_gap``).
The live check (``check_fields``) refuses what saving refuses, with the same messages.

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
from app.redaction.normalize import InvisibleCharacter, invisible_characters

MAX_FREE_TEXT = 20_000
FIELD_SEPARATOR = "\n"
# Characters either side of a boundary between two fields read with the fields run together: more
# than the longest identifier with its lead-in ("Medicaid member ID: ...").
BOUNDARY_CONTEXT = 80


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


def invisible_in(texts: dict[str, str]) -> dict[str, list[InvisibleCharacter]]:
    """The zero-width characters and bidirectional controls of each field that has any."""
    return {name: found for name, text in texts.items() if (found := invisible_characters(text))}


def require_visible(texts: dict[str, str], *, outcome: str = "Nothing was saved") -> None:
    """Refuse text carrying zero-width characters or bidirectional controls, naming field and position
    (in the message, one-based) and, for an editor to mark them, each one's offsets (from 0)."""
    invisible = invisible_in(texts)
    if not invisible:
        return
    problems = {name: (f"Remove the invisible character {found[0].description} at character "
                       f"{found[0].position + 1}" + (f" and {len(found) - 1} more" if len(found) > 1 else "")
                       + ": zero-width and text-direction characters are not accepted.")
                for name, found in invisible.items()}
    offsets = {name: [{"start": c.position, "end": c.position + len(c.character),
                       "character": c.description} for c in found] for name, found in invisible.items()}
    first = next(iter(problems))
    raise InvalidInput(f"{outcome}: {_field_title(first)} carries invisible characters.", fields=problems,
                       extra={"invisible": offsets})


def check_fields(texts: dict[str, str]) -> dict[str, list[PhiFinding]]:
    """The live check of the editor: what saving would refuse outright (a field over the limit,
    invisible characters) is refused the same way, before any finding; else the findings per field."""
    require_within_limit(texts)
    require_visible(texts, outcome="Not checked")
    return find_in_fields(texts)


def find_in_fields(texts: dict[str, str]) -> dict[str, list[PhiFinding]]:
    """Findings per field: of the field alone, of all fields joined, and of the text around each
    boundary between fields read without the joiner; merged where they overlap."""
    found = {name: find_phi(text) for name, text in texts.items()}
    if sum(1 for text in texts.values() if text) < 2:
        return found
    filled = {name: text for name, text in texts.items() if text}  # a reader sees no empty field
    joined = FIELD_SEPARATOR.join(filled.values())
    bounds, offset = {}, 0
    for name, text in filled.items():
        bounds[name] = (offset, offset + len(text))
        offset += len(text) + len(FIELD_SEPARATOR)
    for finding in find_phi(joined):
        for name, (low, high) in bounds.items():
            if finding.start < high and finding.end > low:
                piece = PhiFinding(max(finding.start, low) - low, min(finding.end, high) - low,
                                   finding.label, finding.certainty)
                found[name].append(piece)
    for name, piece in _across_boundaries(texts):
        found[name].append(piece)
    return {name: _merge(items) for name, items in found.items()}


def _across_boundaries(texts: dict[str, str]) -> list[tuple[str, PhiFinding]]:
    """(field, piece) of each finding that crosses a boundary between two non-blank fields when
    they are run together as a reader runs them (``_gap``).  Only BOUNDARY_CONTEXT characters
    either side of each boundary are read: the rest was read already."""
    names = [name for name, text in texts.items() if text.strip()]
    segments = []  # (field, start in the run-together text, start and end of the part in the field)
    gaps = []  # (start, end) of what stands between two fields in the run-together text
    parts, cursor = [], 0
    for index, name in enumerate(names):
        text = texts[name]
        low = len(text) - len(text.lstrip()) if index else 0
        high = len(text.rstrip()) if index < len(names) - 1 else len(text)
        if index:
            gap = _gap(texts[names[index - 1]], text)
            gaps.append((cursor, cursor + len(gap)))
            parts.append(gap)
            cursor += len(gap)
        segments.append((name, cursor, low, high))
        parts.append(text[low:high])
        cursor += high - low
    together = "".join(parts)
    pieces = []
    for gap_start, gap_end in gaps:
        first = max(0, gap_start - BOUNDARY_CONTEXT)
        last = min(len(together), gap_end + BOUNDARY_CONTEXT)
        if first:  # start and end the window between words, never inside one
            first = next((i + 1 for i in range(first, gap_start) if together[i].isspace()), first)
        if last < len(together):
            last = next((i for i in range(last, gap_end, -1) if together[i].isspace()), last)
        for finding in find_phi(together[first:last]):
            start, end = first + finding.start, first + finding.end
            if not any(start < low and end > high for low, high in gaps):
                continue  # within one field: found there already
            for name, segment_start, low, high in segments:
                segment_end = segment_start + high - low
                if start < segment_end and end > segment_start:
                    pieces.append((name, PhiFinding(low + max(start, segment_start) - segment_start,
                                                    low + min(end, segment_end) - segment_start,
                                                    finding.label, finding.certainty)))
    return pieces


def _gap(before: str, after: str) -> str:
    """What stands between two fields run together: nothing where an identifier can go on across
    the boundary ("505-555-" + "0134", "50555" + "50134", "jane.doe@" + "example.com"), else one
    space, so that words stay apart ("Maria" + "Lopez", "Hepatitis C." + "Health maintenance" is no
    web address)."""
    last, first = before[-1], after[0]
    if last.isspace() or first.isspace():
        return " "
    return "" if (last.isdigit() and first.isdigit()) or last in _RUNS_ON_AFTER or first in _RUNS_ON_BEFORE else " "


_RUNS_ON_AFTER = frozenset("-/@(+#")  # a field ending in one of these goes on in the next
_RUNS_ON_BEFORE = frozenset("-/@).")  # a field opening with one of these goes on from the last


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
