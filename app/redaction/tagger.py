"""The learned part of the PHI detector: a CRF sequence tagger for names and places.

The model (``data/phi_tagger.crfsuite``, python-crfsuite) was trained by
``python -m app.redaction.training.build`` on synthetic case text from declared sources; it tags
tokens B-/I-NAME and B-/I-LOCATION from word shape, case, affixes, list membership, word frequency
and context.  It finds what no list holds: names that are also words, names in any case, facility
names made of ordinary words ("Cedar Ridge OTP").  Its findings are "likely": the rules settle
overlaps with it in ``detector``.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from functools import cache, partial
from itertools import accumulate
from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from app.redaction.clinical_terms import is_specialty
from app.redaction.facilities import SPANISH_KIND_WORDS
from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.lexicon import (
    CLINICAL_ENDINGS,
    CLINICAL_WORDS,
    DRUG_DEVICE_WORDS,
    EPONYM_NOUNS,
    INSURER_WORDS,
    PEOPLE_WORDS,
    POSSESSIVE,
    in_spanish,
    is_mixed_case_abbreviation,
    lexicon,
    may_hold_spanish,
)
from app.redaction.name_runs import EPONYM_AFTER
from app.redaction.scan import TextView
from app.redaction.tagger_features import (
    DATA_DIR, LOWER_LINE, NORMAL, TOKEN, TOKEN_ASCII, UPPER_LINE, FeatureCache, line_mode,
)

MODEL_FILE: Path = DATA_DIR / "phi_tagger.crfsuite"
TAGGED_LABELS = ("NAME", "LOCATION")
# A tagged token whose marginal probability is below this is left to the rules: on asq-phi and the
# development set, 0.7 cuts the PHI-free fields flagged from 7% to 2% (dev) and 13% to 10% (asq-phi)
# for half a point of held-out recall.
MIN_MARGINAL = 0.7
# Lower-case words that may stand inside a name or place in text with capitals.
CONNECTORS = frozenset("of de la del los las el y and on the or du des van der von da di upon in".split())
SHORT_CAPITALS = 4  # a lone all-capitals word this short is left to the rules in mixed-case text
INNER_PUNCTUATION = frozenset(".&-'")
# The last word of a named instrument: "Brief Pain Inventory", "Asthma Control Questionnaire".
INSTRUMENT_NOUN = re.compile(rf"(?i:{EPONYM_NOUNS}|questionnaire|inventory|tool|survey|checklist|assessment)")  # may stand inside a tagged run: "St. Mary's", "Smith & Sons"

# A crfsuite Tagger is not safe to share between threads (the web server checks fields in a pool).
_local = threading.local()


@cache
def _feature_cache() -> FeatureCache:
    attributes = frozenset(attribute for attribute, _ in _tagger().info().state_features)
    return FeatureCache(known=attributes)


def _tagger() -> pycrfsuite.Tagger:
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL_FILE))
        _local.tagger = tagger
    return tagger


def find_tagged(view: TextView | str, *, beside: Sequence[PhiFinding] = ()) -> list[PhiFinding]:
    """Names and places the model tags in ``view``, one finding per B-/I- run.

    A run inside one of ``beside`` (the rules' findings) adds nothing and is left out, so on the
    same span the rules' label stands; a run that reaches beyond them is kept."""
    text = view.text if isinstance(view, TextView) else view
    covered = _Cover(beside)
    # Windows around words the rules found are not tagged at all: the cost goes where they found nothing.
    # Several rules often find one span: each span is tokenised once.
    spans = {(finding.start, finding.end) for finding in beside}
    token = TOKEN_ASCII if text.isascii() else TOKEN
    found = frozenset(word for start, end in spans for word in token.findall(text, start, end))
    # The model knows English: in a line of Spanish it reads common words as names ("su pareja").
    words = view.words if isinstance(view, TextView) else None
    if "\n" not in text:  # most fields
        return [] if in_spanish(text, words) else _tag_line(text, 0, covered, found)
    spanish = words is None or may_hold_spanish(words)
    findings, offset = [], 0
    for line in text.split("\n"):  # the model was trained on fields: one line at a time
        if not (spanish and in_spanish(line)):
            findings.extend(_tag_line(line, offset, covered, found))
        offset += len(line) + 1
    return findings


class _Cover:
    """Whether a span lies inside one of the rules' findings, in O(log n): of the findings that
    start at or before it, the furthest end must reach its end (a long text has many findings)."""

    def __init__(self, findings: Sequence[PhiFinding]) -> None:
        self.findings = findings
        self.starts: list[int] | None = None  # built on the first question: most fields ask none

    def covers(self, start: int, end: int) -> bool:
        if self.starts is None:
            spans = sorted((finding.start, finding.end) for finding in self.findings)
            self.starts = [start for start, _ in spans]
            self.reach = list(accumulate((end for _, end in spans), max))
        index = bisect_right(self.starts, start) - 1
        return index >= 0 and self.reach[index] >= end


def _tag_line(line: str, offset: int, covered: _Cover, found: frozenset[str]) -> list[PhiFinding]:
    mode = line_mode(line)
    token = TOKEN_ASCII if line.isascii() else TOKEN
    words = token.findall(line)
    windows = _feature_cache().windows(words, mode, found)
    if not windows:
        return []  # no suspect, or only words the rules found
    tagger = _tagger()
    findings, tokens = [], None
    lower_case = mode == LOWER_LINE

    def new_runs(labels: list[str]) -> list[tuple[int, int, str]]:
        return [
            (start, stop, label)
            for start, stop, label in map(partial(_without_month_end, line), map(partial(_without_pronoun, line),
                                          spans_of(tokens[first:end], labels, lower_case=lower_case)))
            if start < stop
            and not covered.covers(offset + start, offset + stop)
            and not (mode == NORMAL and _short_capitals(line[start:stop]))  # "DEA", "PHI": abbreviations
            and not (mode == UPPER_LINE and _ordinary_in_capitals(line[start:stop]))
            and not (mode == NORMAL and _capitals_abbreviation(line, start, stop))  # "POLST on file"
            and not (label == "NAME" and _ends_in_a_drug(line[start:stop]))  # "Trelegy Ellipta"
            and not (label == "LOCATION" and _unlisted_word(line[start:stop]))
            and not (label == "LOCATION" and _a_people(line, start, stop))
            and not (label == "LOCATION" and _a_body_of_a_kind(line[start:stop]))
            and not (label == "NAME" and _plain_word(line[start:stop]))
            and not (label == "NAME" and lower_case and _misspelt_word(line[start:stop]))
            and not (mode == NORMAL and _compound_term(_GRADE_AFTER.sub("", line[start:stop])))
            and not _NUMBER_JOINED_AFTER.match(line, stop)
            and not (start and line[start - 1].isdigit())  # "71M Filipino": the sex of an age, then a word
            and not _eponym(line, start, stop)
            and not _LABEL_AFTER.match(line, stop)  # "Labs: A1c 9.4": a field's label
            and not line.startswith("No ", start)  # "No SI": a negation, then an abbreviation
            and not _INSURER.match(line, start)  # "Blue Cross Blue Shield", "Aetna Better Health"
            and not _HEALTH_PLAN_END.search(line, start, stop)  # "Presbyterian Centennial Care": a plan
            and not _ECHO_PROGRAM_END.search(line, start, stop)  # "the LXGZ ECHO session": a program
            and line[start:stop].lower().removesuffix("'s").removesuffix("’s") not in _PATIENT_WORDS  # "pt's dog"
            and not _LOWER_CASE_PART.search(line, start, stop)  # "Spanish-speaking RD"
        ]

    for first, end, features in windows:
        labels = tagger.tag(features)
        if labels.count("O") == len(labels):
            continue
        if tokens is None:  # offsets only when something is tagged
            tokens = [(*match.span(), word) for match, word in zip(token.finditer(line), words)]
        if not new_runs(labels):
            continue  # the rules found all of it: no need for the costlier marginals
        # A token the model is unsure of is left to the rules.
        labels = [tag if tag == "O" or tagger.marginal(tag, i) >= MIN_MARGINAL else "O" for i, tag in enumerate(labels)]
        findings.extend(  # "Soo-ah Lim's husband": the name ends before "'s"
            PhiFinding(offset + start, offset + stop - 2 * line.endswith(POSSESSIVE, start, stop), label, LIKELY)
            for start, stop, label in new_runs(labels)
        )
    return findings


_LABEL_AFTER = re.compile(r"[ \t]*:(?![0-9])")
_INSURER = re.compile(
    r"(?i:blue[ \t]+(?:cross|shield)|western[ \t]+sky|" + "|".join(sorted(INSURER_WORDS)) + r")(?![\w'’-])")
_PATIENT_WORDS = frozenset({"pt", "pts", "patient", "patients", "client", "resident"})
# A teleECHO program is named for its subject ("Hep C ECHO", "the Dementia ECHO"): no place.
_ECHO_PROGRAM_END = re.compile(r"(?i:\becho)$")
# A health plan named after the system that sells it: the plan is no place.
_HEALTH_PLAN_END = re.compile(r"(?i:centennial[ \t]+care|health[ \t]+plans?|medicare[ \t]+advantage|medicaid|medicare)$")
_PRONOUN_OPENING = re.compile(r"I(?:['’]?m)?[ \t]+")


def _without_pronoun(line: str, run: tuple[int, int, str]) -> tuple[int, int, str]:
    """A run the model opens with the caller's "I'm" ("I'm Rose from the pharmacy"): the name after it."""
    start, stop, label = run
    if line.startswith("I", start) and (pronoun := _PRONOUN_OPENING.match(line, start, stop)):
        return pronoun.end(), stop, label
    return run


# A month that opens a date ends no name or place: "Queen Medical Pavilion Dec. 1st" is the
# pavilion, then the date.
_MONTH_ENDING = re.compile(
    r"[ \t,]+(?i:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|january|february|march|april|may|june|july|august|"
    r"september|october|november|december)$")
_DAY_AFTER = re.compile(r"\.?[ \t]*[0-9]")


def _without_month_end(line: str, run: tuple[int, int, str]) -> tuple[int, int, str]:
    start, stop, label = run
    if _DAY_AFTER.match(line, stop) and (month := _MONTH_ENDING.search(line, start, stop)):
        return start, month.start(), label
    return run


_LOWER_CASE_PART = re.compile(r"-[a-z]{3,}")


# A run joined by a hyphen to a number is part of a term or code ("SARS-CoV-2", "Covid-19"): no
# name or place is written so.
_NUMBER_JOINED_AFTER = re.compile(r"-[0-9]")


# "Pt is Muscogee (Creek) citizen", "61 M, Muscogee, T2DM": a nation, not the county named for it,
# unless a word of place comes before it ("lives in Osage"); one typed small is left to the model
# ("62f, zuni." is the pueblo).
_PLACE_WORD_BEFORE = re.compile(r"(?i:\b(?:in|from|near|at|to|of|outside)[ \t]+)$")


def _a_people(line: str, start: int, stop: int) -> bool:
    return (line[start].isupper() and all(word in PEOPLE_WORDS for word in line[start:stop].lower().split())
            and not _PLACE_WORD_BEFORE.search(line, max(0, start - 12), start))


# A national body or a kind of site names no place: "the American Cancer Society guideline", "National
# Kidney Foundation", "referida al Centro de Salud Mental".  A word of its own makes one ("Centro de
# Salud Familiar La Fe").
_NATIONAL_WORDS = frozenset({"american", "national", "united", "federal", "us", "u.s."})
_SPANISH_SITE_WORDS = SPANISH_KIND_WORDS | frozenset("centro clinica clínica hospital de del la las los el y".split())


# The seats of the nation's government name no one's place: "The White House said so."
_NATIONAL_SEATS = frozenset({"white house", "pentagon", "congress", "senate", "supreme court", "capitol"})


def _a_body_of_a_kind(text: str) -> bool:
    if text.lower() in _NATIONAL_SEATS:
        return True
    parts = text.lower().split()
    if parts[0] in _NATIONAL_WORDS:
        words = lexicon()
        return all(words.is_plain_word(part) or part in _NATIONAL_WORDS for part in parts)
    if len(parts) > 1 and parts[-1] in _BODY_HEADS:  # "Cancer Society" read without its "American"
        words = lexicon()
        return all(words.is_plain_word(part) for part in parts)
    return len(parts) > 1 and all(part in _SPANISH_SITE_WORDS for part in parts)


_BODY_HEADS = frozenset("society association foundation institute academy council network alliance coalition".split())


def _unlisted_word(text: str) -> bool:
    """One plain word on no place list ("switched from Rinvoq"): too weak a place for the model
    alone; the rules still find a town after "from" or "in" when its context says so."""
    return text.isalpha() and text.lower() not in lexicon().places


_MISSPELT_MIN_LENGTH = 6


def _misspelt_word(text: str) -> bool:
    """An English word typed with two letters swapped or one letter doubled ("recieved", "reffered"
    is two away): a word typed in a hurry in a line of small letters, no name."""
    if len(text) < _MISSPELT_MIN_LENGTH or not text.isalpha():
        return False
    english = lexicon().english_words
    swapped = (text[:i] + text[i + 1] + text[i] + text[i + 2:] for i in range(len(text) - 1) if text[i] != text[i + 1])
    undoubled = (text[:i] + text[i + 1:] for i in range(len(text) - 1) if text[i] == text[i + 1])
    return any(word in english for word in swapped) or any(word in english for word in undoubled)


def _plain_word(text: str) -> bool:
    """One drug ("restart Keytruda"), clinical word ("fasts for Ramadan", "Kaplan-Meier"), language
    or people ("speaks Mixteco"), abbreviation in mixed case ("HFrEF", "RASs"), or a word with a
    clinical ending ("Malrotation"): the model reads an unknown capitalised word in a name's place
    as a name, the lists know better.  An English word is left to the model, which weighs how
    common it is ("L. PICCOLO")."""
    if not text.replace("-", "").isalpha():
        return False
    lower = text.lower()
    if (lower in lexicon().drug_names or lower in CLINICAL_WORDS or lower in PEOPLE_WORDS
            or lower.endswith(CLINICAL_ENDINGS) or is_specialty(lower)):
        return True
    return is_mixed_case_abbreviation(text)


def _eponym(line: str, start: int, stop: int) -> bool:
    """A run that names a disease, sign, score or instrument, not a person or a place: an eponym
    noun follows it ("Marasco tumor", "Peyronie's disease") or ends it ("Birks Cognitive
    Questionnaire"), or it is an eponym's possessive standing alone ("treatment for Peyronie's")."""
    if EPONYM_AFTER.match(line, stop):
        return True
    last = line[start:stop].rsplit(None, 1)[-1]
    return bool(INSTRUMENT_NOUN.fullmatch(last)) or (
        line[start:stop].endswith(POSSESSIVE) and not line[start:stop].rstrip("'’s").count(" ")
        and not line[stop:stop + 1].isalpha() and _plain_after(line, stop))


def _plain_after(line: str, stop: int) -> bool:
    """What follows a lone possessive is no noun it could own ("for Peyronie's in a man", "Cushing's.")."""
    rest = line[stop:].lstrip()
    return not rest or not rest[0].isalpha() or rest.split(None, 1)[0].lower() in CONNECTORS | {"in", "with", "and"}


# A class or grade after a compound term: "Child-Pugh A", "Child-Pugh C" name no one.
_GRADE_AFTER = re.compile(r"\s+(?:[A-D]|I{1,3}|IV|V)$")


def _compound_term(text: str) -> bool:
    """One hyphenated word that no name or place is made of: a part in lower case in text with
    capitals ("ICS-formoterol", "anti-Smith"), or only ordinary and clinical words and
    abbreviations ("Child-Pugh", "FIB-4", "Non-Hodgkin"). "Cedars-Sinai", "Smith-Jones" and
    "Larkspur-Vance" each hold a part that is no ordinary word."""
    if " " in text or "-" not in text:
        return False
    parts = [part for part in text.split("-") if part]
    if any(part[0].islower() for part in parts):
        return True
    words = lexicon()
    return all(part.isupper() or not part.isalpha() or words.is_plain_word(part) for part in parts)


def _short_capitals(text: str) -> bool:
    return len(text) <= SHORT_CAPITALS and text.isalpha() and text.isupper()


_CAPITALS_ABBREVIATION = 6  # in a line of capitals, one word this short and no given name: "POLST", "NORBUP"
_CAPITAL_WORD = re.compile(r"[A-Z]+(?:['’][A-Z]+)?")
_PERSON_VERB_AFTER = re.compile(r"[ \t]+(?:has|had|is|was|reports|says|states|denies|lives|works|wants)\b")


def _capitals_abbreviation(line: str, start: int, stop: int) -> bool:
    """One word of four or five capitals in a line with small letters, no listed name and no
    person's verb after it: "POLST on file", "FENT NEG" (not "ENFES has spirometry")."""
    text = line[start:stop]
    return (4 <= len(text) <= 5 and text.isalpha() and text.isupper()
            and not lexicon().is_known_name(text.lower()) and not _PERSON_VERB_AFTER.match(line, stop))


def _ends_in_a_drug(text: str) -> bool:
    """A run of words ending in a drug or device ("Trelegy Ellipta", "MS Contin") names no person."""
    last = text.rsplit(None, 1)[-1].lower()
    return " " in text and (last in lexicon().drug_names or last in DRUG_DEVICE_WORDS)


def _is_ordinary_word(word: str) -> bool:
    words = lexicon()
    return words.is_plain_word(word) or word in words.drug_names or word.endswith(CLINICAL_ENDINGS) or (
        word in CLINICAL_WORDS)


def _ordinary_in_capitals(text: str) -> bool:
    """In a line typed in capitals, a run of dictionary words none of which is a given name ("OF
    NEEDLES", "DROP-IN CENTER", "SMOKES METH DAILY"), or one short word that is no given name: the
    model reads too much into capitals; "ROSE BANKS" and "KOWALCZYK" stay."""
    words = lexicon()
    parts = _CAPITAL_WORD.findall(text)
    if not parts or any(words.is_first_name(part.lower()) for part in parts):
        return False
    if len(parts) == 1 and len(parts[0]) <= _CAPITALS_ABBREVIATION:
        return True
    return all(_is_ordinary_word(part.lower()) for part in parts)


def _may_end(token: str, lower_case: bool) -> bool:
    return token[0].isalpha() and (lower_case or not token.islower())


def spans_of(
    tokens: list[tuple[int, int, str]], labels: list[str], *, lower_case: bool = False
) -> list[tuple[int, int, str]]:
    """Character spans of the B-/I- runs (an I- without its B- opens a run of its own), trimmed to
    start and end on a word; a run with fewer than two letters ("L", "C") is dropped."""
    runs: list[list] = []  # [first token, last token, label]
    for index, tag in enumerate(labels):
        token = tokens[index][2]
        if tag == "O" or not (token[0].isalpha() or token in INNER_PUNCTUATION):
            continue  # a bracket or a comma ends a run: "Medicare [HEALTHPLAN]" is no name
        if not lower_case and token.islower() and token not in CONNECTORS:
            continue  # "Mesa Verde Assisted Living since March" is two runs, "Casa de Pinos" one
        prefix, label = tag.split("-", 1)
        if prefix == "I" and runs and runs[-1][1] == index - 1 and runs[-1][2] == label:
            runs[-1][1] = index
        else:
            runs.append([index, index, label])
    spans = []
    for first, last, label in runs:
        # A run starts and ends on a word, and in text with capitals on a capitalised one:
        # "Pinyon Ridge Med Ctr overnight" is "Pinyon Ridge Med Ctr", "taper Western Sky" is "Western Sky".
        while first <= last and not _may_end(tokens[first][2], lower_case):
            first += 1
        while last >= first and not _may_end(tokens[last][2], lower_case):
            last -= 1
        if first <= last and sum(len(tokens[i][2]) for i in range(first, last + 1) if tokens[i][2][0].isalpha()) >= 2:
            spans.append((tokens[first][0], tokens[last][1], label))
    return spans
