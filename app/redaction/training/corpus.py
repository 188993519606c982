"""Synthetic case fields and clinician questions with gold spans, from one half of every pool.

``make_corpus(half, count, seed)`` returns records like the development set's:
``{"text": ..., "spans": [[start, end, label], ...], "kind": ..., "templates": [id, ...]}``,
where a template id is ``template_id(fragment)``.  The same half, count and seed give the same
records in every process.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable

from app.redaction.training import fragments
from app.redaction.training.sources import (
    DESCENTS,
    EPONYM_HEADS,
    SCORE_HEADS,
    SCORE_QUALIFIERS,
    SERVICE_HEADS,
    SERVICE_MODIFIERS,
    EMPLOYER_HEADS,
    FACILITY_HEADS,
    STREET_SUFFIXES,
    Pools,
    half_of,
    pools,
)

STATES = ("NM", "AZ", "TX", "CO", "UT", "OK", "KY", "WV", "CA", "New Mexico", "Arizona", "Texas", "Ohio")
MONTHS = ("January February March April May June July August September October November December").split()
_SLOT = re.compile(r"\{([A-Z]+)\}")
# Shares of the kinds of record; the rest are PHI-free case fields.
CASE_PHI_SHARE, QUESTION_SHARE = 0.55, 0.25
# A PHI slot is filled with a decoy this often, so that context alone ("lives in ...") never
# decides: the word itself must look like a name or a place.
DECOY_SHARE = 0.2
PLACEHOLDER_SHARE = 0.03
_PERSON_DECOYS = ("the patient", "her mother", "him", "her", "the family", "everyone", "Mom", "Dad", "Grandma",
                  "the nurse", "a friend", "the caseworker", "nobody", "Patient", "the team")  # fmt: skip
DECOYS = {
    # FIRST and LAST get none: they often stand side by side ("{FIRST} {LAST}"), where a decoy
    # would make "Aroa the family".
    "NAME": _PERSON_DECOYS, "FIRSTI": _PERSON_DECOYS,
    "DR": ("the hepatologist", "her PCP", "the on-call doctor", "Psychiatry", "the ED physician", "the hub team",
           "Cardiology", "the pharmacist", "our NP"),
    "TOWN": STATES + ("town", "the city", "winter", "2019", "the valley", "the reservation", "Mexico", "the area",
                      "the Navajo Nation", "rural areas", "the county", "Texas", "a small town"),
    "COUNTY": ("the county", "a rural county", "the area", "the next county"),
    "FACILITY": ("the clinic", "our clinic", "the ED", "the emergency department", "a nursing home", "the hospital",
                 "the ECHO session", "Indian Health Service", "the VA", "IHS", "urgent care", "the pharmacy", "detox",
                 "jail", "the shelter", "Hepatology clinic", "Behavioral Health", "Pediatrics", "the OTP"),
    "EMPLOYER": ("a construction company", "the mine", "a restaurant", "the school district", "a trucking company",
                 "the tribe", "a ranch", "the county", "home"),
    "STREET": ("the highway", "a dirt road", "the main road", "the interstate"),
}  # fmt: skip

Span = tuple[int, int, str]


def template_id(fragment: str) -> str:
    return hashlib.sha256(fragment.encode("utf-8")).hexdigest()[:10]


def fragments_of(half: str) -> dict[str, list[str]]:
    """The fragments of one half, by kind; each kind is split on its own so both halves have some."""
    blocks = {"case_phi": fragments.CASE_PHI, "case_free": fragments.CASE_FREE, "question": fragments.QUESTIONS}
    return {kind: [f for f in fragments.lines(block) if half_of(f) == half] for kind, block in blocks.items()}


def make_corpus(half: str, count: int, seed: int) -> list[dict]:
    rng = random.Random(f"{half}:{seed}")
    maker = _Maker(rng, pools(half), fragments_of(half))
    return [maker.record() for _ in range(count)]


class _Maker:
    def __init__(self, rng: random.Random, pool: Pools, frames: dict[str, list[str]]) -> None:
        self.rng, self.pool, self.frames = rng, pool, frames
        self.slots: dict[str, Callable[[], tuple[str, list[Span]]]] = {
            "NAME": self._name, "FIRST": lambda: self._person(self._first()),
            "LAST": lambda: self._person(self._last()), "FIRSTI": self._first_initial, "DR": self._doctor,
            "TOWN": lambda: self._place(self._choice(self.pool.towns)),
            "COUNTY": lambda: self._place(self._choice(self.pool.counties)),
            "FACILITY": lambda: self._place(self._facility()), "EMPLOYER": lambda: self._place(self._employer()),
            "STREET": lambda: self._place(self._street()), "DATE": lambda: (self._date(), [(0, None, "DATE")]),
            "AGE": lambda: (str(rng.randint(18, 88)), []), "STATE": lambda: (self._choice(STATES), []),
            "EPONYM": lambda: (self._eponym(), []),
            "DESCENT": lambda: (self._choice(DESCENTS), []),
            "BRAND": lambda: (self._choice(self.pool.brands), []),
            "ABBR": lambda: (self._abbreviation(), []),
            "TERM": lambda: (self._choice(self.pool.terms), []),
            "SERVICE": lambda: (self._service(), []),
            "ROLE": lambda: (self._choice(self.pool.roles), []),
            "CTERM": lambda: (self._choice(self.pool.terms).capitalize(), []),
            "ID": self._identifier,
            "ZIP": lambda: (f"{rng.randint(10000, 99999)}", [(0, None, "LOCATION")]),
        }  # fmt: skip

    def record(self) -> dict:
        roll = self.rng.random()
        if roll < CASE_PHI_SHARE:
            kind, chosen = "case_phi", [self._choice(self.frames["case_phi"])]
            chosen += [self._choice(self.frames["case_free"]) for _ in range(self.rng.randint(0, 2))]
            self.rng.shuffle(chosen)
        elif roll < CASE_PHI_SHARE + QUESTION_SHARE:
            kind, chosen = "question", [self._choice(self.frames["question"])]
        else:
            kind = "case_free"
            chosen = [self._choice(self.frames["case_free"]) for _ in range(self.rng.randint(1, 3))]
        text, spans = self._fill(" ".join(chosen))
        casing = self.rng.random()
        if casing < 0.02:
            text = text.lower()
        elif casing < 0.04:
            text = text.upper()
        return {"text": text, "spans": [list(s) for s in spans], "kind": kind,
                "templates": [template_id(f) for f in chosen]}  # fmt: skip

    def _fill(self, template: str) -> tuple[str, list[Span]]:
        pieces, spans, cursor, length = [], [], 0, 0
        for match in _SLOT.finditer(template):
            literal = template[cursor : match.start()]
            pieces.append(literal)
            length += len(literal)
            slot = match.group(1)
            roll = self.rng.random()
            if slot in DECOYS and roll < DECOY_SHARE:
                value, relative = self._decoy(slot), []
            elif slot in DECOYS and roll < DECOY_SHARE + PLACEHOLDER_SHARE:
                value, relative = self._placeholder(slot), []  # text the user already redacted
            else:
                value, relative = self.slots[slot]()
            spans += [(length + start, length + (len(value) if end is None else end), label)
                      for start, end, label in relative]  # fmt: skip
            pieces.append(value)
            length += len(value)
            cursor = match.end()
        pieces.append(template[cursor:])
        text = "".join(pieces)
        return text, _merge_adjacent(text, spans)

    def _choice(self, values):
        return values[self.rng.randrange(len(values))]

    def _identifier(self) -> tuple[str, list[Span]]:
        label = self._choice(self.pool.id_labels)
        number = "".join(self._choice("0123456789") for _ in range(self.rng.randint(5, 10)))
        separator = self._choice((" ", " ", ": ", " # "))
        return f"{label}{separator}{number}", [(len(label) + len(separator), None, "ID")]

    def _service(self) -> str:
        if self.rng.random() < 0.5:
            return self._choice(self.pool.services)
        return f"{self._choice(SERVICE_MODIFIERS)} {self._choice(SERVICE_HEADS)}"

    def _decoy(self, slot: str) -> str:
        if slot in ("FACILITY", "EMPLOYER") and self.rng.random() < 0.5:
            return self._service()
        return self._choice(DECOYS[slot])

    def _placeholder(self, slot: str) -> str:
        return "[LOCATION]" if slot in ("TOWN", "COUNTY", "FACILITY", "EMPLOYER", "STREET") else "[NAME]"

    def _abbreviation(self) -> str:
        """A listed abbreviation, or letters no list holds ("HBN", "PHI"): short capitals are no name."""
        if self.rng.random() < 0.7:
            return self._choice(self.pool.abbreviations)
        return "".join(chr(65 + self.rng.randrange(26)) for _ in range(self.rng.randint(2, 4)))

    def _eponym(self) -> str:
        """A listed eponym, or one made from a surname of this half: "Brennan's sign", "Okafor score"."""
        if self.rng.random() < 0.5:
            return self._choice(self.pool.eponyms)
        stem = self._choice(self.pool.surnames if self.rng.random() < 0.7 else self.pool.towns)  # "Lyme disease"
        if self.rng.random() < 0.3:
            return f"{stem} {self._choice(SCORE_QUALIFIERS)} {self._choice(SCORE_HEADS)}"
        return f"{stem}{self._choice(('', chr(39) + 's'))} {self._choice(EPONYM_HEADS)}"

    def _first(self) -> str:
        name = self._choice(self.pool.first_names)
        if self.rng.random() < 0.03:  # "Tre'Von", "DeShawn": a prefix on a name from the pool
            name = self._choice(("De", "La", "Ja", "Tre", "Da", "Ke", "Sha")) + self._choice(("'", "")) + name
        return name

    def _last(self) -> str:
        name = self._choice(self.pool.surnames)
        if self.rng.random() < 0.06:
            name += "-" + self._choice(self.pool.surnames)
        return name

    def _cased(self, text: str) -> str:
        roll = self.rng.random()
        return text.upper() if roll < 0.05 else text.lower() if roll < 0.06 else text

    def _person(self, text: str) -> tuple[str, list[Span]]:
        text = self._cased(text)
        return text, [(0, len(text), "NAME")]

    def _place(self, text: str) -> tuple[str, list[Span]]:
        text = text.upper() if self.rng.random() < 0.04 else text
        return text, [(0, len(text), "LOCATION")]

    def _name(self) -> tuple[str, list[Span]]:
        first, last, rng = self._first(), self._last(), self.rng
        forms = (f"{first} {last}", f"{first} {last}", f"{first} {chr(65 + rng.randrange(26))}. {last}",
                 f"{last}, {first}", first, f"{first} {last[0]}.", f"{first[0]}. {last}")  # fmt: skip
        return self._person(self._choice(forms))

    def _first_initial(self) -> tuple[str, list[Span]]:
        return self._person(f"{self._first()} {self._last()[0]}.")

    def _doctor(self) -> tuple[str, list[Span]]:
        title = self._choice(("Dr.", "Dr.", "Dr", "Dr.", "NP", "Nurse", "Mr.", "Ms.", "Mrs."))
        name = self._cased(self._choice((self._last(), self._last(), f"{self._first()} {self._last()}")))
        if title == "Dr." and self.rng.random() < 0.15:
            return f"{name}, MD", [(0, len(name), "NAME")]
        return f"{title} {name}", [(len(title) + 1, len(title) + 1 + len(name), "NAME")]

    def _facility(self) -> str:
        pool, rng = self.pool, self.rng
        head = self._choice(FACILITY_HEADS)
        descriptor = self._choice(pool.descriptors)
        forms = (f"{self._choice(pool.towns)} {head}", f"{descriptor} {head}",
                 f"{descriptor} {self._choice(pool.descriptors)} {head}", f"St. {self._choice(pool.saints)}'s",
                 f"St. {self._choice(pool.saints)} {head}", f"{self._last()} {head}",
                 f"{self._last()}-{self._last()}", f"{self._last()} Memorial Hospital",
                 f"{self._choice(pool.towns)} {descriptor} {head}",
                 f"{self._first()} {self._last()} {head}")  # fmt: skip
        return self._choice(forms) if rng.random() > 0.05 else self._choice(forms).upper()

    def _employer(self) -> str:
        pool = self.pool
        head = self._choice(EMPLOYER_HEADS)
        forms = (f"{self._last()} {head}", f"{self._choice(pool.descriptors)} {head}",
                 f"{self._choice(pool.towns)} {head}", f"{self._last()} & {self._last()}",
                 f"{self._last()} and Sons", f"{self._last()} {self._choice(('Inc', 'LLC', 'Co.'))}")  # fmt: skip
        return self._choice(forms)

    def _street(self) -> str:
        stem = self._choice((self._last(), self._choice(self.pool.descriptors), self._choice(self.pool.towns)))
        direction = self._choice(("", "", "N ", "S ", "E. ", "W "))
        return f"{self.rng.randint(1, 9999)} {direction}{stem} {self._choice(STREET_SUFFIXES)}"

    def _date(self) -> str:
        rng = self.rng
        year, month, day = rng.randint(1990, 2026), rng.randint(1, 12), rng.randint(1, 28)
        forms = (f"{month}/{day}/{year}", f"{month}/{day}/{year % 100:02d}", f"{MONTHS[month - 1]} {day}, {year}",
                 f"{MONTHS[month - 1][:3]} {day}, {year}", f"{year}-{month:02d}-{day:02d}",
                 f"{day} {MONTHS[month - 1]} {year}",
                 f"{MONTHS[month - 1]} {year}", f"{month}/{day}")  # fmt: skip
        return self._choice(forms)


def _merge_adjacent(text: str, spans: list[Span]) -> list[Span]:
    """ "{FIRST} {LAST}" is one name: same-label spans with only a space between become one."""
    merged: list[Span] = []
    for span in spans:
        if merged and merged[-1][2] == span[2] and text[merged[-1][1] : span[0]] == " ":
            merged[-1] = (merged[-1][0], span[1], span[2])
        else:
            merged.append(span)
    return merged
