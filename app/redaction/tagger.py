"""The learned part of the PHI detector: a CRF sequence tagger for names and places.

The model (``data/phi_tagger.crfsuite``, python-crfsuite) was trained by
``python -m app.redaction.training.build`` on synthetic case text from declared sources; it tags
tokens B-/I-NAME and B-/I-LOCATION from word shape, case, affixes, list membership, word frequency
and context.  It finds what no list holds: names that are also words, names in any case, facility
names made of ordinary words ("Cedar Ridge OTP").  Its findings are "likely": the rules settle
overlaps with it in ``detector``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pycrfsuite

from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.scan import TextView
from app.redaction.tagger_features import DATA_DIR, TOKEN, FeatureCache, line_mode, tokenize

MODEL_FILE: Path = DATA_DIR / "phi_tagger.crfsuite"
TAGGED_LABELS = ("NAME", "LOCATION")

_features = FeatureCache()
# A crfsuite Tagger is not safe to share between threads (the web server checks fields in a pool).
_local = threading.local()


def _tagger() -> pycrfsuite.Tagger:
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL_FILE))
        _local.tagger = tagger
    return tagger


def find_tagged(view: TextView | str) -> list[PhiFinding]:
    """Names and places the model tags in ``view``, one finding per B-/I- run."""
    text = view.text if isinstance(view, TextView) else view
    findings: list[PhiFinding] = []
    offset = 0
    for line in text.split("\n"):  # the model was trained on fields: one line at a time
        if _worth_tagging(line):
            findings.extend(_tag_line(line, offset))
        offset += len(line) + 1
    return findings


def _worth_tagging(line: str) -> bool:
    # A line of digits and punctuation only holds nothing the model tags.
    return any(char.isalpha() for char in line)


def _tag_line(line: str, offset: int) -> list[PhiFinding]:
    words = TOKEN.findall(line)
    tagger = _tagger()
    findings, tokens = [], None
    for first, end, features in _features.windows(words, line_mode(line)):
        labels = tagger.tag(features)
        if labels.count("O") == len(labels):
            continue
        tokens = tokens or tokenize(line)  # offsets only when something is tagged
        for start, stop, label in spans_of(tokens[first:end], labels):
            findings.append(PhiFinding(offset + start, offset + stop, label, LIKELY))
    return findings


def spans_of(tokens: list[tuple[int, int, str]], labels: list[str]) -> list[tuple[int, int, str]]:
    """Character spans of the B-/I- runs (an I- without its B- opens a run of its own), trimmed to
    start and end on a word; a run with fewer than two letters ("L", "C") is dropped."""
    runs: list[list] = []  # [first token, last token, label]
    for index, tag in enumerate(labels):
        if tag == "O":
            continue
        prefix, label = tag.split("-", 1)
        if prefix == "I" and runs and runs[-1][1] == index - 1 and runs[-1][2] == label:
            runs[-1][1] = index
        else:
            runs.append([index, index, label])
    spans = []
    for first, last, label in runs:
        while first <= last and not tokens[first][2][0].isalpha():
            first += 1
        while last >= first and not tokens[last][2][0].isalpha():
            last -= 1
        if first <= last and sum(len(tokens[i][2]) for i in range(first, last + 1) if tokens[i][2][0].isalpha()) >= 2:
            spans.append((tokens[first][0], tokens[last][1], label))
    return spans
