"""Sentences typed all in capitals or all in lower case, read again as if typed with capitals.

The detectors read capitals: a name, a town or a facility is a capitalised run of words that are
not ordinary ones.  "PATIENT'S SISTER SIDDHARTH ALSO GETS CARE", "son radhika lives nearby in
wamego", "discharged from juniper health center" carry none.  Each such sentence (ASCII only:
changing case keeps its length, so offsets stay those of the text) is written again two ways and
the detectors' findings inside it are kept:

* for names and towns, only words that are no ordinary word, or are a listed name, get a capital
  ("sister Siddharth also gets care", "son Radhika lives nearby in Wamego"): ordinary words stay
  small, so they cannot join a name;
* for facilities, every word but small ones, services and clinical words gets one ("at Nickel
  Family Medicine"), since facility names are made of ordinary words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache

from app.redaction.care_sites import find_care_sites
from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS, UNIT_ABBREVIATIONS, is_specialty
from app.redaction.facilities import find_facilities
from app.redaction.findings import PhiFinding
from app.redaction.lexicon import CLINICAL_WORDS, SPANISH_WORDS, in_spanish, lexicon
from app.redaction.locations import SITE_HEADS, STATE_TOKENS, find_locations
from app.redaction.names import find_names, one_edit_from_english
from app.redaction.scan import LineReader, TextView, writes_capitals
from app.redaction.tagger_features import zipf_table

SENTENCE = re.compile(r"[^.;:?!\n]+")
MIN_SENTENCE = 12  # shorter pieces ("HTN, DM", "f/u prn") are lists of terms, not sentences
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
SMALL_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with was is are were be been her his their our my "
    "your its he she they we you i him them us who which that this these those but so if then than not also "
    "just only still very out up down off over under again once here there when where while after before "
    "because since until about has have had no not".split()
)
COMMON_ZIPF = 4.0  # a word this frequent in English ("has", "works", "miles", "son") is read as the word
SHORT_CAPITALS = 3  # in capitals, a word this short is an abbreviation ("DEA", "KGD")


def caseless_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of MIN_SENTENCE characters or more with letters of one case.
    Every full stop ends one: "to ST. ROSE HEALTH CENTER" in a sentence with lower case is read."""
    if not text.isascii():
        return []
    capitalising_lines = LineReader(text, writes_capitals)  # each line read once: time stays linear
    spans = [
        sentence.span()
        for sentence in SENTENCE.finditer(text)
        if sentence.end() - sentence.start() >= MIN_SENTENCE and (
            (part := sentence.group()).isupper()
            or (part.islower() and not capitalising_lines.at(sentence.start())))
    ]
    if spans and in_spanish(text):
        # A sentence of a Spanish text that holds a Spanish word is Spanish ("vive con su pareja").
        spans = [(start, end) for start, end in spans if SPANISH_WORDS.isdisjoint(text[start:end].lower().split())]
    # So is a sentence of Spanish in an English text, typed small ("sin luz hace dias, usando generador"):
    # its words off the English dictionary are Spanish words, no names.
    return [(start, end) for start, end in spans if not _spanish_sentence(text[start:end])]


def _spanish_sentence(sentence: str) -> bool:
    tokens = [token.strip(",()\"'") for token in sentence.lower().split()]
    hits = sum(token in SPANISH_WORDS for token in tokens)
    return hits >= 2 and hits * SPANISH_SHARE >= len(tokens)


SPANISH_SHARE = 6  # one word in six of SPANISH_WORDS


def recased(text: str, spans: list[tuple[int, int]], case: Callable[[re.Match[str]], str]) -> str:
    """The sentences at ``spans`` written again by ``case``; in the rest of the text letters and
    digits become spaces, punctuation stays (only what lies inside those sentences is kept, the
    detectors pass over spaces quickly, and a sentence still ends where it did)."""
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start].translate(_BLANK_WORDS))
        pieces.append(_WORD.sub(case, text[start:end]))
        last = end
    pieces.append(text[last:].translate(_BLANK_WORDS))
    return "".join(pieces)


_BLANK_WORDS = {code: " " if chr(code).isalnum() else chr(code) for code in range(128)}


def as_site_words(word: re.Match[str]) -> str:
    """Small words and services ("hepatology") small, abbreviations and state codes ("ED", "NM")
    in capitals, others capitalised."""
    typed = word.group()
    lower = typed.lower()
    if lower in SMALL_WORDS or is_specialty(lower) or lower in CLINICAL_WORDS:
        return lower
    if _is_abbreviation(typed):
        return typed.upper()
    return lower[:1].upper() + lower[1:]


def _is_abbreviation(typed: str) -> bool:
    upper = typed.upper()
    return upper in CLINICAL_ABBREVIATIONS or upper in UNIT_ABBREVIATIONS or upper in STATE_TOKENS


def as_name_words(word: re.Match[str]) -> str:
    return _as_name_word(word.group())


@lru_cache(maxsize=8192)  # the same words recur in every field; the misspelling test costs
def _as_name_word(typed: str) -> str:
    """Rare words capitalised when they are a listed name, a place or no word of the dictionary
    (nor a misspelt one): "Siddharth", "Coral", "Wamego"; common words small, even those that are
    also names ("son", "miles", "will": in one case there is no telling); abbreviations in capitals."""
    lower = typed.lower()
    bare = lower.replace("'s", "").replace("’s", "")
    if lower in SMALL_WORDS or zipf_table().get(bare, 0.0) >= COMMON_ZIPF:
        return lower
    if len(typed) <= SHORT_CAPITALS and typed.isupper():
        return typed
    if lower in CLINICAL_WORDS or is_specialty(lower):
        return lower
    if _is_abbreviation(typed):
        return typed.upper()
    words = lexicon()
    # A word no dictionary holds is a name unless it is one misspelt ("recieved", "reffered").
    # A place or a surname that is also a word of the dictionary ("needles", "hazard", "banks")
    # stays a word: in one case there is no telling "afraid of needles" from the town.
    if words.is_first_name(bare) or (words.is_known_name(bare) and not words.is_plain_word(bare)) or (
            bare in words.places and not words.is_plain_word(bare)) or (
            not words.is_plain_word(bare) and not one_edit_from_english(bare, words)):
        return "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))
    return lower


_LETTER_RUN = re.compile(r"[a-z]+")


def caseless_findings(text: str) -> tuple[list[PhiFinding], list[PhiFinding]]:
    """(names and places, sites) in the sentences of ``text`` typed in one case, read as if typed
    with capitals (see the module's docstring)."""
    spans = caseless_sentences(text)
    if not spans:
        return [], []
    found = reread(text, spans, as_name_words, find_names, find_locations)
    # Facility names are read only in sentences with a facility's last word ("center", "clinic").
    site_spans = [(start, end) for start, end in spans
                  if not SITE_HEADS.isdisjoint(_LETTER_RUN.findall(text[start:end].lower()))]
    if site_spans:
        words = lexicon()
        sites = reread(text, site_spans, as_site_words,
                       lambda view: find_facilities(view, words, recased=True), lambda view: find_care_sites(view, words))
        # A site read with all its words capitalised ("Norris Shelter", "Jessica Lehner Community
        # Hospital") outranks a name the other reading makes of its first words.
        return not_contradicting(found, sites, len(text)), sites
    return found, []


def not_contradicting(findings: list[PhiFinding], others: list[PhiFinding], length: int) -> list[PhiFinding]:
    """The findings that overlap none of ``others`` with another label.  One byte per character
    and label marks where ``others`` lie, so the test costs each finding's length (a pairwise test
    was quadratic: 16 s for a megabyte typed in lower case)."""
    marks: dict[str, bytearray] = {}
    for other in others:
        taken = marks.get(other.label)
        if taken is None:
            taken = marks[other.label] = bytearray(length)
        taken[other.start:other.end] = b"\x01" * (other.end - other.start)
    return [finding for finding in findings if not any(
        taken.find(1, finding.start, finding.end) != -1 for label, taken in marks.items() if label != finding.label)]


def findings_in(spans: list[tuple[int, int]], findings: Iterator[PhiFinding]) -> Iterator[PhiFinding]:
    """The findings that lie inside one of ``spans`` (sorted, apart): the span that starts last at
    or before a finding is the only one that can hold it."""
    starts = [start for start, _ in spans]
    for finding in findings:
        index = bisect_right(starts, finding.start) - 1
        if index >= 0 and finding.end <= spans[index][1]:
            yield finding


def reread(text: str, spans: list[tuple[int, int]], case: Callable[[re.Match[str]], str],
           *detectors: Callable[[TextView], Iterator[PhiFinding]]) -> list[PhiFinding]:
    written = recased(text, spans, case)
    if not _CAPITALISED.search(written):
        return []  # every word stayed small ("no stairs at home"): nothing that capitals would show
    view = TextView.of(written)
    return list(findings_in(spans, (finding for detect in detectors for finding in detect(view))))


_CAPITALISED = re.compile(r"[A-Z][a-z]")

