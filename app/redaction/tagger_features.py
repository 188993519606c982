"""Tokens and their features for the PHI tagger, shared by training and run time.

A token's own features describe its shape, case, affixes, its membership of the shipped word
lists and its English word frequency (a Zipf value from ``data/word_zipf.tsv.gz``, made at build
time from wordfreq so that wordfreq is not needed at run time).  Each position also gets a few
features of its neighbours two tokens either side.  All features of a token depend on the token
alone, so they are computed once per distinct token and memoised.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS
from app.redaction.lexicon import lexicon

DATA_DIR = Path(__file__).resolve().parent / "data"
ZIPF_FILE = DATA_DIR / "word_zipf.tsv.gz"
# A letter run (with inner apostrophes or hyphens: "Tre'Von", "Cedars-Sinai"), a digit run, or one
# other character.  Spaces are not tokens.
TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*|\d+|[^\w\s]")
SENTENCE_END = frozenset(".?!:;")
COMMON_ZIPF = 3.0  # words at least this frequent keep their identity as a feature
OPENER_ZIPF = 4.0  # a capitalised English word this common opening a sentence is no suspect
MAX_MEMOISED_TOKENS = 200_000  # bounds memory on adversarial input
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
WINDOW = 1  # tokens either side of a suspect that are tagged with it


@cache
def zipf_table() -> dict[str, float]:
    """Lower-case word -> Zipf frequency (log10 of occurrences per billion words)."""
    with gzip.open(ZIPF_FILE, "rt", encoding="utf-8") as lines:
        return {word: int(value) / 10 for word, value in (line.rstrip("\n").split("\t") for line in lines)}


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of each token; ``TOKEN.findall`` gives the same tokens faster."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def _shape(token: str) -> str:
    """ "McKinley" -> "XxXx", "O'Neil" -> "X'Xx", "2024" -> "d": character classes, runs collapsed."""
    classes = []
    for char in token:
        cls = "X" if char.isupper() else "x" if char.islower() else "d" if char.isdigit() else char
        if not classes or classes[-1] != cls:
            classes.append(cls)
    return "".join(classes)


def _case(token: str) -> str:
    if not token[0].isalpha():
        return "digit" if token.isdigit() else "punct"
    if token.isupper():
        return "upper" if len(token) > 1 else "initial"
    if token.islower():
        return "lower"
    return "title" if token[0].isupper() and token[1:].islower() else "mixed"


def _own_features(token: str) -> tuple[list[str], list[str], tuple[bool, bool, bool, bool]]:
    """(own features, what a neighbour sees of it, whether it is a suspect in each line mode).

    Few strings per token: crfsuite's cost is per string.  A suspect is a token the model may tag:
    in ordinary text a capitalised word that is no clinical abbreviation (and, opening a sentence,
    no common English word); in a line all in lower case, a word that is neither English nor
    common; in a line all in capitals, a word that is neither an abbreviation nor common English.
    """
    lower = token.lower()
    case = _case(token)
    if case in ("digit", "punct"):
        identity = f"w={lower}" if case == "punct" else f"d{min(len(token), 5)}"
        return [identity], [identity], (False, False, False, False)
    words = lexicon()
    zipf = zipf_table().get(lower, 0.0)
    case_zipf = f"cz={case}|{int(zipf * 2) / 2:.1f}"
    abbreviation = token.upper() in CLINICAL_ABBREVIATIONS
    english = lower in words.english_words
    lists = "".join(flag for present, flag in ((lower in words.first_names, "f"), (lower in words.surnames, "s"),
                    (english, "e"), (lower in words.places, "p"), (abbreviation, "a")) if present)  # fmt: skip
    features = [case_zipf, f"sh={_shape(token)}", f"s3={lower[-3:]}", f"p3={lower[:3]}", f"L={lists}",
                f"Lc={lists}|{case}"]  # fmt: skip
    identity = f"w={lower}" if zipf >= COMMON_ZIPF else case_zipf
    if zipf >= COMMON_ZIPF:
        features.append(identity)
    if not token.isascii() or "'" in token or "\u2019" in token or "-" in token:
        features.append("odd")
    common = english and zipf >= OPENER_ZIPF
    inside = case in ("title", "mixed") or (case == "upper" and not abbreviation)
    suspects = (inside, inside and not common, case == "lower" and not english and zipf < COMMON_ZIPF,
                case == "upper" and not abbreviation and not common)  # fmt: skip
    return features, [identity, f"L={lists}"], suspects


NORMAL, LOWER_LINE, UPPER_LINE = 0, 2, 3  # index into a token's suspects (1: a sentence opener)


def line_mode(text: str) -> int:
    return LOWER_LINE if text.islower() else UPPER_LINE if text.isupper() else NORMAL


class FeatureCache:
    """Per distinct token: its own features, the prefixed ones its neighbours get, and whether it is
    a suspect.  Only windows around suspects are tagged (``windows``), in training as at run time."""

    def __init__(self) -> None:
        self._memo: dict[str, tuple[list[str], dict[int, list[str]], tuple[bool, bool, bool, bool]]] = {}

    def of(self, token: str) -> tuple[list[str], dict[int, list[str]], tuple[bool, bool, bool, bool]]:
        entry = self._memo.get(token)
        if entry is None:
            own, near, suspects = _own_features(token)
            # The tokens two away contribute their identity only.
            by_offset = {offset: [f"{offset}{f}" for f in (near if abs(offset) == 1 else near[:1])]
                         for offset in NEIGHBOUR_OFFSETS}  # fmt: skip
            entry = (own, by_offset, suspects)
            if len(self._memo) < MAX_MEMOISED_TOKENS:
                self._memo[token] = entry
        return entry

    def windows(self, tokens: list[str], mode: int = NORMAL) -> list[tuple[int, int, list[list[str]]]]:
        """(first, end, feature lists) of each run of tokens within WINDOW of a suspect, features
        computed in the context of the whole sequence; ``mode`` from ``line_mode``.

        Hot: a field's tokens are scanned by list comprehensions, and only tokens that can be
        suspects (a capital letter in ordinary text) are looked up one by one."""
        if mode == NORMAL:
            candidates = [index for index, token in enumerate(tokens) if token[:1].isupper()]
        else:
            candidates = [index for index, token in enumerate(tokens) if token[:1].isalpha()]
        memo, count = self._memo, len(tokens)
        runs: list[list[int]] = []
        for index in candidates:
            token = tokens[index]
            entry = memo.get(token) or self.of(token)
            opener = mode == NORMAL and (index == 0 or tokens[index - 1] in SENTENCE_END)
            if entry[2][mode + opener]:
                first, end = max(0, index - WINDOW), min(count, index + WINDOW + 1)
                if runs and first <= runs[-1][1]:
                    runs[-1][1] = end
                else:
                    runs.append([first, end])
        if not runs:
            return []
        entries = {}
        for first, end in runs:
            for position in range(max(0, first - 2), min(count, end + 2)):
                if position not in entries:
                    entries[position] = memo.get(tokens[position]) or self.of(tokens[position])
        extra = ("M=lower",) if mode == LOWER_LINE else ("M=upper",) if mode == UPPER_LINE else ()
        return [(first, end, [self._features(tokens, entries, i, extra) for i in range(first, end)])
                for first, end in runs]  # fmt: skip

    @staticmethod
    def _features(tokens: list[str], entries: dict, index: int, extra: tuple[str, ...]) -> list[str]:
        features = entries[index][0]
        if index == 0 or tokens[index - 1] in SENTENCE_END:
            features = [*features, "bos"]
        if extra:
            features = [*features, *extra]
        for offset in NEIGHBOUR_OFFSETS:
            position = index + offset
            if 0 <= position < len(tokens):
                features = features + entries[position][1][offset]
        return features
