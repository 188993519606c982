"""The PHI detector's fast paths find exactly what the plain definitions they replace find.

Speed itself is measured by benchmarks/redaction.py (no timed asserts here); these tests pin the
equivalences each shortcut relies on, over the development set's words and contexts built to
trigger every branch of the code they skip.
"""

from __future__ import annotations

import json
import random
import re
from bisect import bisect_left
from pathlib import Path

import pytest

from app.redaction import find_phi
from app.redaction.detector import _priority, _select_non_overlapping
from app.redaction.findings import CERTAIN, LIKELY, PhiFinding
from app.redaction.lexicon import lexicon
from app.redaction.name_runs import _one_word_name

DATA = Path(__file__).resolve().parents[1] / "data" / "redaction"
DEV_FILES = ("generated_phi.jsonl", "handwritten_phi.jsonl", "generated_phi_free.jsonl", "handwritten_phi_free.jsonl")
CAPITALISED_WORD = re.compile(r"[A-Z][A-Za-z'’-]*")


def _dev_texts() -> list[str]:
    texts = []
    for name in DEV_FILES:
        with (DATA / name).open(encoding="utf-8") as lines:
            texts.extend(json.loads(line)["text"] for line in lines if line.strip())
    return texts


@pytest.fixture(scope="module")
def dev_texts() -> list[str]:
    return _dev_texts()


# Every context in which _one_word_name can return a name: an initial after it, a verb or an age
# after it (subject), a possessive, the word alone, an eponym noun after it.
CONTEXTS = ("{} B. reports", "{} reports pain", "{} is a 7 yo", "{} (8 yo)", "{}'s mother", "seen {} today",
            "{} disease", "{}, 43 yo")


def test_a_word_that_may_not_be_a_name_is_never_a_one_word_name(dev_texts: list[str]) -> None:
    words = lexicon()
    capitalised = {match.group() for text in dev_texts for match in CAPITALISED_WORD.finditer(text)}
    # Listed names that are also words, eponyms, places and months: the edges of the gate.
    capitalised |= {"Will", "Hope", "Grace", "Mark", "Johnson", "Addison", "May", "April", "Gallup", "Navajo",
                    "Patient", "Denies", "Plan", "Keisha", "Itzel", "Tre'Von", "Smith", "Parkinson", "Texas"}
    skipped = 0
    for word in sorted(capitalised):
        if words.may_be_name(word):
            continue
        skipped += 1
        for context in CONTEXTS:
            text = context.format(word)
            start = text.index(word)
            assert _one_word_name(text, start, start + len(word), words) is None, text
    assert skipped > 200  # most capitalised words are skipped, so the gate is doing work


def test_findings_on_repeated_text_repeat_with_the_text(dev_texts: list[str]) -> None:
    # A detector whose work depended on more than a bounded neighbourhood (a scan restarted from
    # the start, a look-back with no bound) would tend to show it here first; the output must be
    # the same finding list shifted by each copy's offset.
    text = "\n".join(dev_texts[:40])
    single = [(f.start, f.end, f.label, f.certainty) for f in find_phi(text)]
    doubled = [(f.start, f.end, f.label, f.certainty) for f in find_phi(text + "\n" + text)]
    shift = len(text) + 1
    assert doubled == single + [(start + shift, end + shift, label, certainty) for start, end, label, certainty in single]


def _select_by_insertion(candidates: list[PhiFinding]) -> list[PhiFinding]:
    """The selection as it was first written (a sorted list kept by insertion, O(n) per finding):
    the reference the linear one must match."""
    chosen: list[PhiFinding] = []
    starts: list[int] = []
    for candidate in sorted(dict.fromkeys(candidates), key=_priority):
        start, end = candidate.start, candidate.end
        if end <= start:
            continue
        position = bisect_left(starts, start)
        if position < len(starts) and starts[position] < end:
            continue
        if position and chosen[position - 1].end > start:
            continue
        starts.insert(position, start)
        chosen.insert(position, candidate)
    return chosen


def test_selection_keeps_what_the_insertion_sort_kept() -> None:
    rng = random.Random(20261207)
    labels = ("NAME", "DATE", "AGE", "LOCATION", "ID", "PHONE", "SSN")
    for _ in range(3000):
        size = rng.randint(1, 60)
        candidates = []
        for _ in range(rng.randint(1, 25)):
            start = rng.randint(0, size)
            end = start + rng.randint(-1, 12)  # empty and reversed spans are dropped by both
            candidates.append(PhiFinding(start, end, rng.choice(labels), rng.choice((CERTAIN, LIKELY))))
        candidates += rng.sample(candidates, min(3, len(candidates)))  # repeats keep the first found
        assert _select_non_overlapping(candidates, join=False) == _select_by_insertion(candidates)
        joined = _select_non_overlapping(candidates)
        # Joining only widens a chosen finding over an overlapping one of its label: still sorted and
        # apart, each plain choice inside a joined finding of its label, each joined edge a candidate's.
        assert all(a.end <= b.start for a, b in zip(joined, joined[1:]))
        for plain in _select_by_insertion(candidates):
            [holder] = [f for f in joined if f.start <= plain.start and plain.end <= f.end]
            assert (holder.label, holder.certainty) == (plain.label, plain.certainty)
            edges = {(c.start, c.label) for c in candidates}, {(c.end, c.label) for c in candidates}
            assert (holder.start, holder.label) in edges[0] and (holder.end, holder.label) in edges[1]


def test_a_keyword_pattern_that_matches_occurs_in_the_text(dev_texts: list[str]) -> None:
    """KeywordPattern.occurs_in gates detectors: it must pass every text finditer finds a match in
    (the generic PII lines hold the lead-ins the dev set lacks: "username", "postal area", "CVV")."""
    import importlib
    import pkgutil

    import app.redaction as package
    from app.redaction.scan import KeywordPattern, TextView

    patterns = [
        value
        for module in pkgutil.iter_modules(package.__path__)
        for value in vars(importlib.import_module(f"app.redaction.{module.name}")).values()
        if isinstance(value, KeywordPattern)
    ]
    texts = dev_texts + [
        "Portal username marmstrong.", "Lives in postal area 87301.", "CVV 514", "SWIFT code NZOGGBCY1QA",
        "Her addresses: 12 Oak St.", "Mail to 12 Oak St, Nixon 50539.", "SSN ZZ 08 89 22 T", "Car tag LE 63215",
    ]
    matched = 0
    for text in texts:
        view = TextView.of(text)
        for pattern in patterns:
            if next(pattern.finditer(view), None) is not None:
                assert pattern.occurs_in(TextView.of(text)), (pattern.regex.pattern[:60], text)
                matched += 1
    assert matched > 500


def test_places_kept_around_certain_findings_repeat_with_the_text() -> None:
    # Each address holds a postal code read as a certain ID; the place is kept around it.  The
    # findings of n copies are those of one copy, shifted (the lookup of chosen findings by start
    # is kept up to date, never rebuilt per candidate: that was quadratic, 3 s for 200 KB).
    unit = "They rent at Boulevard Omán 609 Interior 160, Vieja Rwanda, SON 20777 now. "
    single = [(f.start, f.end, f.label) for f in find_phi(unit)]
    assert ("LOCATION" in {label for _, _, label in single}) and ("ID" in {label for _, _, label in single})
    many = [(f.start, f.end, f.label) for f in find_phi(unit * 50)]
    shift = len(unit)
    assert many == [(start + i * shift, end + i * shift, label) for i in range(50) for start, end, label in single]


def test_line_reader_answers_as_reading_the_whole_line_each_time() -> None:
    # The reader searches a line's start only back to the last position asked about; asked in order,
    # it must answer what reading the whole line each time answered.
    from app.redaction.scan import LineReader, line_in_capitals, writes_capitals

    rng = random.Random(7)
    pieces = ["PT IS OK, ", "pt is ok. ", "Pt Is Ok. ", "\n", "FROM EAGLE BUTTE ", "referred to clinic. ", ""]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30)))
        positions = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 8)))
        for reads in (line_in_capitals, writes_capitals):
            reader = LineReader(text, reads)
            for position in positions:
                start = text.rfind("\n", 0, position) + 1
                end = text.find("\n", position)
                assert reader.at(position) == reads(text, start, len(text) if end == -1 else end)
