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
from sys import intern
from functools import cache
from pathlib import Path

from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS
from app.redaction.findings import LABELS
from app.redaction.lexicon import CLINICAL_WORDS, lexicon

DATA_DIR = Path(__file__).resolve().parent / "data"
ZIPF_FILE = DATA_DIR / "word_zipf.tsv.gz"
# A letter run (with inner apostrophes or hyphens: "Tre'Von", "Cedars-Sinai"), a digit run, or one
# other character.  Spaces are not tokens.
# Possessive ("++", "*+"): giving characters back never helps, and re then need not remember where.
TOKEN = re.compile(r"[^\W\d_]++(?:['\u2019\-][^\W\d_]++)*+|\d++|[^\w\s]")
# The same tokens in ASCII text (str.isascii() costs nothing), a third faster: plain ranges
# instead of Unicode categories, which re checks by calling out for every character.
TOKEN_ASCII = re.compile(r"[A-Za-z]++(?:['\-][A-Za-z]++)*+|[0-9]++|[^\w\s]")
SENTENCE_END = frozenset(".?!:;]")  # "]": after a placeholder ("[LOCATION] Bill was paid") as after a full stop
COMMON_ZIPF = 3.0  # words at least this frequent keep their identity as a feature
OPENER_ZIPF = 4.0  # a capitalised English word this common opening a sentence is no suspect
RARE_ZIPF = 2.5  # below this a word is rare
MAX_MEMOISED_TOKENS = 50_000  # bounds memory on adversarial input (~600 bytes a token, ~30 MB)
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


def _own_features(token: str) -> tuple[list[str], list[str], tuple[tuple[bool, ...], tuple[bool, ...], bool]]:
    """(own features, what a neighbour sees of it, (whether it is a suspect in each line mode,
    whether it is one right after a listed name, whether it is a listed name)).

    Few strings per token: crfsuite's cost is per string.  A suspect is a token the model may tag:
    in ordinary text a capitalised word that is no clinical abbreviation (and, opening a sentence,
    no common English word); in a line all in lower case, a word that is neither English nor
    common; in a line all in capitals, a word that is neither an abbreviation nor common English.
    """
    lower = token.lower()
    case = _case(token)
    if case in ("digit", "punct"):
        identity = f"w={lower}" if case == "punct" else f"d{min(len(token), 5)}"
        return [identity], [identity], (_NO_SUSPECT, _NO_SUSPECT, False)
    words = lexicon()
    zipf = zipf_table().get(lower, 0.0)
    case_zipf = f"cz={case}|{int(zipf * 2) / 2:.1f}"
    # Placeholders of redacted text ("[NAME]", "[IP]") read like abbreviations: never suspects.
    abbreviation = token.upper() in CLINICAL_ABBREVIATIONS or token in LABELS
    english = lower in words.english_words
    lists = "".join(flag for present, flag in ((lower in words.first_names, "f"), (lower in words.surnames, "s"),
                    (english, "e"), (lower in words.places, "p"), (abbreviation, "a")) if present)  # fmt: skip
    features = [case_zipf, f"sh={_shape(token)}", f"s3={lower[-3:]}", f"p3={lower[:3]}", f"L={lists}",
                f"Lc={lists}|{case}", f"n={case}|{min(len(token), 6)}"]  # fmt: skip
    # A word on a name list keeps no identity: the model must learn what names look like and where
    # they stand, not which names it was shown (the held-out half has none of them).
    listed_name = lower in words.first_names or lower in words.surnames
    identity = f"w={lower}" if zipf >= COMMON_ZIPF and (not listed_name or english) else case_zipf
    if identity != case_zipf:
        features.append(identity)
    if not token.isascii() or "'" in token or "\u2019" in token or "-" in token:
        features.append("odd")
    named = any(flag in lists for flag in "fsp")
    # A sentence opener is a suspect when a list holds it or when it is rare ("Tre'Von", "Itzel");
    # a word of some frequency that no name or place list holds ("Sats", "Prescriber") is not.
    common = (english and zipf >= OPENER_ZIPF) or (zipf >= RARE_ZIPF and not named)
    # An ordinary capitalised word ("Started", "Plan", "Living") is tagged only as a neighbour of a
    # suspect, unless a name or place list holds it ("Will", "Hazard").
    ordinary = english and zipf >= COMMON_ZIPF and not named
    # Short capitals on no name list ("DEA", "PHI", "HBN") are abbreviations nobody listed.
    capitals = case == "upper" and not abbreviation and (len(token) >= 4 or named)
    inside = (case in ("title", "mixed") or capitals) and not ordinary
    suspects = (inside, inside and not common, case == "lower" and not english and zipf < COMMON_ZIPF,
                case == "upper" and not abbreviation and not common)  # fmt: skip
    # A drug, insurer, eponym or score that no name list holds ("Trulicity", "Medicaid", "Crohn's")
    # is a suspect only after a listed name ("Dr. Rodger Raynaud"): alone, the model tags it as
    # nothing or wrongly ("Tried Lexapro" as a name), and half the windows of PHI-free fields
    # were such.  Listed names stay suspects ("Johnson", "Addison").
    if _bare(lower) in CLINICAL_WORDS and not named:
        suspects, after_a_name = _NO_SUSPECT, suspects
    else:
        after_a_name = _NO_SUSPECT
    listed_name = (lower in words.first_names or lower in words.surnames) and not english
    return features, [identity, f"L={lists}"], (suspects, after_a_name, listed_name)


_NO_SUSPECT = (False, False, False, False)


def _bare(lower: str) -> str:
    """ "crohn's" -> "crohns" (CLINICAL_WORDS spells possessive eponyms so), "hashimoto’s" too."""
    return lower.replace("'", "").replace("\u2019", "")


NORMAL, LOWER_LINE, UPPER_LINE = 0, 2, 3  # index into a token's suspects (1: a sentence opener)


def line_mode(text: str) -> int:
    return LOWER_LINE if text.islower() else UPPER_LINE if text.isupper() else NORMAL


_MODE_FEATURES = {LOWER_LINE: ("M=lower",), UPPER_LINE: ("M=upper",)}  # a line in one case says so
_PAD = ((), (), (), (), (), ())  # beyond either end of a line: no features


class FeatureCache:
    """Per distinct token, memoised: (own features, own features of a sentence opener, what it
    shows as neighbour at -2, -1, +1, +2, its suspect flags, its suspect flags after a listed
    name, whether it is a listed name).  Only windows around suspects are
    tagged (``windows``), in training as at run time."""

    def __init__(self, known: frozenset[str] | None = None) -> None:
        """``known``: the attributes a trained model has weights for.  The others change nothing
        and crfsuite's cost is per attribute, so they are dropped before tagging."""
        self._memo: dict[str, tuple] = {}
        self._known = known
        self._mode_features: dict[int, tuple[str, ...]] = {}

    def _keep(self, features) -> tuple[str, ...]:
        # Interned: the same few thousand attribute strings are shared by every memoised token.
        return tuple(intern(f) for f in features if self._known is None or f in self._known)

    def of(self, token: str) -> tuple:
        entry = self._memo.get(token)
        if entry is None:
            own, near, suspects = _own_features(token)
            # The tokens two away contribute their identity only.
            entry = (self._keep(own), self._keep((*own, "bos")),
                     *(self._keep(f"{offset}{f}" for f in (near if abs(offset) == 1 else near[:1]))
                       for offset in NEIGHBOUR_OFFSETS), *suspects)  # fmt: skip
            if len(self._memo) < MAX_MEMOISED_TOKENS:
                self._memo[token] = entry
        return entry

    def windows(
        self, tokens: list[str], mode: int = NORMAL, found: frozenset[str] = frozenset()
    ) -> list[tuple[int, int, list[list[str]]]]:
        """(first, end, feature lists) of each run of tokens within WINDOW of a suspect, features
        computed in the context of the whole sequence; ``mode`` from ``line_mode``.  A word in
        ``found`` (words of the rules' findings) is no suspect: the rules have it already.

        Hot: a field's tokens are scanned by a list comprehension, and only tokens that can be
        suspects (a capital letter in ordinary text) are looked up one by one."""
        # A token is never empty: token[0] is cheaper than token[:1].
        if mode == NORMAL:
            candidates = [index for index, token in enumerate(tokens) if token[0].isupper()]
        else:
            candidates = [index for index, token in enumerate(tokens) if token[0].isalpha()]
        if not candidates:
            return []
        memo, of, count = self._memo, self.of, len(tokens)
        runs: list[list[int]] = []
        for index in candidates:
            token = tokens[index]
            opener = mode == NORMAL and (index == 0 or tokens[index - 1] in SENTENCE_END)
            entry = memo.get(token) or of(token)
            if token not in found and (entry[6][mode + opener] or (
                    entry[7][mode + opener] and index and (memo.get(tokens[index - 1]) or of(tokens[index - 1]))[8])):
                first, end = max(0, index - WINDOW), min(count, index + WINDOW + 1)
                if runs and first <= runs[-1][1]:
                    runs[-1][1] = end
                else:
                    runs.append([first, end])
        extra = self._mode_features.get(mode)
        if extra is None:
            extra = self._mode_features[mode] = self._keep(_MODE_FEATURES.get(mode, ()))
        return [(first, end, self._run_features(tokens, first, end, extra)) for first, end in runs]

    def _run_features(self, tokens: list[str], first: int, end: int, extra: tuple[str, ...]) -> list[list[str]]:
        memo, of = self._memo, self.of
        # entries[k] belongs to tokens[first - 2 + k]; padded so that every position has 2 each side.
        entries = [
            (memo.get(tokens[position]) or of(tokens[position])) if 0 <= position < len(tokens) else _PAD
            for position in range(first - 2, end + 2)
        ]
        starts = [index == 0 or tokens[index - 1] in SENTENCE_END for index in range(first, end)]
        return [
            [*entries[k][starts[k - 2]], *extra, *entries[k - 2][2], *entries[k - 1][3], *entries[k + 1][4],
             *entries[k + 2][5]]  # fmt: skip
            for k in range(2, end - first + 2)
        ]
