"""find_phi(): run every detector, then keep the best non-overlapping findings."""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import attrgetter

from app.redaction.caseless import caseless_findings, not_contradicting
from app.redaction.dates import ages_after_names, find_ages, find_dates
from app.redaction.findings import CERTAIN, PhiFinding
from app.redaction.form_fields import find_form_fields
from app.redaction.identifiers import find_fixed_shapes
from app.redaction.lexicon import EPONYM_NOUNS, HEALTH_PLAN_NAMES, lexicon
from app.redaction.locations import STATE_NAMES_LOWER, find_locations, places_after_name_and_age
from app.redaction.names import (
    TITLE_RIGHT_BEFORE,
    continued_names,
    find_names,
    joined_name_parts,
    saint_surnames,
    widened_lower_case_names,
)
from app.redaction.normalize import normalise
from app.redaction.place_words import REGION_NAMES, REGIONS_ALSO_NAMES, STATE_NAMES
from app.redaction.scan import KeywordPattern, TextView, case_insensitive_alternation
from app.redaction.tagger import find_tagged

# Between overlapping likely candidates of the same length, the more specific label wins: an age
# or a date over a place or a name ("May" in "May 2024" is no person), a place over a name.
_LABEL_RANK = {"AGE": 1, "DATE": 2, "LOCATION": 3, "ID": 4, "NAME": 5}


def find_phi(text: str) -> list[PhiFinding]:
    """All PHI found in ``text``, sorted by start, non-overlapping, in offsets of ``text``.

    The detectors read the normalised text (NFKC, digits, spaces, dashes and look-alike letters
    as ASCII, invisible characters dropped); each finding is mapped back to the characters typed.
    """
    if text.isascii():  # most text: nothing to normalise (normalise() would say so, less cheaply)
        return detect(text)
    normalised = normalise(text)
    if normalised.unchanged:
        return detect(text)
    mapped: list[PhiFinding] = []
    for finding in detect(normalised.text):
        start, end = normalised.to_original(finding.start, finding.end)
        if mapped and start < mapped[-1].end:  # two findings inside one expanded character
            previous = mapped.pop()
            certainty = CERTAIN if CERTAIN in (previous.certainty, finding.certainty) else previous.certainty
            finding = PhiFinding(previous.start, max(end, previous.end), previous.label, certainty)
        else:
            finding = PhiFinding(start, end, finding.label, finding.certainty)
        mapped.append(finding)
    return mapped


def detect(text: str) -> list[PhiFinding]:
    """The detectors on text as given (no normalisation), best non-overlapping findings."""
    view = TextView.of(text)
    candidates = [
        *find_fixed_shapes(view),
        *find_dates(view),
        *find_ages(view),
        *find_locations(view),
        *find_names(view),
        *find_form_fields(view),
    ]
    candidates += find_tagged(view, beside=candidates)  # what the rules missed, or a longer span
    candidates += joined_name_parts(text, candidates, lexicon())  # "Honesty" before "Blackhorse" found
    if "St" in view.tokens:
        candidates += saint_surnames(text, candidates)  # "Dr. Maria St. Clair", not the town "St. Clair"
    if view.has_digit or "ninety" in view.words or "hundred" in view.words:
        candidates += ages_after_names(text, candidates)
        candidates += places_after_name_and_age(text, candidates)
    # Sentences typed in capitals or in lower case, read again as if typed with capitals.  The
    # names and places read so fill gaps or lengthen what was found; where they disagree about
    # what a span is (a name where the text as typed has a place), the text as typed wins.  A
    # site read with its words capitalised stands like one typed so.
    names_and_places, sites = caseless_findings(text)
    if names_and_places:
        candidates += not_contradicting(names_and_places, candidates, len(text))
    candidates += sites
    if not view.tokens.isdisjoint(_REGION_WORDS):
        candidates = _not_regions(candidates, text)
    if not view.tokens.isdisjoint(_EPONYM_GATE):
        candidates = _not_eponyms(candidates, view)
    if HEALTH_PLAN.occurs_in(view):
        candidates = _not_health_plans(candidates, view)
    chosen = _select_non_overlapping(candidates, text=text)
    if view.has_digit:
        chosen = [_with_attached_unit(text, finding) if finding.label == "AGE" else finding for finding in chosen]
    if any(finding.label == "NAME" for finding in chosen):
        chosen = continued_names(text, chosen)
        if not text.istitle():
            chosen = widened_lower_case_names(text, chosen)
        if not view.words.isdisjoint(_PET_WORDS):
            chosen = [finding for finding in chosen if finding.label != "NAME"
                      or not _PET_BEFORE.search(text, max(0, finding.start - 24), finding.start)]
    return chosen


# An age typed with its unit as one word is marked whole: "91yo", "96YO", "93y/o" (the unit is
# no finding of its own, so nothing else lies there).
_ATTACHED_AGE_UNIT = re.compile(r"(?i:y/o|yo|yrs?|y)(?![\w/])")


def _with_attached_unit(text: str, finding: PhiFinding) -> PhiFinding:
    unit = _ATTACHED_AGE_UNIT.match(text, finding.end)
    return PhiFinding(finding.start, unit.end(), "AGE", finding.certainty) if unit else finding


# A pet's name is no person's: 'Pt's dog "Rusty" needs feeding', 'service dog "Major"', "her cat Mittens".
_PETS = ("dog", "cat", "puppy", "pup", "kitten", "horse", "pony", "parrot")
_PET_WORDS = frozenset(_PETS) | {"dogs", "cats"}  # the words the gate asked for before
_PET_BEFORE = re.compile(rf"(?i:\b(?:{'|'.join(_PETS)})s?(?:[ \t]+(?:named|called))?)[ \t,]*[\"“'‘]?$")


# Names that name a sign, a test or an instrument, not a person or a place: two names joined before
# what they name or what it showed ("Ortolani and Barlow negative", "Chadwick and Goodell signs"),
# and one name with its version ("Denver II", "Amsterdam II criteria"; "Frank Hardy III" has two).
_EPONYM_PAIR = re.compile(
    r"[A-Z](?<![\w'’-].)[a-z]+(?:[ \t]+(?:and|&)[ \t]+[A-Z][a-z]+){1,3}(?:['’]s)?[ \t-]+(?:(?:both|were|are)[ \t]+)?"
    rf"(?i:(?:{EPONYM_NOUNS})|negative|positive|neg|pos|maneuvers|methods?|atlas|signs?)\b"
)
# Programs and makers named after people: "Ryan White ADAP", "enroll in Ryan White", "Lilly Cares",
# "Eli Lilly's $35 program".
_PROGRAM_OF_A_NAME = re.compile(
    r"\b(?:in|to|through|via|under|with|for|per)[ \t]+Ryan[ \t]+White(?![\w'’-])"
    # the HIV program wherever no title, age or person's verb makes a person of it ("Ryan White case
    # mgr", "RYAN WHITE ELIGIBILITY: YES", "Ryan White not applicable"; not "Ryan White came in")
    r"|(?<!Mr\.[ \t])(?<!Mr[ \t])(?<!Dr\.[ \t])(?<!Dr[ \t])(?<![Pp]t[ \t])(?i:Ryan[ \t]+White)(?![\w'’-]|,?[ \t]*[0-9]{1,3}[ \t]*(?i:y|yo|m|f)\b"
    r"|[ \t]+(?:came|comes|was|has|had|says|said|reports|presents|denies|lives|works|wants|called|calls)\b)"
    r"|(?:Eli[ \t]+)?Lilly(?=(?:['’]s)?[ \t]+(?i:cares|insulin|diabetes|programs?|pap|patient|assistance|\$))"
    r"|Eli[ \t]+Lilly(?![\w'’-])"
)
# A people's language: "Karen speaker", "Mam interpreter", "Cheyenne and Arapaho are spoken".
_LANGUAGE = re.compile(
    r"[A-Z](?<![\w'’-].)[a-z]+(?:[ \t]+(?:and|&|or)[ \t]+[A-Z][a-z]+){0,3}"
    r"(?=[ \t]+(?:speakers?|speaking|interpreters?|language|refugees?|(?:is|are)[ \t]+spoken)\b)")
_INSTRUMENT_VERSION = re.compile(r"(?<![A-Za-z][\w'’.-] )(?<![A-Za-z][\w'’.-]  )[A-Z][a-z]+[ \t]+(?:II|III|IV)(?![\w'’-])")
_LANGUAGE_WORDS = frozenset({"speaker", "speakers", "speaking", "interpreter", "interpreters", "language", "spoken",
                             "refugee", "refugees"})
_EPONYM_NOUN_WORDS = [word for word in EPONYM_NOUNS.split("|") if word.isalpha()]
_EPONYM_GATE = frozenset({"II", "III", "IV", "and", "White", "WHITE", "Lilly", "LILLY"}) | _LANGUAGE_WORDS
_PAIR_GATE = frozenset(_EPONYM_NOUN_WORDS) | {"negative", "positive", "neg", "pos", "maneuvers", "methods", "atlas"}
_GATES = ((_EPONYM_PAIR, _PAIR_GATE), (_INSTRUMENT_VERSION, frozenset({"ii", "iii", "iv"})),
          (_PROGRAM_OF_A_NAME, frozenset({"white", "lilly"})), (_LANGUAGE, _LANGUAGE_WORDS))


def _not_eponyms(candidates: list[PhiFinding], view: TextView) -> list[PhiFinding]:
    text = view.text
    # Each pattern only where its own words occur: most texts hold "and" but no sign after it.
    spans = [match.span() for pattern, gate in _GATES if not view.words.isdisjoint(gate)
             for match in pattern.finditer(text)]
    if not spans:
        return candidates
    inside = _marked(spans, len(text))
    return [candidate for candidate in candidates
            if candidate.label not in ("NAME", "LOCATION") or inside.find(0, candidate.start, candidate.end) != -1]


# A health plan is no place and no person: "Tufts Health Together", "Sanford Health Plan", "Carolina
# Complete Health" (lexicon.HEALTH_PLAN_NAMES).
HEALTH_PLAN = KeywordPattern(HEALTH_PLAN_NAMES.replace(" ", r"[ \t]+"), r"(?![\w'’-])", before=r"(?<![\w'’-])")


def _not_health_plans(candidates: list[PhiFinding], view: TextView) -> list[PhiFinding]:
    spans = [match.span() for match in HEALTH_PLAN.finditer(view)]
    if not spans:
        return candidates
    inside = _marked(spans, len(view.text))
    # A name or place that reaches into a plan is read from the plan's words ("Presbyterian Centennial"
    # of "Presbyterian Centennial Care"): it goes too.
    return [candidate for candidate in candidates
            if candidate.label not in ("NAME", "LOCATION") or inside.find(1, candidate.start, candidate.end) == -1]


def _marked(spans: list[tuple[int, int]], length: int) -> bytearray:
    """One byte per character, 1 inside ``spans``: linear however many spans and candidates ask."""
    inside = bytearray(length)
    for start, end in spans:
        inside[start:end] = b"\x01" * (end - start)
    return inside


# A state or a country is no PHI, alone or in part: "moved from North Dakota" is neither the
# place "North" nor the name "Dakota", "the Rhode Island data" no place.  A name after a title
# stays one ("Mr. Washington").
_REGION_WORDS = frozenset(word for region in REGION_NAMES for word in region.title().split()) | frozenset(
    word.upper() for region in REGION_NAMES for word in region.split())
# Grouped by first letter (scan.case_insensitive_alternation): re then tries one group, not 250.
_REGION = re.compile(
    r"(?<![\w'’-])"
    + case_insensitive_alternation("|".join(
        sorted((re.escape(region).replace(r"\ ", r"[ \t]+") for region in REGION_NAMES), key=len, reverse=True)))
    + r"(?![\w'’-])"
)
_REGION_REACH = 40  # characters either side of a candidate where a region holding it may lie
_STATE_AFTER = re.compile(r",?[ \t]+(?:[A-Z]{2}\b|" + "|".join(STATE_NAMES.split("|")) + r")")


def _not_regions(candidates: list[PhiFinding], text: str) -> list[PhiFinding]:
    kept = []
    for candidate in candidates:
        if candidate.label in _JOINED_LABELS:
            words = [word.strip(",;:.") for word in text[candidate.start:candidate.end].split()]
            if words and (words[0] in _REGION_WORDS or words[-1] in _REGION_WORDS):  # "Syria, Arabic" too
                candidate = _outside_regions(candidate, text)
                if candidate is None:
                    continue
        kept.append(candidate)
    return kept


def _outside_regions(candidate: PhiFinding, text: str) -> PhiFinding | None:
    """None when the candidate lies inside a state or a country; cut before it when it reaches
    over a comma into one; as it is otherwise.  Only the text around the candidate is read."""
    window_start, window_end = max(0, candidate.start - _REGION_REACH), candidate.end + _REGION_REACH
    for region in _REGION.finditer(text, window_start, window_end):
        start, end = region.span()
        if end <= candidate.start or start >= candidate.end:
            continue
        if _STATE_AFTER.match(text, end) and text[start:end].lower() not in STATE_NAMES_LOWER:
            continue  # a town named like a country before its state: "near Cuba, NM", not "Oregon, California"
        if start <= candidate.start and candidate.end <= end:
            if TITLE_RIGHT_BEFORE.search(text, max(0, candidate.start - 8), candidate.start):
                return candidate  # "Mr. Washington"
            if candidate.label == "NAME" and text[start:end].lower() in REGIONS_ALSO_NAMES:
                return candidate  # "Jordan missed his visit", "Virginia called": read as a name
            return None
        if (start == candidate.start and text.startswith(",", end) and candidate.label == "NAME"
                and lexicon().is_plain_word(text[end + 1:candidate.end].split()[0].strip(",.") or "-")):
            return None  # "from Syria, Arabic via phone interpreter" (not "WASHINGTON, LATOYA R")
        if candidate.start < start and candidate.end <= end:
            # It reaches over a comma into a state: "Gallup, New Mexico" read as "Last, First" is
            # "Gallup", the town before its state ("Jasmine Washington", "New Lebanon" stay).
            head = text[candidate.start:start]
            trimmed = head.rstrip(" \t,")
            if trimmed and head[len(trimmed):].strip(" \t") == ",":
                return PhiFinding(candidate.start, candidate.start + len(trimmed), "LOCATION", candidate.certainty)
    return candidate


def _priority(finding: PhiFinding) -> tuple[int, int, int, int]:
    # Certain findings first; among likely ones the longer span ("Ethan Washington" over the
    # "Ethan" of a misread "Ethan, Washington"), then the more specific label.
    certain_first = 0 if finding.certainty == CERTAIN else 1
    rank = _LABEL_RANK.get(finding.label, 0)
    return (certain_first, -(finding.end - finding.start), rank, finding.start)


def _select_non_overlapping(candidates: list[PhiFinding], *, join: bool = True, text: str = "") -> list[PhiFinding]:
    if not candidates:
        return []  # most fields
    chosen: list[PhiFinding] = []
    # One byte per character, set where a chosen finding lies: a candidate overlaps the chosen
    # ones exactly when its span holds a set byte.  Checking and marking cost its length, so the
    # whole selection stays linear in the text (keeping the chosen sorted by inserting into a
    # list moved O(findings) entries per finding: 2 s for 4 MB of case text).
    taken = bytearray(max(0, max(candidate.end for candidate in candidates)))
    # sorted() is stable: of two candidates that tie (one span, two labels) the first found wins,
    # never the one that string hashing (random per process) would put first in a set.  Several
    # detectors often find the same span with the same label: such a repeat sorts right after the
    # first (same priority, same order) and is passed over without hashing the findings.
    overlapping = []
    previous = None
    by_start: dict[int, PhiFinding] | None = None  # the chosen by start, for _around_certain
    for candidate in sorted(candidates, key=_priority):
        start, end = candidate.start, candidate.end
        if end <= start:
            continue
        if (previous is not None and start == previous.start and end == previous.end
                and candidate.label == previous.label and candidate.certainty == previous.certainty):
            continue  # a repeat
        previous = candidate
        if taken.find(1, start, end) != -1:
            if candidate.label == "LOCATION" and text:
                if by_start is None:  # made on first use, then kept up to date: building it per call was quadratic
                    by_start = {finding.start: finding for finding in chosen}
                if pieces := _around_certain(candidate, by_start, taken, text):
                    for piece in pieces:
                        taken[piece.start:piece.end] = _TAKEN * (piece.end - piece.start)
                        by_start[piece.start] = piece
                    chosen += pieces
                    continue
            if join and candidate.label in _JOINED_LABELS:
                overlapping.append(candidate)
            continue
        taken[start:end] = _TAKEN * (end - start)
        chosen.append(candidate)
        if by_start is not None:
            by_start[start] = candidate
    chosen.sort(key=_start)  # non-overlapping and non-empty: no two share a start
    return _joined(chosen, overlapping, taken) if overlapping else chosen


def _around_certain(candidate: PhiFinding, by_start: dict[int, PhiFinding], taken: bytearray,
                    text: str) -> list[PhiFinding]:
    """A likely place that holds certain findings (an address with its postal code read as an ID:
    "Boulevard Omán 609, Vieja Rwanda, SON 20777") keeps its text around them, in pieces: when it
    was passed over, the street and the town stayed in the text.  Only when every chosen finding
    it overlaps lies inside it and is certain (likely ones that won did so by being longer)."""
    inside, position = [], candidate.start
    while (found := taken.find(1, position, candidate.end)) != -1:
        finding = by_start.get(found)
        if finding is None or finding.end > candidate.end or finding.certainty != CERTAIN:
            return []
        inside.append((finding.start, finding.end))
        position = finding.end
    pieces, position = [], candidate.start
    for start, end in [*inside, (candidate.end, candidate.end)]:
        gap = text[position:start]
        # Lower-case words ending a piece are the sentence going on ("1234 Elm St, Boston, seen on").
        stripped = _LOWER_CASE_END.sub("", gap.strip(_GAP_EDGES)).rstrip(_GAP_EDGES)
        if any(char.isalnum() for char in stripped):
            piece_start = position + len(gap) - len(gap.lstrip(_GAP_EDGES))
            pieces.append(PhiFinding(piece_start, piece_start + len(stripped), candidate.label, candidate.certainty))
        position = end
    return pieces


_GAP_EDGES = " \t\n,;:/()"
_LOWER_CASE_END = re.compile(r"(?:(?:^|[ \t,]+)[a-z]+)+$")


# Two readings of one name or place that overlap ("Dr. Dakshesh Cichon" by its title, "Cichon,
# Olimpian" as last-comma-first) are one finding over both: keeping only the longer one left
# "Dakshesh" in the text.
_JOINED_LABELS = frozenset({"NAME", "LOCATION"})


def _joined(chosen: list[PhiFinding], overlapping: list[PhiFinding], taken: bytearray) -> list[PhiFinding]:
    """Each overlapping candidate that reaches past the one chosen finding it overlaps, of the
    same label, into text no other finding holds, widens that finding to cover both."""
    starts = [finding.start for finding in chosen]
    for candidate in overlapping:
        index = bisect_right(starts, candidate.start) - 1
        if index < 0 or chosen[index].end <= candidate.start:
            index += 1  # the candidate starts before the first finding it overlaps
        if index >= len(chosen):
            continue
        finding = chosen[index]
        if finding.label != candidate.label or not (finding.start < candidate.end and candidate.start < finding.end):
            continue
        start, end = min(finding.start, candidate.start), max(finding.end, candidate.end)
        if taken.find(1, start, finding.start) != -1 or taken.find(1, finding.end, end) != -1:
            continue  # it reaches another finding: leave both as they are
        taken[start:end] = _TAKEN * (end - start)
        chosen[index] = PhiFinding(start, end, finding.label, finding.certainty)
        starts[index] = start
    return chosen


_TAKEN = b"\x01"
_start = attrgetter("start")
