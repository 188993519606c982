"""Fields of a form copied into a case: "Pt: Harold Two Bulls | MRN: PR-0049817 | Loc: Kyle".

An EHR header or a referral form pasted into a case field names its values by labels and parts
them with "|", ";", a tab, two spaces or a line break.  The value of a person's field ("Pt:",
"Presenter:", "Guardian:") is a name, whatever its words: Lakota and Diné names are made of
English words ("Two Bulls", "Little Wolf"), which the name rules read only in prose context.  The
value of a place's field ("Loc:", "Site:", "Clinic:", "Home health agency:") is a place.  Only a
whole value counts, from the label to the next delimiter: "Patient: doing well, no complaints"
has none (it is prose, and lower case), "Site: ED" is no name of a place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS, UNIT_ABBREVIATIONS
from app.redaction.facilities import GENERIC_FACILITY_WORDS
from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.lexicon import lexicon
from app.redaction.place_words import REGION_NAMES
from app.redaction.scan import KeywordPattern, TextView

_PERSON_LABELS = (
    r"pt|patient|pt\s+name|patient\s+name|name|presenter|presented\s+by|provider|referring\s+provider|"
    r"referred\s+by|pcp|attending|caregiver|guardian|emergency\s+contact|contact|parent|mother|father|"
    r"spouse|poa|next\s+of\s+kin|interpreter|case\s+manager|chw|np|rn|md|clinician|prescriber|submitted\s+by|"
    r"guarantor|subscriber|"
    # the same labels on forms in Spanish, Portuguese, French and Haitian Creole
    r"nombre|paciente|nome|nom|non|pasyan|madre|padre|mae|mãe|pai|manman|papa|tutor|responsable"
)
_PLACE_LABELS = (
    r"loc|location|site|clinic|facility|agency|home\s+health\s+agency|hospital|pharmacy|school|shelter|"
    r"residence|town|city|county|hometown|community|chapter|lives\s+in|practice|home|address|addr|"
    r"village|barrio|colonia|aldea|pueblo|vila|direcci[oó]n|domicilio|endere[cç]o|adresse|adr[eè]s|lokalite|vil"
)
FIELD = KeywordPattern(
    f"{_PERSON_LABELS}|{_PLACE_LABELS}",
    # The value: from the colon to a delimiter ("|", ";", a tab, two spaces, a line break, the end).
    r"[ \t]*:[ \t]*(?P<value>[^|;\t\n:]{2,80}?)[ \t]*(?=\||;|\t|\n|  |$)",
    group="label",
    before=r"(?<![\w-])",
)
_PERSON_LABEL = re.compile(rf"(?i:{_PERSON_LABELS})")
# What may follow a name inside its field: a credential ("Priya Raghunathan MD", "Dana Whitehorse,
# FNP"), an age and sex ("Shanice Redbird 24F", "Agnes Littlewolf, 96 yo").
_NAME_TAIL = re.compile(
    r"(?:,?[ \t]+(?:(?:MD|DO|NP|FNP|APRN|PA-C|PA|RN|LPN|CNM|CNA|CHW|CHR|LCSW|LMSW|PharmD|RPh|PhD|MPH|DNP|MSW)\b\.?"
    r"|[0-9].*))+$"
)
_PARTICLES = frozenset("van von der den de del della di da du la las los le dos das do bin ibn bint al el y".split())
_CONNECTORS = frozenset("of & and the de del la at".split())
MAX_NAME_WORDS = 5
MAX_PLACE_WORDS = 7


def find_form_fields(view: TextView) -> Iterator[PhiFinding]:
    if ":" not in view.text or not FIELD.occurs_in(view):
        return
    words = lexicon()
    for match in FIELD.finditer(view):
        start, value = match.start("value"), match.group("value")
        if not _INITIAL_END.search(value):
            value = value.rstrip(".")  # the full stop of a field that ends its sentence
        if _PERSON_LABEL.fullmatch(match.group("label")):
            # "Dr. Watts, Schenevus Medical Center": the title and what follows the name's comma are
            # no part of it ("Yellowhair, Marcus" is a name in two parts).
            if title := _TITLE.match(value):
                start, value = start + title.end(), value[title.end():]
            head, comma, rest = value.partition(",")
            if comma and len(rest.split()) > 1:
                value = head
            value = _NAME_TAIL.sub("", value)
            if _is_a_name(value, words):
                yield PhiFinding(start, start + len(value), "NAME", LIKELY)
        elif _is_a_place(value, words):
            yield PhiFinding(start, start + len(value), "LOCATION", LIKELY)


_INITIAL_END = re.compile(r"(?<![\w.])[A-Z]\.$")
_TITLE = re.compile(r"(?i:dr|mr|mrs|ms|miss|mx|prof|rev|nurse|pastor|sister|officer|coach|judge)\.?[ \t]+")


def _is_a_name(value: str, words) -> bool:
    """Capitalised words and particles, some word no English or clinical one ("Harold Two Bulls",
    "Yellowhair, Marcus"), no digits."""
    parts = value.replace(",", " ").split()
    if not 1 <= len(parts) <= MAX_NAME_WORDS or any(not part[0].isalpha() for part in parts):
        return False
    if not all(part[0].isupper() or part.lower() in _PARTICLES for part in parts):
        return False
    if any(part.isupper() and len(part) > 1 and part in CLINICAL_ABBREVIATIONS for part in parts):
        return False  # "Pt: HCV GT1a", "Patient: DM2 CKD"
    return not all(words.is_plain_word(part.rstrip(".")) for part in parts if part.lower() not in _PARTICLES)


def _is_a_place(value: str, words) -> bool:
    """Capitalised words, "of", "&" ("Boys & Girls Club of Pueblo"), not a state or a country, not
    a unit or an ordinary word alone ("ED", "Home", "Clinic")."""
    parts = value.split()
    if not 1 <= len(parts) <= MAX_PLACE_WORDS or not parts[0][0].isupper():
        return False
    if not all(part[0].isupper() or part[0].isdigit() or part.lower() in _CONNECTORS for part in parts):
        return False
    if value.lower() in REGION_NAMES or value.upper() in UNIT_ABBREVIATIONS or value.upper() in CLINICAL_ABBREVIATIONS:
        return False
    bare = [part.strip(".,'’").lower() for part in parts if part.lower() not in _CONNECTORS]
    if len(bare) == 1:
        return not words.is_plain_word(bare[0])  # "Loc: Chinle", not "Site: Home"
    # Several words: a name made of ordinary words is still a name ("Asian Health Services", "Big
    # Horn Home Care"), unless every word is a generic one ("Family Medicine", "Emergency Department").
    return not all(word in GENERIC_FACILITY_WORDS or word in _GENERIC_UNITS or word.upper() in UNIT_ABBREVIATIONS
                   for word in bare)


_GENERIC_UNITS = frozenset("department dept floor ward room bay unit wing suite annex office".split())
