"""Person names: after a title or a person word, in "Last, First" form, initials, and
capitalised first-name/surname runs.

Words that are both names and English ("Hope", "Frank", "Will") only count in name context, and
eponyms or drugs ("Parkinson's", "Graves", "Allegra") only after a title.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, partial
from collections.abc import Iterator

from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS, DOSE_AFTER, DOTTED_ABBREVIATIONS, UNIT_ABBREVIATIONS
from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.lexicon import (
    INSURER_WORDS,
    CLINICAL_ENDINGS,
    CLINICAL_WORDS,
    EPONYM_NOUNS,
    PEOPLE_WORDS,
    PLACE_WORDS_NOT_NAMES,
    POSSESSIVE,
    RELATION_WORDS,
    SPANISH_WORDS,
    SURNAMES_READ_AS_NAMES,
    Lexicon,
    is_mixed_case_abbreviation,
    may_hold_spanish,
    lexicon,
)
from app.redaction.name_runs import (
    CAP_TAIL,
    CAP_WORD,
    EPONYM_AFTER,
    SUBJECT_AFTER,
    find_names_in_capitalised_runs,
    is_listed_or_unknown,
)
from app.redaction.place_words import REGION_NAMES
from app.redaction.scan import (
    KeywordPattern,
    LineReader,
    TextView,
    case_insensitive_alternation,
    find_all,
    line_in_capitals,
    matches_at,
    writes_capitals,
)
from app.redaction.tagger_features import zipf_table

# Letters, with an apostrophe or hyphen between two of them ("O'Neil", "Mary-Kate").
_ANY_CASE = r"[A-Za-z]++(?:['’-](?=[A-Za-z])[A-Za-z]++)*+"
_TOKEN = re.compile(rf"{_ANY_CASE}\.?")
_GAP = re.compile(r"[ \t]+")

_TITLE = (
    "dr|doctor|mr|mrs|ms|miss|mx|prof|professor|rev|reverend|pastor|nurse|officer|judge|coach|"
    # a church's brothers and sisters: "their pastor Bro. Lyle", "Sis. Mae from the choir"
    "bro|sis|"
    # ranks of the police, the jail and the forces: "escorted by Sgt. Delacroix"
    "sgt|sergeant|cpl|corporal|lt|lieutenant|capt|captain|deputy|trooper|"
    # Honorifics of the languages patients and families speak: "Sra. Luiza Camara", "Sig.ra Lina
    # Chiappetta", "Herr Drub", "Mme Gillet", "Shri Ramesh".
    r"sr|sra|srta|senor|senora|senorita|don|dona|herr|frau|mme|mlle|mevr|dhr|sig|sig\.ra|sig\.na|signor|"
    r"signora|signorina|dott|dott\.ssa|shri|smt|sri"
)
TITLE_CONTEXT = KeywordPattern(_TITLE, r"\b\.?\s+")
# People named by their role ("Interpreter Narciso S.", "Cardiologist Urte").
_ROLES = (
    "interpreter|translator|paramedic|pharmacist|cardiologist|hepatologist|psychiatrist|psychologist|"
    "counselor|counsellor|therapist|dietitian|nutritionist|midwife|doula|physician|surgeon|caseworker|"
    "hospitalist|attending|resident|advocate|sponsor|foreman|supervisor|landlord|guardian|coach|leader|boss|"
    # Roles on forms and in messages: "Caller: Jade Lee", "Next of kin: Grace Young", "Guarantor: Mark Brown".
    "caller|kin|guarantor|subscriber|policyholder|informant|historian|witness|sender|recipient|"
    # "case mgr bo", "staff member Joy", "married to Ximena"
    "mgr|manager|member|married\\s+to|married"
)
_PERSON_WORDS = (
    rf"{RELATION_WORDS}|pt\.?\s+is|patient\s+is|pt\.?|patient|client|named|name(?:\s+is)?\s*:?|called|goes\s+by|"
    r"seen\s+by|referred\s+by|speak(?:s|ing)?\s+(?:with|to)|spoken?\s+(?:with|to)|talk(?:s|ed|ing)?\s+(?:with|to)|"
    r"signed\s+by|cc|attn|"
    r"contact(?:ed)?(?:\s+(?:is|was))?|ask\s+for|np|rn|md|lpn|pa-c|chr|chw|mr\.?|provider|pcp|aka|a\.k\.a\.|"
    rf"lives\s+with|living\s+with|stays\s+with|{_ROLES}"
)
# "Wife (Omega) reports", "son, Darnell,", "Pharmacist Babawale asked".
PERSON_CONTEXT = KeywordPattern(_PERSON_WORDS, r"\.?(?:\s*[,:]\s*|\s*\(\s*|\s+)")
INITIALS_AFTER_PERSON = KeywordPattern(
    "pt|patient|client|initials|child|infant|baby|mr|ms|mrs",
    # Not a measurement's abbreviation: "pt TIR 62%", "patient PEF 300".
    r"\.?\s+(?P<initials>[A-Z]{2,3}|[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)(?![\w.]|\s*[:=]?\s*[0-9])",
)
# "A. Luzzi", "T. SHARROW": an initial and a surname (found from the dot, like "J.S.").
INITIAL_THEN_SURNAME = re.compile(rf"[A-Z](?<![\w.'’-].)\.[ \t]?(?P<last>{CAP_WORD}|[A-Z]{{3,}}+)(?![\w'’.-])")
DOTTED_INITIALS = re.compile(r"[A-Z](?<![\w.].)\.\s?[A-Z]\.(?:\s?[A-Z]\.)?(?![\w])")
# The runs are possessive ("++") where what follows cannot start with a character they take (see
# CAP_TAIL): re then fails at once on the many capitalised words not followed by a comma.
LAST_COMMA_FIRST = re.compile(
    rf"[A-Z](?<![\w'’-].)(?:{CAP_TAIL}|['A-Z-]++),\s*(?P<first>{CAP_WORD}|[A-Z]['A-Z-]++)(?:\s+[A-Z]\.?)?(?![\w'’-])"
)
ALL_CAPS_PAIR = re.compile(r"[A-Z](?<![\w'-].)[A-Z]++\s++(?:[A-Z]\.?\s+)?(?P<last>[A-Z]['A-Z-]++)(?![\w'-])")
# "J.S." needs a one-letter capital word: without one, no scan.
_CAPITAL_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# "Begay, Loretta": a comma before a capital, and the characters a last name can have before it.
_COMMA_THEN_CAPITAL = re.compile(r",\s*[A-Z]")
_NAME_BACKWARDS = re.compile(r"[\w'’-]*")


MAX_NAME_WORDS = 3
MAX_PARTICLES = 2  # "Maria de la Cruz": particles do not count among the name's words
NAME_PARTICLES = frozenset(
    "van von der den de del della di da du la las los le dos das do ten ter bin ibn al el".split()
)
# A capital next, or after one more particle ("de la Cruz", "van den Velden").
_CAPITAL_AFTER = re.compile(r"[ \t]+(?:(?:la|las|los|le|der|den|de|da|di|du|do|dos|das|van|von)[ \t]+)?[A-Z]")
# After "named", "name is", "called", "goes by" any word not in the dictionary is a name ("itzel").
NAMING_LEAD_IN = re.compile(r"(?i:named|name|called|goes\s+by|aka|a\.k\.a\.)\b")
_STREET_WORDS = frozenset(
    "street st avenue ave road rd drive dr lane ln way court ct boulevard blvd highway hwy".split()
)


TITLE_KEYWORDS = frozenset(title for title in _TITLE.split("|") if "\\" not in title)
PERSON_KEYWORDS = frozenset(re.findall(r"[^\W\d_]+", RELATION_WORDS)) | frozenset(
    "pt patient client named name called goes seen referred speak speaks speaking spoke spoken talk talks talking "
    "talked signed cc attn contact contacted "
    "ask np rn md lpn pa chr chw mr provider pcp aka initials child infant baby ms mrs lives living stays".split()
) | frozenset(_ROLES.split("|"))


# A lab's abbreviation before its value is no name: "Hgb 7.1", "Plt 96".
_VALUE_AFTER = re.compile(r"[ \t]*:?[ \t]*[0-9]")


def find_names(view: TextView) -> Iterator[PhiFinding]:
    text = view.text
    names = _name_candidates(view)
    if view.has_digit:
        names = (name for name in names if not DOSE_AFTER.match(text, name.end) and not (
            text[name.start:name.end].upper() in CLINICAL_ABBREVIATIONS and _VALUE_AFTER.match(text, name.end)))
    if ". " in text:
        names = map(partial(_with_initial_before, text), names)
    if text.count(":") >= 2:
        names = (name for name in names if not _a_field_label(text, name))
    return (name for name in names if not _graded_eponym(text, name) and not _first_word_of_a_people(text, name))


# A word before a people's name is part of it: "Cape Verdean", "South African", "Puerto Rican", "Sri Lankan".
_CAPITALISED_WORD_AFTER = re.compile(r"[ \t]+([A-Z][a-z]+)(?![\w'’-])")


def _first_word_of_a_people(text: str, name: PhiFinding) -> bool:
    word = text[name.start:name.end]
    if " " in word or lexicon().is_first_name(word):
        return False  # "Rosa Navajo speaker": a given name before a people stays a name
    after = _CAPITALISED_WORD_AFTER.match(text, name.end)
    return after is not None and after.group(1).lower() in PEOPLE_WORDS


# A short word between a field's separator and its colon, in a form of several fields, is the
# field's label: "| Lang: English/Hawaiian", "Loc: Moapa River ..." (Lang and Loc are surnames too).
_FIELD_LABEL_AFTER = re.compile(r"[ \t]*:[ \t]*[^\s:]")
_FIELD_SEPARATOR_BEFORE = re.compile(r"(?:^|[|/\t\n;])[ \t]*$")


def _a_field_label(text: str, name: PhiFinding) -> bool:
    return (name.end - name.start <= 4 and _FIELD_LABEL_AFTER.match(text, name.end) is not None
            and _FIELD_SEPARATOR_BEFORE.search(text, max(0, name.start - 4), name.start) is not None)


# An eponym's grade, class or sign after one capitalised word, no given name, names a classification:
# "ulcer Wagner 2", "Weber B ankle fracture", "House-Brackmann I.", "Murphy +" (a grade of two
# digits, an age or a sex after it is none: "Wagner 2 yo"; a letter before a capitalised word is an
# initial: "Weber B Smith").
_GRADE_AFTER = re.compile(
    r"[ \t]+(?:(?i:grade|class|stage|type)[ \t]+)?(?:(?P<number>[0-5]|I{1,3}|IV|V)|(?P<letter>[A-D]))"
    r"(?![\w/:-]|\.[0-9])(?![ \t]*(?:y/?o|yrs?|years?|mos?|months?|wks?|weeks?|days?|[mMfF]\b|,[ \t]*[0-9]))"
    r"|[ \t]*\+(?![\w+])"
)


def _graded_eponym(text: str, name: PhiFinding) -> bool:
    word = text[name.start:name.end]
    if " " in word or not word[:1].isupper() or not (grade := _GRADE_AFTER.match(text, name.end)):
        return False
    if lexicon().is_first_name(word) or grade.group("letter") and re.match(r"[ \t]+[A-Z]", text[grade.end():]):
        return False  # "gabriel 5 febrile seizures": a given name before an age
    return not TITLE_RIGHT_BEFORE.search(text, max(0, name.start - 8), name.start)  # "Dr. Wagner 2 days ago"


TITLE_RIGHT_BEFORE = re.compile(r"(?i:mr|mrs|ms|miss|mx|dr|prof)\.?[ \t]+$")


# "S. Modica's labs", "D. Heckler is a 43 yo": the initial of a first name before a surname found
# is part of the name (not "U.S. Smith", "Dr. Smith": one capital, alone, before its full stop).
_INITIAL_BEFORE = re.compile(r"(?<![\w.'’-])[A-Z]\.[ \t]$")


def _with_initial_before(text: str, name: PhiFinding) -> PhiFinding:
    if name.start >= 3 and text[name.start - 2] == "." and _INITIAL_BEFORE.search(text, name.start - 3, name.start):
        return PhiFinding(name.start - 3, name.end, name.label, name.certainty)
    return name


def _name_candidates(view: TextView) -> Iterator[PhiFinding]:
    words, text = lexicon(), view.text
    if view.has_any(TITLE_KEYWORDS):
        yield from _names_after_context(view, TITLE_CONTEXT, words, after_title=True)
    if view.has_any(PERSON_KEYWORDS):
        yield from _names_after_context(view, PERSON_CONTEXT, words, after_title=False)
        yield from _initials_after_person(view)
    if "." in text and not view.tokens.isdisjoint(_CAPITAL_LETTERS):
        yield from _dotted_initials(text)
        yield from _initial_then_surname(text, words)
    if "," in text:
        yield from _last_comma_first(view, words)
        if "and" in view.words or "&" in text:
            yield from _surname_lists(text, words)
    # Abbreviations ("HCV", "MRN") are most all-caps words: set them aside in one step.
    all_caps_words = frozenset(filter(str.isupper, view.tokens)) - CLINICAL_ABBREVIATIONS
    if any(_is_all_caps_first_name(token, words) or words.is_bare_name(token) for token in all_caps_words):
        yield from _all_caps_pairs(text, words)
    if all_caps_words:
        yield from _all_caps_subjects(text, all_caps_words, words)
    yield from find_names_in_capitalised_runs(text, words)
    if not view.words.isdisjoint(_FAMILY_WORDS):
        yield from _family_names(view, words)
    if not view.words.isdisjoint(PLURAL_KIN_WORDS):
        yield from _names_listed_after_kin(view)
    if not view.tokens.isdisjoint(_COMPOUND_SURNAME_GATE):
        for match in COMPOUND_SURNAME.finditer(text):
            first = match.group("first")
            if (words.is_first_name(first) or words.is_name_like(first)) and not EPONYM_AFTER.match(text, match.end()):
                yield PhiFinding(match.start(), match.end(), "NAME", LIKELY)
    if text.isascii() and not view.tokens.isdisjoint(_COMPOUND_SURNAME_GATE_IN_CAPITALS):
        # Typed in capitals ("CAN YOU LOOK AT WILLIAM TWO CROWS A1C 11.2"): read with capitals only
        # (str.title keeps an ASCII text's length, so offsets stay); the given name must be listed.
        for match in COMPOUND_SURNAME.finditer(text.title()):
            if text[match.start():match.end()].isupper() and words.is_first_name(match.group("first")):
                yield PhiFinding(match.start(), match.end(), "NAME", LIKELY)
    if text.isascii() and not view.words.isdisjoint(_COMPOUND_SURNAME_GATE_IN_LOWER_CASE):
        # and in lower case ("my unci lorraine two eagle", "neighbor wanda runs close"): read with
        # capitals, a listed given name and a word only such names hold ("eagle", "runs", "horse").
        for match in COMPOUND_SURNAME.finditer(text.title()):
            typed = text[match.start():match.end()]
            parts = typed.split()
            if not (typed.islower() and words.is_first_name(parts[0])) or parts[0] in SMALL_NAME_STOPS:
                continue
            if not _COMPOUND_SURNAME_GATE_IN_LOWER_CASE.isdisjoint(parts[1:]) and not {"her", "his", "the", "of"} & set(parts) and (
                    len(parts) >= 3 or not parts[1].endswith("s")):  # "grace runs", "mary walks her dog" are no names
                yield PhiFinding(match.start(), match.end(), "NAME", LIKELY)
    if _LOWER_CASE_TITLE_THEN_NAME.occurs_in(view):
        yield from _lower_case_names_after_titles(view, words)
    if view.has_digit:
        yield from _names_before_age_and_sex(text, words)
        if _PATIENT_NAMED_BEFORE_AGE.occurs_in(view):
            yield from _patients_named_before_an_age(view, words)
    if not view.words.isdisjoint(_SUBJECT_VERBS):
        yield from _given_names_as_subjects(text, words)
    if not view.words.isdisjoint(_LOWER_CASE_SUBJECT_VERBS) and not text.isupper() and (
            text[:1].islower() or _SMALL_LETTER_OPENING.search(text)):
        yield from _lower_case_subjects(text, words)
    if _may_introduce_oneself(view.words):
        yield from _self_introductions(SELF_INTRODUCTION, text, words)
    if "here" in view.words:
        yield from _self_introductions(SIGNING_IN, text, words)
    if "baby" in view.words:
        for match in NEWBORN_NAME.finditer(text):
            yield PhiFinding(match.start("name"), match.end("name"), "NAME", LIKELY)
    if "-" in text:
        yield from _double_surnames(text, words)
    if not text.istitle():
        yield from _lower_case_full_names(view, words)
    if '"' in text or "“" in text:
        yield from _quoted_nicknames(text, words)
    if "(" in text:
        yield from _names_before_their_gloss(text, words)
    if view.has_digit and (match := _AGE_AND_SEX.search(text)) is not None:
        yield from _names_before_an_age_and_sex(text, match.start(), words)
    if NICKNAME_AFTER_NAMING.occurs_in(view):
        yield from _nicknames_after_naming(view, words)
    if not text.istitle() and _KIN_THEN_LOWER_CASE_WORD.occurs_in(view):
        yield from _lower_case_names_after_kin(view, words)
    if view.has_digit and "is" in view.words and _IS_AN_AGE.search(text):
        for match in LOWER_CASE_NAME_WITH_AN_AGE.finditer(text):
            name = match.group("name")
            if words.is_first_name(name) and name not in PERSON_KEYWORDS and name not in CLINICAL_WORDS:
                yield PhiFinding(match.start("name"), match.end("name"), "NAME", LIKELY)
    if "-" in text and not view.tokens.isdisjoint(_KOREAN_FAMILY_NAMES) and _KOREAN_GIVEN_SHAPE.search(text):
        for match in KOREAN_NAME.finditer(text):
            yield PhiFinding(match.start(), match.end(), "NAME", LIKELY)


# Surnames of the Plains and Plateau nations, made of English words: "Thomas Two Bulls", "Darlene
# Red Dog", "Leonard Kills Enemy", "Ella Afraid of Hawk", "Winona Little Sky".  After a given name,
# one to three capitalised words of the words these names are made of are the surname.
# Such a surname holds one of these (a creature, a deed, the sky): a cheap test before the scan,
# which "Good", "Little" or "Two" opening a sentence would pass.
_COMPOUND_SURNAME_GATE = frozenset(
    """
Kills Runs Stands Walks Looks Afraid Brings Chases Catches Shoots Hunts Flies Bull Bulls Crow Crows Hawk
Hawks Eagle Eagles Horse Horses Bear Bears Elk Wolf Wolves Dog Dogs Buffalo Feather Feathers Cloud Clouds
Sky Thunder Bird Birds Owl Fox Deer Shield Arrow Arrows Lance Plume Enemy Above Bonnet Blanket Hoop
Lightning Hail Coyote Badger Turtle Beaver Rabbit Weasel Walker Runner Killer Whirlwind Charge Close Strike
""".split()
)
_COMPOUND_SURNAME_GATE_IN_CAPITALS = frozenset(word.upper() for word in _COMPOUND_SURNAME_GATE)
_COMPOUND_SURNAME_GATE_IN_LOWER_CASE = frozenset(word.lower() for word in _COMPOUND_SURNAME_GATE)
COMPOUND_SURNAME_WORDS = _COMPOUND_SURNAME_GATE | frozenset(
    """
Two Three Four Five Seven Hundred Red White Black Yellow Blue Brown Gray Grey Spotted Little Big Long
Short Tall Young Old Good Bad Iron Swift Crazy Lone Brave Lame Goes Comes Sits Standing Running Walking
Charging Returns Takes Plenty Many Knife Robe Tail Hand Heart Star Sun Moon Wind Rain Water Tree Boy
Woman Man Child Chief Warrior Pipe Lodge Snow Rock Mountain Holy Leader Poor Her Runs
""".split()
)
COMPOUND_SURNAME = re.compile(
    r"(?P<first>[A-Z](?<![\w'’-].)[a-z]++)(?:[ \t][A-Z]\.)?"
    r"(?:[ \t]+(?:(?:of|the)[ \t]+)?(?:" + "|".join(sorted(COMPOUND_SURNAME_WORDS, key=len, reverse=True)) + r")){1,3}"
    r"(?![\w'’-])"
)


# "Brandy Smith 31F, pregnant", "ROSE ULAK 40F", "ANNIE MAE TOLLIVER 97 yo": two or three capitalised
# words right before an age and sex are the person's name, even when they are English words, when
# the first is a given name and the last a name, and none is a clinical word or abbreviation (not
# "Diabetes Case 52F").
AGE_AND_SEX = re.compile(  # "31F", "40 yo", "33f" typed in lower case
    r"[0-9](?<![\w.][0-9])[0-9]{0,2}[ \t]?(?i:(?:y/?o[ \t]?|yo[ \t]?|)[mf]|y/o|yo|yrs?)(?![\w])")
NAME_BEFORE_AGE = re.compile(
    r"(?<![\w'’-])(?P<name>(?:[A-Z][a-z'’-]+|[A-Z]{2,})(?:[ \t]+(?:[A-Z]\.|[A-Z][a-z'’-]+|[A-Z]{2,})){1,2})"
    r"[ \t]*,?[ \t]*$"
)


def _names_before_age_and_sex(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    """Each age and sex, once: the name typed with capitals before it, and in text not all in
    capitals the name typed in lower case (_lower_case_name_before_age)."""
    lower_case_too = not text.isupper()
    for age in AGE_AND_SEX.finditer(text):
        if (name := _capitalised_name_before_age(text, age.start(), words)) is not None:
            yield name
        if lower_case_too and (name := _lower_case_name_before_age(text, age.start(), words)) is not None:
            yield name


def _capitalised_name_before_age(text: str, age_start: int, words: Lexicon) -> PhiFinding | None:
    before = NAME_BEFORE_AGE.search(text, max(0, age_start - 40), age_start)
    if before is None:
        return None
    parts = [part.rstrip(".") for part in before.group("name").split()]
    if any(part.upper() in CLINICAL_ABBREVIATIONS or part.lower() in CLINICAL_WORDS
           or part.lower() in PERSON_KEYWORDS or part.lower() in PEOPLE_WORDS for part in parts):
        return None
    first, last = parts[0], parts[-1]
    if ((words.is_first_name(first) or words.is_name_like(first))
            and (words.is_known_name(last) or words.is_name_like(last))):
        return PhiFinding(before.start("name"), before.end("name"), "NAME", LIKELY)
    return None


# "joy ransom 33F back in clinic", "pt is cash king, 41M", "bobby joe honor again, 63M": typed in lower
# case where a record puts the patient, a listed given name and a listed surname are a name even when
# both are words, before an age and sex, at a line's start or after "pt" or "patient".
_LOWER_NAME_BEFORE_AGE = re.compile(
    r"(?:^|\n|[.;:|]|\b(?:pt|patient)(?:[ \t]+is)?)[ \t]*"
    r"(?!(?:pt|patient)\b)(?P<name>[a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+){1,2})[ \t]*,?[ \t]*(?:again,?[ \t]+)?$"
)


def _lower_case_name_before_age(text: str, age_start: int, words: Lexicon) -> PhiFinding | None:
    before = _LOWER_NAME_BEFORE_AGE.search(text, max(0, age_start - 48), age_start)
    if before is None:
        return None
    parts = before.group("name").split()
    if any(part in PERSON_KEYWORDS or part in CLINICAL_WORDS or part.upper() in CLINICAL_ABBREVIATIONS
           or part in SPANISH_WORDS or part in _NOT_NAME_PARTS for part in parts):
        return None
    if words.is_first_name(parts[0]) and words.is_surname(parts[-1]) and all(
            words.is_known_name(part) for part in parts[1:-1]):
        return PhiFinding(before.start("name"), before.end("name"), "NAME", LIKELY)
    return None


# A given name after the word that says whose case it is, before an age, in any case: "pt is grace
# 34 wks G3P2", "prep question pt is will 22 yo", "mom is kayla 19 delivered friday", "client
# precious 20 wks", "hep c pt amber 27, 2nd trimester", "pt rajinder gill 48 truck driver".  The
# first word must be a listed given name (or an unlisted word off the dictionary before a listed
# surname); the number is an age, not a dose or a count ("pt is on 20 mg", "pt has 3 kids").
_PATIENT_NAMED_BEFORE_AGE = KeywordPattern(
    "pt|patient|client|mom|dad|mother|father|teen|baby|son|daughter|wife|husband|grandma|grandpa|gf|bf"
    "|girlfriend|boyfriend",
    r"(?:[ \t]+is)?[ \t]+(?P<name>[A-Za-z][a-z'’-]{1,14}(?:[ \t]+[A-Za-z][a-z'’-]{1,14})?)[ \t]*,?[ \t]*"
    r"(?:[1-9][0-9]?|1[01][0-9])(?![0-9.:/,][0-9]|[ \t]*(?i:mg|mcg|units?|u|%|mm|cm|kg|lbs?|ml|g|x|days?|hrs?|hours?"
    r"|min|mins|times|kids|children|pills|tabs|doses|percs|beers|drinks|cigs|packs|am|pm|o['’]clock)(?![a-z]))",
    before=r"(?<![\w'’-])",
)
_NOT_GIVEN_BEFORE_AGE = frozenset("young an ok my is was has had man woman lady guy gentleman".split())


def _patients_named_before_an_age(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    for match in _PATIENT_NAMED_BEFORE_AGE.finditer(view):
        parts = match.group("name").split()
        lower = [part.lower() for part in parts]
        if any(part in PERSON_KEYWORDS or part in CLINICAL_WORDS or part.upper() in CLINICAL_ABBREVIATIONS
               or part in SPANISH_WORDS or part in _NOT_NAME_PARTS or part in _NOT_GIVEN_BEFORE_AGE
               or part in PEOPLE_WORDS for part in lower):
            continue
        if len(parts) == 2 and (lower[1] in _VERBS_AFTER_A_GIVEN_NAME
                                or not (words.is_surname(lower[1]) or words.is_first_name(lower[1]))):
            parts, lower = parts[:1], lower[:1]  # "pt jeb 67": "pt is grace 34" with a word after it is read alone
        if len(parts) == 2 and not words.is_first_name(lower[0]) and words.is_plain_word(lower[0]):
            continue
        if len(parts) == 1 and not words.is_first_name(lower[0]):
            continue
        start = match.start("name")
        yield PhiFinding(start, start + len(" ".join(parts)) if len(parts) == 1 else match.end("name"), "NAME", LIKELY)


# A given name alone that opens a sentence and does what people do: "Dawn relapsed after the
# funeral", "Buck is 94", "Destiny (16) was seen", "River was 14 at intake", "Lucky was brought in".
# Names that are words ("Dawn", "Sky", "Lucky") need this context: "Hope is low" has none of these
# verbs after it, and modal verbs, months and weekdays are never read so ("May was 3 weeks").
_OPENER_VERBS = (
    "relapsed|delivered|denies|denied|reports|reported|endorses|endorsed|presented|presents|missed|misses|"
    "refused|refuses|declined|declines|overdosed|admits|says|said|states|stated|stares|complains|complained|"
    "lives|lived|works|worked|injects|injected|drinks|drank|smokes|smoked|wants|wanted|asked|asks|called|calls|"
    "came|comes|returned|finished|quit|stopped|started|turned|fell|sleeps|slept|moved|tested|was|is"
)
OPENER_VERBS = frozenset(_OPENER_VERBS.split("|"))
# A verb after the given name is no surname ("baby Nalani born 12/28", "husband Fue works 3rd shift").
_VERBS_AFTER_A_GIVEN_NAME = OPENER_VERBS | frozenset(
    "born has had gets got goes went needs takes took uses used is was will".split())
SENTENCE_OPENING_NAME = re.compile(
    r"(?P<name>[A-Z](?<![\w'’-].)[a-z]++(?:['’][a-z]+)?)"
    r"(?=[ \t]+(?:" + _OPENER_VERBS + r")(?![\w'’-])|[ \t]*\([ \t]*[0-9]{1,3}[ \t]*(?:y/?o|yrs?)?[ \t]*\)"
    r"|[ \t]+(?:has|had)[ \t]+(?:his|her|their)[ \t])",  # "Rich had his first seizure at work"
)
_OPENS_A_SENTENCE = re.compile(r"(?:^|[.!?;\n])[ \t\"'(•*-]*$")
_AFTER_IS = re.compile(
    r"[ \t]+(?:is|was)[ \t]+(?:[0-9]{1,3}(?![\w/.])|brought|seen|booked|admitted|found|referred|born|"
    r"diagnosed|pregnant|incarcerated|homeless|staying|living|using|drinking|injecting)"
)
_SUBJECT_VERBS = OPENER_VERBS | {"has", "had"}
_LOWER_CASE_SUBJECT_VERBS = OPENER_VERBS | {"from"}
_NEVER_SUBJECT_NAMES = frozenset(
    "will may can mark june april august jan march sunday monday tuesday wednesday thursday friday saturday "
    "christian page bill guy sue".split()
)
# ... but for a name that is a word, not a date, with its age after it: "Bill is 88, vascular dementia".
_SUBJECT_NAMES_WITH_AN_AGE = frozenset("will mark christian page bill guy sue".split())
_AGE_AFTER_IS = re.compile(r"[ \t]+(?:is|was)[ \t]+(?:[1-9][0-9]?|1[01][0-9])(?=[ \t]*[,;.)]|[ \t]+(?:and|with|w/|yo|y/o|years?)\b)")


def _given_names_as_subjects(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in SENTENCE_OPENING_NAME.finditer(text):
        if not _OPENS_A_SENTENCE.search(text, max(0, match.start() - 6), match.start()):
            continue
        name = match.group("name")
        lower = name.lower()
        if lower in _NEVER_SUBJECT_NAMES and not (
                lower in _SUBJECT_NAMES_WITH_AN_AGE and _AGE_AFTER_IS.match(text, match.end("name"))):
            continue
        if lower in CLINICAL_WORDS or lower in PEOPLE_WORDS or lower in PERSON_KEYWORDS:
            continue
        if not words.is_first_name(name):
            continue
        after = text[match.end("name"):match.end("name") + 4].lstrip(" \t")
        if after.startswith(("is", "was")) and not _AFTER_IS.match(text, match.end("name")):
            continue  # "Hope is low", "Grace was given"
        yield PhiFinding(match.start("name"), match.end("name"), "NAME", LIKELY)


# The same in a line typed without capitals: "joy missed her sublocade shot on the 19th", "sky is 16
# trans girl asking about prep", "wanda from Mayersville burn on her leg".  A listed given name read
# less often than a common word, at a sentence's start, before a verb of SENTENCE_OPENING_NAME (after
# "is" or "was" an age or a state of a person, as there) or before "from" and a capitalised place.
_LOWER_CASE_SUBJECT = re.compile(r"[ \t\"'(•*-]*(?P<name>[a-z]{3,12})[ \t]+(?P<verb>[a-z]+)(?P<place>[ \t]+[A-Z])?")
_SENTENCE_ENDS = re.compile(r"[.!?;\n]")
_SMALL_LETTER_OPENING = re.compile(r"[.!?;\n][ \t\"'(•*-]*[a-z]")  # some sentence opens in lower case


def _lower_case_subjects(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    zipf = zipf_table()
    lines = None
    starts = (0, *(end.end() for end in _SENTENCE_ENDS.finditer(text)))
    for match in filter(None, map(partial(_LOWER_CASE_SUBJECT.match, text), starts)):
        name, verb = match.group("name"), match.group("verb")
        if verb == "from":
            if match.group("place") is None:
                continue
        elif verb not in OPENER_VERBS or (verb in ("is", "was") and not _AFTER_IS.match(text, match.end("name"))):
            continue
        elif verb in ("is", "was") and text[match.end():match.end() + 2].strip()[:1].isdigit() and not _AGE_AFTER_IS.match(
                text, match.end("name")):
            continue  # "rose was 3 units": a number after "is" must be an age
        if (not words.is_first_name(name) or zipf.get(name, 0.0) >= _COMMON_NAME_ZIPF or name in _NEVER_SUBJECT_NAMES
                or name in CLINICAL_WORDS or name in PEOPLE_WORDS or name in PERSON_KEYWORDS or name in SPANISH_WORDS
                or name in _NOT_NAME_PARTS):
            continue
        if lines is None:
            lines = LineReader(text, writes_capitals)
        if not lines.at(match.start("name")):
            yield PhiFinding(match.start("name"), match.end("name"), "NAME", LIKELY)


# A caller who says who she is, in any case: "hi its tamara RN at Elk Valley Home Health", "this is
# beatriz np", "I'm Rose from the pharmacy": a listed given name (and a capitalised surname) after
# "it's", "this is" or "I'm" and before a credential, "from", "at", "with" or "here".
SELF_INTRODUCTION = re.compile(
    r"(?<![\w'’])(?i:it['’]?s|its|this[ \t]+is|i['’]?m|im)[ \t]+"
    r"(?P<name>[A-Za-z][a-z'’-]+(?:[ \t]+[A-Z][a-z'’-]+)?)"
    r"(?=[ \t]*,?[ \t]+(?:(?i:the|your|ur|a|an)[ \t]+)?(?i:rn|np|lpn|md|pa|pa-c|cna|ma|chw|chr|lcsw|pharmd|rph|"
    r"pharmacist|nurse|peer|counselor|counsellor|social[ \t]+worker|sw|case[ \t]+manager|cm|doula|midwife|aide|"
    r"coach|navigator|from|at|with|here|calling)(?![\w'’-]))"
)
# A message that opens with its writer: "txt: Dawn here, pt missed dialysis", "Rosa here -".
SIGNING_IN = re.compile(r"(?:^|[:\n][ \t]*)(?P<name>[A-Z][a-z'’-]+)[ \t]+here(?=[ \t]*[,.:;!-]|[ \t]*$)")
def _may_introduce_oneself(words: frozenset[str]) -> bool:
    """Whether SELF_INTRODUCTION can match: the text's words are split at "'", so "it's" is "it"
    and "s", "i'm" is "i" and "m"."""
    return ("its" in words or "this" in words or "im" in words or ("i" in words and "m" in words)
            or ("it" in words and "s" in words))


def _self_introductions(pattern: re.Pattern[str], text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in pattern.finditer(text):
        first = match.group("name").split()[0].lower()
        if first in words.first_names and first not in CLINICAL_WORDS and first not in PERSON_KEYWORDS:
            yield PhiFinding(match.start("name"), match.end("name"), "NAME", LIKELY)


# A newborn's hospital name: "Baby Boy Baker", "Baby Girl Moua", "BABY GIRL A NGUYEN": the surname.
NEWBORN_NAME = re.compile(
    rf"(?i:baby)[ \t]+(?i:boy|girl)(?:[ \t]+[A-Z](?![\w'’]))?[ \t]+(?P<name>{CAP_WORD}|[A-Z][A-Z'’-]+)(?![\w'’-])"
)


# "the Pietrusiewicz family", "BACIK family": the word before "family" is a surname when it is no
# ordinary, clinical, people or place word ("the Navajo family", "a Catholic family" are not).
# Read backwards from the word "family" (rare), not forwards from every capital (a scan of a long
# text that opened with a look-behind cost 130 us a call).
FAMILY_NAME = re.compile(rf"(?<![\w'’-])(?P<name>{CAP_WORD}|[A-Z]{{3,}}+)(?:['’]s)?[ \t]+$")
FAMILY_WORD = re.compile(r"(?i:family|household|residence)\b")
FAMILY_LOOK_BACK = 40


def _family_names(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    text = view.text
    for word in _FAMILY_WORDS & view.words:
        for position in view.starts_of(word):
            if FAMILY_WORD.match(text, position):
                yield from _family_name_before(text, position, words)


def _family_name_before(text: str, position: int, words: Lexicon) -> Iterator[PhiFinding]:
    for match in FAMILY_NAME.finditer(text, max(0, position - FAMILY_LOOK_BACK), position):
        name = match.group("name")
        lower = name.lower()
        if lower in PEOPLE_WORDS or lower in _KINDS_OF_FAMILY:
            continue
        # A listed surname that is also a word ("the Brown family", "the Lee family") is a name when
        # it is capitalised after "the" inside a sentence.
        if words.is_name_like(name) or (words.is_known_name(name) and name.istitle()
                                        and _THE_BEFORE.search(text, max(0, match.start() - 4), match.start())) or (
                "-" in name and any(words.is_known_name(part) for part in name.split("-") if part)):
            # A double surname of words ("Rather-Cumming family") is a name before "family".
            yield PhiFinding(match.start("name"), match.end("name"), "NAME", LIKELY)


_FAMILY_WORDS = frozenset({"family", "household", "residence"})
_THE_BEFORE = re.compile(r"(?<![\w'’-])[Tt]he[ \t]+$")
_KINDS_OF_FAMILY = frozenset(
    "whole entire extended immediate nuclear blended same new other own birth adoptive".split()
)


_SPANISH_FUNCTION_WORDS = frozenset("le les lo los se me te al a en o desde del de".split())


def _names_after_context(
    view: TextView, context: KeywordPattern, words: Lexicon, *, after_title: bool
) -> Iterator[PhiFinding]:
    text = view.text
    accept = _is_title_name_word if after_title else _is_context_name_word
    spanish = may_hold_spanish(view.words)
    for match in context.finditer(view):
        if _ends_a_sentence(match.group()):
            continue  # "... in the mother. Mark the dose": the full stop ends the sentence
        start = end = match.end()
        if not after_title and match.group().rstrip().endswith(",") and _NEXT_IN_A_FAMILY_HISTORY.match(text, end):
            continue  # "Graves in mother, Addison in maternal aunt": the next disease of a list
        naming = not after_title and NAMING_LEAD_IN.match(match.group()) is not None
        # After a relative ("daughter Tansy", "wife Rose") a capitalised word is the relative's name.
        relative = not after_title and _RELATION_WORD.match(match.group()) is not None
        named, named_end = 0, start  # words of the name so far, particles aside, and where the last ends
        after_particle = False
        for count in range(MAX_NAME_WORDS + MAX_PARTICLES):
            token = _TOKEN.match(text, end)
            if token is None or named == MAX_NAME_WORDS:
                break
            word = token.group().rstrip(".")
            possessive = word.endswith(POSSESSIVE) and len(word) > 3
            if possessive:
                word = word[:-2]  # "Dr. Smith's clinic": the name ends before "'s"
            if count == 0 and word.lower() in TITLE_KEYWORDS and (not after_title or not words.is_first_name(word)):
                break  # "contact is Sig.ra Lina Chiappetta", "pastor Bro. Lyle": the title's own reading finds the name
            # "Jordy van Kusen", "Henriette Gillet du Pinto": a particle inside a name, before a capital.
            particle = ((count > 0 or after_title) and word in NAME_PARTICLES
                        and _CAPITAL_AFTER.match(text, token.end()) is not None)
            if spanish and not particle and word.islower() and (word in SPANISH_WORDS or word in _SPANISH_FUNCTION_WORDS):
                break  # "su esposa Guadalupe le ayuda", "hija del paciente": the Spanish goes on
            if not (
                particle
                or (after_particle and word[0].isupper())  # "Ms. de Wit", "van Dam": a surname after its particle
                or accept(word, words, first=count == 0)
                or _is_unknown_first_name(text, token, words, count)
                or (naming and count == 0 and _is_unlisted_word(word, words))
                or (relative and count == 0 and _names_a_relative(word))
            ):
                break
            # An initial keeps its dot ("Kateri T. Oyelaran", "Dr. A. Smith", "Mr. W."); a word does not.
            end = token.end() if len(word) == 1 else token.start() + len(word)
            if not particle:
                named, named_end = named + 1, end
            after_particle = particle
            gap = _GAP.match(text, end)
            if gap is None or possessive:
                break
            end_with_gap = gap.end()
            if _TOKEN.match(text, end_with_gap) is None:
                break
            end = end_with_gap
        end = named_end  # a name never ends on a particle
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield PhiFinding(start, end, "NAME", LIKELY)
            yield from _second_name_after_and(text, end, words, accept)


# "her grandkids Jaxon, Brylee, and Kace", "sons: Mark (12) and Luke (9)", "twins Ava & Mia": the
# capitalised words listed after relatives in the plural are their names, each as _names_a_relative
# reads a relative's name ("daughters Hope and Faith" too; not "kids Tylenol").
PLURAL_KIN_WORDS = frozenset(
    "kids children grandkids grandchildren sons daughters grandsons granddaughters siblings brothers sisters "
    "twins nieces nephews stepkids stepchildren stepsons stepdaughters".split())
_KIN_ITEM = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?(?:[ \t]*\([ \t]*[0-9]{1,2}[ \t]*(?:y/?o|yrs?|mo)?\))?"
PLURAL_KIN_LIST = KeywordPattern(
    "|".join(sorted(PLURAL_KIN_WORDS, key=len, reverse=True)),
    rf"(?:[ \t]*[:(,][ \t]*|[ \t]+(?:named|called|are|were)[ \t]+|[ \t]+)(?P<list>{_KIN_ITEM}"
    rf"(?:[ \t]*,[ \t]*{_KIN_ITEM}){{0,6}}(?:,?[ \t]+(?:and|&)[ \t]+{_KIN_ITEM})?)(?![\w'’-])",
    before=r"(?<![\w-])",
)
_KIN_LIST_NAME = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?")


def _names_listed_after_kin(view: TextView) -> Iterator[PhiFinding]:
    words = lexicon()
    for match in PLURAL_KIN_LIST.finditer(view):
        if view.text[match.start()].isupper() and not _LIST_OPENS.search(view.text, match.start(), match.start("list")):
            continue  # "Kids First Birth-to-Three", a program's name; "Kids: Mia, Leo" stays a list
        for name in _KIN_LIST_NAME.finditer(view.text, match.start("list"), match.end("list")):
            word = name.group()
            # A listed given name may be a word ("Hope", "Mark"); another word may not ("Kids Are").
            if _names_a_relative(word) and (words.is_first_name(word) or not words.is_plain_word(word)):
                yield PhiFinding(name.start(), name.end(), "NAME", LIKELY)


_LIST_OPENS = re.compile(r"[:(]")


# Kin only: "child", "baby", "partner" and "friend" also open names of services ("Child Protective
# Services", "Partner Services").
_NEXT_IN_A_FAMILY_HISTORY = re.compile(
    rf"[A-Z][\w'’-]*[ \t]+(?:(?:in|on)[ \t]+(?:(?:her|his|the|a|maternal|paternal)[ \t]+)?(?i:{RELATION_WORDS})\b"
    rf"|{case_insensitive_alternation(EPONYM_NOUNS)}\b)")
_RELATION_WORD = re.compile(
    "(?i:" + "|".join(word for word in RELATION_WORDS.split("|")
                      if word not in {"child", "kid", "baby", "infant", "newborn", "twin", "partner", "friend",
                                      "guardian", "caregiver", "sibling", "grandchild"}) + r")\b")


def _names_a_relative(word: str) -> bool:
    lower = word.lower()
    return (word.istitle() and len(word) > 1 and lower not in CLINICAL_WORDS and lower not in PEOPLE_WORDS
            and lower not in PERSON_KEYWORDS and lower not in _NOT_NAME_PARTS and lower not in lexicon().drug_names
            and not lower.endswith(CLINICAL_ENDINGS))


def _is_title_name_word(word: str, words: Lexicon, *, first: bool) -> bool:
    # After "Dr." a capitalised word is a name even if it is "Hope" or "Graves", and so is an
    # initial ("Dr. Sarah P.").
    if word[0].isupper():
        return words.is_known_name(word) or not words.is_plain_word(word) or len(word) == 1
    if not word.islower():
        return False  # "Dr. eGFR" at the end of "Pinon Dr."
    if word in SURNAMES_READ_AS_NAMES:
        return True  # "dr. smith"
    return (not words.is_plain_word(word) and word not in SPANISH_WORDS  # "Sr. Benito Garza trae un Rx"
            and (words.is_known_name(word) or word not in words.english_words))


def _is_context_name_word(word: str, words: Lexicon, *, first: bool) -> bool:
    lower = word.lower()
    if lower in CLINICAL_WORDS and word.istitle() and words.is_known_name(word):
        return True  # "grandson Mallory", "daughter April": a name that is also an eponym or a month
    if lower in CLINICAL_WORDS or lower in PEOPLE_WORDS:
        return False  # "pt Suboxone", "patient is Navajo"
    if word.upper() in CLINICAL_ABBREVIATIONS and not word[1:].islower():
        return False
    if word[0].isupper() and not word.isupper():
        return words.is_known_name(word) or lower not in words.english_words
    if len(word) == 1 and not first:
        return True  # middle initial: "Kateri T. Oyelaran"
    if word.isupper() and len(word) <= 3:
        return False  # initials have their own pattern; "pt HTN" is not a name
    if word.isupper() and word.replace("-", "").isalpha() and lower not in words.english_words:
        # "son KEVIN", "son ABEER", "pt ŞINASI", "sister BIRSAN", "NP AMBROSIO-WAXMAN": after a
        # person word a sayable all-caps word is a name (a lower share of vowels than a bare one needs)
        return words.is_known_name(word) or (_reads_like_a_name(word, after_person=True)
                                             and word not in UNIT_ABBREVIATIONS)
    if first:
        return (words.is_first_name(word) and not words.is_plain_word(word)) or _unheard_of(word, words)
    return words.is_surname(word) and (lower in SURNAMES_READ_AS_NAMES or not words.is_plain_word(word))


# Names are frequent enough in web text to have a word frequency ("radhika" 2.4, "heinz" 3.2), as
# are brands and slang; an English word is excluded by the dictionary, so after a person word a
# lower-case word rarer than this is read as a name.
UNHEARD_OF_ZIPF = 3.0


def _unheard_of(word: str, words: Lexicon) -> bool:
    """ "her son sevdinar", "pt ekapad": a lower-case word after a person word that no dictionary
    and no word-frequency list knows is a name typed in lower case."""
    return (word.islower() and len(word) >= 4 and word.isalpha() and not words.is_plain_word(word)
            and word not in words.places and zipf_table().get(word, 0.0) < UNHEARD_OF_ZIPF
            and not one_edit_from_english(word, words))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_DOUBLED = re.compile(r"(.)\1+")


def _undoubled(word: str) -> str:
    return _DOUBLED.sub(r"\1", word)


@cache
def _undoubled_english(english: frozenset[str]) -> frozenset[str]:
    return frozenset(map(_undoubled, english))


def one_edit_from_english(word: str, words: Lexicon) -> bool:
    """A misspelt word ("admited", "pateint") is one letter dropped, added, changed or swapped from
    an English one; a name seldom is."""
    english = words.english_words
    if _undoubled(word) in _undoubled_english(english):
        return True  # "reffered", "occured": a doubled letter moved or missed
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (any(a + b[1:] in english for a, b in splits if b)
            or any(a + b[1] + b[0] + b[2:] in english for a, b in splits if len(b) > 1)
            or any(a + c + b[1:] in english for a, b in splits if b for c in _LETTERS)
            or any(a + c + b in english for a, b in splits for c in _LETTERS))


def _is_unknown_first_name(text: str, token: re.Match[str], words: Lexicon, count: int) -> bool:
    """ "pt deshawna lucero": an unlisted first word counts when a listed surname follows."""
    word = token.group().rstrip(".")
    if count != 0 or len(word) < 3 or not word.isalpha() or not words.is_name_like(word) or words.is_known_name(word):
        return False
    following = _TOKEN.match(text, token.end() + 1) if text[token.end() : token.end() + 1] == " " else None
    return (
        following is not None
        and words.is_surname(following.group().rstrip("."))
        and words.is_name_like(following.group())
    )


def _initials_after_person(view: TextView) -> Iterator[PhiFinding]:
    lines = LineReader(view.text, line_in_capitals)  # each line read once: time stays linear
    for match in INITIALS_AFTER_PERSON.finditer(view):
        initials = match.group("initials")
        if initials.replace(" ", "") in DOTTED_ABBREVIATIONS or initials in CLINICAL_ABBREVIATIONS:
            continue
        if initials.lower() in lexicon().english_words and (len(initials) == 3 or lines.at(match.start())):
            continue  # "PT HAS COPD", "PT IS A 67YO MALE": a word in a text typed in capitals
        yield PhiFinding(match.start("initials"), match.end("initials"), "NAME", LIKELY)


def _dotted_initials(text: str) -> Iterator[PhiFinding]:
    starts = [dot - 1 for dot in find_all(text, ".") if dot and "A" <= text[dot - 1] <= "Z"]  # "J." in "J.S."
    words = lexicon()
    for match in matches_at(DOTTED_INITIALS, text, starts):
        if match.group().replace(" ", "") not in DOTTED_ABBREVIATIONS:
            # "T.J. Whitehat": the surname after the initials is part of the name.
            surname = _SURNAME_AFTER_INITIALS.match(text, match.end())
            last = surname.group(1) if surname else ""
            end = surname.end() if surname and (words.is_name_like(last) or words.is_surname(last)) else match.end()
            yield PhiFinding(match.start(), end, "NAME", LIKELY)


_SURNAME_AFTER_INITIALS = re.compile(rf"[ \t]({CAP_WORD})(?![\w'’-])")


# "Turner, Wu and Fox", "Mcguire, Mitchell & Smith": three or more listed surnames in a list, as a
# firm, a practice or a family is named.  A list of eponyms ("Crohn, Graves and Addison") is none:
# at most one word may be a clinical one.
SURNAME_LIST = re.compile(
    rf"[A-Z](?<![\w'’-].){CAP_TAIL}(?:,[ \t]+{CAP_WORD}){{1,3}},?[ \t]+(?:and|&)[ \t]+{CAP_WORD}(?![\w'’-])"
)


def _surname_lists(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in SURNAME_LIST.finditer(text):
        names = [word for word in re.split(r"[\s,&]+", match.group()) if word and word != "and"]
        if (all(words.is_surname(name) for name in names)
                and sum(name.lower() in CLINICAL_WORDS for name in names) <= 1):
            yield PhiFinding(match.start(), match.end(), "NAME", LIKELY)


# "Garcia-Hernandez", "Miller-Carey": two listed surnames joined by a hyphen are a double-barrelled
# surname (or a firm named for two people) wherever they stand.  Eponym pairs ("Child-Pugh",
# "Guillain-Barre") hold a clinical word; a pair of ordinary words ("Long-Term") holds no rare one.
# Alone: a capitalised word before it ("Anett Sthilaire-Wenrich") or after it ("Saint-Lazare
# Comorbidity Questionnaire") makes it part of a longer name that the other readings measure.
DOUBLE_SURNAME = re.compile(r"[A-Z](?<![\w'’-].)[a-z]++-[A-Z][a-z]++(?![\w'’-]|[ \t][A-Z][a-z])")
_CAPITALISED_WORD_BEFORE = re.compile(r"(?<![\w'’-])[A-Z][a-z]*+[ \t]$")
_PLACE_LEAD_IN_BEFORE = re.compile(r"(?<![\w'’-])(?i:from|at|in|near|to)[ \t]+$")


def _double_surnames(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in DOUBLE_SURNAME.finditer(text):
        if _CAPITALISED_WORD_BEFORE.search(text, max(0, match.start() - 24), match.start()):
            continue
        first, second = match.group().split("-")
        if (words.is_surname(first) and words.is_surname(second) and not words.is_plain_word(match.group())
                and first.lower() not in CLINICAL_WORDS and second.lower() not in CLINICAL_WORDS
                and not (words.is_plain_word(first.lower()) and words.is_plain_word(second.lower()))
                and not EPONYM_AFTER.match(text, match.end())):  # "Kaplan-Meier curve"
            # After "from", "at", "in" it names a place ("released from Bortner-Gilpin").
            place = _PLACE_LEAD_IN_BEFORE.search(text, max(0, match.start() - 12), match.start())
            yield PhiFinding(match.start(), match.end(), "LOCATION" if place else "NAME", LIKELY)


def _last_comma_first(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    # "Begay, Loretta" starts where the run of name characters before the comma starts (see scan.py).
    commas = _COMMA_THEN_CAPITAL.finditer(view.text)
    starts = [view.run_start(comma.start(), _NAME_BACKWARDS) for comma in commas]
    for match in matches_at(LAST_COMMA_FIRST, view.text, starts):
        if _IN_A_LIST_BEFORE.search(view.text, max(0, match.start() - 3), match.start()) and _LIST_ITEM_AFTER.match(
                view.text, match.end()):
            continue  # "FEVER 104.1, COUGH, CORYZA, CONJUNCTIVITIS": items of a list
        last, first = match.group().split(",")[0], match.group("first")
        # "DE LA ROSA, JUAN C", "van der Berg, Anna": the particles before the last name belong to it
        particles = _PARTICLES_BEFORE.search(view.text, max(0, match.start() - 12), match.start())
        start = particles.start() if particles else match.start()
        if _is_last_comma_first(last, first, words) or (
                _HEADER_BEFORE.search(view.text, max(0, start - 40), start)
                and _HEADER_AFTER.match(view.text, match.end()) and _is_header_name(last, first, words)):
            yield PhiFinding(start, match.end(), "NAME", LIKELY)


# Endings of clinical and technical terms ("MICROCEPHALY", "SMARTGUARD", "GLUCOMETER").
_TERM_ENDINGS = CLINICAL_ENDINGS + ("aly", "ia", "guard", "meter", "scan", "care", "link", "pump")
_IN_A_LIST_BEFORE = re.compile(r",[ \t]*$")
_LIST_ITEM_AFTER = re.compile(r",[ \t]*[A-Za-z][\w'’-]*[ \t]*,")


# A face sheet's name: at the start of a line or after a field's label ("HPI: JOHNSON, TAMIKA 29F",
# "Pt: Smith, Hazel, ninety-four", "BROWN, SUMMER DOB 11/02/1989"), before what follows a patient's
# name in a record: a date of birth, a record number, an age and sex, a bracket, a bar or the line's end.
_HEADER_BEFORE = re.compile(r"(?:^|\n|[|•]|^[ \t]*[A-Za-z][A-Za-z ./#-]{0,24}:|\n[ \t]*[A-Za-z][A-Za-z ./#-]{0,24}:)[ \t]*$")
_PARTICLES_BEFORE = re.compile(r"(?<![\w'’-])(?:(?i:de|del|la|las|los|da|dos|das|van|von|der|den|di|le)[ \t]+){1,2}$")
_HEADER_AFTER = re.compile(
    r"[ \t]*(?:$|\n|[|(—–]|[ \t]-[ \t]|[,;]?[ \t]*(?:(?i:dob|d\.o\.b\.?|mrn|mr#|acct|dos|age|sex)\b|[0-9]{1,3}[ \t]*(?i:[mf]|y/?o|yo[mf]?|yrs?)\b"
    r"|(?i:ninety|one[ \t]+hundred)))")


def _is_header_name(last: str, first: str, words: Lexicon) -> bool:
    """A listed surname and a listed given name, even both words or eponyms ("HUNTER, SKY" aside, whose
    "Sky" no list holds): "Smith, Hazel", "BROWN, SUMMER", "JOHNSON, TAMIKA"."""
    return (len(first) >= 3 and first.isupper() == last.isupper() and words.is_surname(last)
            and words.is_first_name(first) and first.upper() not in CLINICAL_ABBREVIATIONS
            and last.lower() not in _STREET_WORDS)


def _is_last_comma_first(last: str, first: str, words: Lexicon) -> bool:
    """ "SMITH, JOHN", "Begay, Loretta" -- not "Begay, SSN", "Window Rock, Arizona", "Lantus, Humalog"."""
    if len(first) < 3 or not (is_listed_or_unknown(last, words) and is_listed_or_unknown(first, words)):
        return False
    if first.isupper() != last.isupper() or first.upper() in CLINICAL_ABBREVIATIONS:
        return False
    if first.isupper() and not (words.is_first_name(first) or (
            _reads_like_a_name(first, after_person=True) and first.lower() not in words.english_words
            and not first.lower().endswith(_TERM_ENDINGS))):
        return False  # in capitals, a list of terms: "DELAY, MICROCEPHALY", "SENSOR, SMARTGUARD"
    if first.lower() in PLACE_WORDS_NOT_NAMES or (first.lower() in words.places and not words.is_first_name(first)):
        return False
    if last.lower() in _STREET_WORDS:  # "3470 Maple Street, Crownpoint"
        return False
    one_is_listed = words.is_surname(last) or words.is_first_name(first)
    return one_is_listed and not (words.is_plain_word(last) and words.is_plain_word(first))


def _all_caps_pairs(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    position = 0
    while (match := ALL_CAPS_PAIR.search(text, position)) is not None:
        # Pairs overlap in capitals ("FOR ANNEROSE SHERIDAN"): the next try starts at the second word.
        position = match.start("last")
        first, last = match.group().split()[0], match.group("last")
        if last in CLINICAL_ABBREVIATIONS or last in _MONTH_AND_DAY_ABBREVIATIONS:
            continue  # "FROM BETHEL NOV 12": a month, not a surname
        listed_first, listed_last = _is_all_caps_first_name(first, words), words.is_surname(last)
        # One listed half is enough when the other is a word no dictionary has: "LOUISE KEMPNY"
        # (not "TELEMED FROM": a function word is no surname to stand for the pair).
        if (listed_first and (listed_last or _is_unlisted_capitals(last, words))) or (
            listed_last and last.lower() not in _MODAL_AND_SMALL_WORDS and _is_unlisted_capitals(first, words)
            and _reads_like_a_name(first)
        ):
            yield PhiFinding(match.start(), match.end(), "NAME", LIKELY)
            position = match.end()


_MONTH_AND_DAY_ABBREVIATIONS = frozenset(
    "JAN FEB MAR APR JUN JUL AUG SEP SEPT OCT NOV DEC MON TUE TUES WED THU THUR THURS FRI SAT SUN".split())


def _is_unlisted_capitals(word: str, words: Lexicon) -> bool:
    return len(word) >= 3 and word not in CLINICAL_ABBREVIATIONS and word.lower() not in words.english_words


def _is_all_caps_first_name(word: str, words: Lexicon) -> bool:
    """ "JOHN" in "JOHN SMITH".  Also asked of each all-caps word of a field before scanning for
    pairs at all: the first word of a pair is a whole word."""
    return (
        len(word) > 1
        and word not in CLINICAL_ABBREVIATIONS
        and words.is_first_name(word)
        and not words.is_plain_word(word)
    )


_LOWER_WORD = re.compile(r"[a-z]+")
MAX_NAMES_FOUND_ONE_BY_ONE = 16
_LOWER_WORD_AFTER = re.compile(r" (?:(?:de|del|la|las|los|da|dos|das|di|van|von|der|bin|al)[ \t]+){0,2}([a-z][a-z'’-]+)(?![\w'’-])")


def _lower_case_full_names(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    """ "mary begay" typed in lower case: a listed first name that is not an ordinary word, then a
    listed surname ("begay", or "smith", which after a first name is one)."""
    if not view.text.isascii():
        # "maría de la cruz", "lucía benítez-ferrer": read without accents, which keeps every offset.
        plain = _without_accents(view.text)
        if plain != view.text:
            view = TextView.of(plain)
    text = view.text
    # Listed first names are lower-case, so tokens (case as typed) meet only those typed in lower case.
    # One that is also a word ("mercy", "precious") leads to a name only before a surname no
    # dictionary holds ("mercy kamau", "precious okafor").
    firsts = [first for first in view.tokens & words.first_names if len(first) >= 3]
    if not firsts:
        return  # most fields
    if len(firsts) > MAX_NAMES_FOUND_ONE_BY_ONE:  # a long text: one scan, so time stays linear
        positions = [match.start() for match in _LOWER_WORD.finditer(text) if match.group() in firsts]
    else:
        positions = sorted(position for first in firsts for position in find_all(text, first))
    for position in positions:
        if position and (text[position - 1].isalnum() or text[position - 1] in "'’-"):
            continue
        first = _LOWER_WORD.match(text, position)
        last = _LOWER_WORD_AFTER.match(text, first.end()) if first else None
        if not last or first.group() not in words.first_names:
            continue
        surname, end = last.group(1), last.end()
        if surname.endswith(POSSESSIVE):
            surname, end = surname[:-2], end - 2  # "rachel brightman's visit"
        if "-" in surname:  # "benitez-ferrer": a surname of two, either part tells
            parts = [part for part in surname.split("-") if part]
            surname = next((part for part in parts if _is_lower_case_surname(part, words)), parts[-1] if parts else "")
        if first.group() in PERSON_KEYWORDS:
            continue  # "her son radhika": the relative's word, then the name (read after context)
        if first.group() in SPANISH_WORDS or surname in SPANISH_WORDS:
            continue  # "del segundo piso", "está ok": Spanish words, read without their accents
        if words.is_plain_word(first.group()):
            # A word that is also a first name ("mercy", "precious", "son") before another name is
            # a word; before a surname no list holds it is the first name.
            if _is_unlisted_surname(surname, words) and not words.is_plain_word(surname):
                yield PhiFinding(position, end, "NAME", LIKELY)
        elif _is_lower_case_surname(surname, words) or _second_given_name(surname, words):
            # "rosa linda vigil": two given names, then the surname (even one that is a word)
            third = _LOWER_WORD_AFTER.match(text, end) if _second_given_name(surname, words) else None
            if third and words.is_surname(third.group(1)) and third.group(1) not in SPANISH_WORDS and (
                    third.group(1) not in CLINICAL_WORDS and third.group(1) not in _NOT_NAME_PARTS):
                end = third.end()
            yield PhiFinding(position, end, "NAME", LIKELY)


def _second_given_name(word: str, words: Lexicon) -> bool:
    return words.is_first_name(word) and not words.is_plain_word(word)


_ACCENTED = {code: unicodedata.normalize("NFD", chr(code))[0] for code in range(0xC0, 0x250)
             if len(unicodedata.normalize("NFD", chr(code))) > 1}


def _without_accents(text: str) -> str:
    """The text with each accented Latin letter as its base letter (one character for one)."""
    return text.translate(_ACCENTED)


def _is_lower_case_surname(word: str, words: Lexicon) -> bool:
    """A listed surname that is no ordinary word ("begay", "smith"), or one no list holds that reads
    like a name ("petrenko", "brightman"): after a listed first name, it is the surname."""
    if word in CLINICAL_WORDS:
        return False
    if not words.is_surname(word):
        return _is_unlisted_surname(word, words)
    return word in SURNAMES_READ_AS_NAMES or not words.is_plain_word(word)


# "o'brien", "o'shea": only surnames are written so ("o'clock" is no name).
_O_SURNAME = re.compile(r"o['’](?!clock)[a-z]{3,}")


def _is_unlisted_surname(word: str, words: Lexicon) -> bool:
    """A word of four letters or more that no dictionary, list of drugs or clinical terms holds and
    that is no misspelt word ("kamau", "okafor"; not "recieved"), or a surname written with "o'"."""
    if _O_SURNAME.fullmatch(word):
        return True
    return (len(word) >= 4 and word.isalpha() and not words.is_plain_word(word) and word not in words.places
            and not word.endswith(CLINICAL_ENDINGS) and zipf_table().get(word, 0.0) < COMMON_ZIPF
            and not one_edit_from_english(word, words))


# Words this common in English are no unlisted surname, whatever the dictionary misses ("hematuria"
# has a clinical ending; "gonna", "wanna" are common).
COMMON_ZIPF = 3.5


def _is_unlisted_word(word: str, words: Lexicon) -> bool:
    lower = word.lower()
    return len(word) >= 3 and word.isalpha() and lower not in words.english_words and lower not in CLINICAL_WORDS


def _initial_then_surname(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    starts = [dot - 1 for dot in find_all(text, ".") if dot and "A" <= text[dot - 1] <= "Z"]
    for match in matches_at(INITIAL_THEN_SURNAME, text, starts):
        last = match.group("last")
        if last.isupper():
            surname = last not in CLINICAL_ABBREVIATIONS and last.lower() not in words.english_words
        else:
            # "J. Smith", but not "Vitamin D. Patient" or "H. Pylori"
            surname = words.is_name_like(last) or last.lower() in SURNAMES_READ_AS_NAMES
        if surname and last.lower() not in CLINICAL_WORDS:
            yield PhiFinding(match.start(), match.end(), "NAME", LIKELY)


_VOWELS = frozenset("AEIOUÁÉÍÓÚÀÈÌÒÙÄËÏÖÜÂÊÎÔÛİIY")
MIN_CAPITALS_NAME = 5


def _reads_like_a_name(word: str, *, after_person: bool = False) -> bool:
    """An all-caps word of five letters or more with vowels enough to be said ("ABEER", "LOUISA"),
    unlike an acronym ("HCAP", "CHADS", "SBIRT"). After a person word ("sister", "NP") a name may
    have fewer vowels ("BIRSAN", "KONSTANTINOS", "WARRINER": a third of their letters)."""
    letters = word.replace("-", "")
    if len(letters) < MIN_CAPITALS_NAME:
        return False
    share = sum(char in _VOWELS for char in letters) / len(letters)
    return share >= 0.3 if after_person else share > 0.4


def _all_caps_subjects(text: str, all_caps_words: frozenset[str], words: Lexicon) -> Iterator[PhiFinding]:
    """ "PARMENTER, 27 yo", "OCTAVIU, WHO WAS ADMITTED": an all-caps word no dictionary has, as a subject."""
    for word in all_caps_words:
        if not word.isalpha() or word.lower() in words.english_words:
            continue
        if not (words.is_bare_name(word) or _reads_like_a_name(word)):
            continue
        for position in find_all(text, word):
            end = position + len(word)
            if (position and text[position - 1].isalnum()) or text[end : end + 1].isalnum():
                continue
            if SUBJECT_AFTER.match(text, end):
                yield PhiFinding(position, end, "NAME", LIKELY)


_AND_NAME = re.compile(r"[ \t]+(?:and|&)[ \t]+(?P<name>[A-Z][A-Za-z'’-]+)\b")


def _second_name_after_and(text: str, end: int, words: Lexicon, accept) -> Iterator[PhiFinding]:  # noqa: ANN001
    """ "lives with Waridi and Venera", "Drs. Lee and Okafor": a second name joined by "and"."""
    second = _AND_NAME.match(text, end)
    if second and accept(second.group("name"), words, first=True):
        yield PhiFinding(second.start("name"), second.end("name"), "NAME", LIKELY)


_ABBREVIATED_LEAD_INS = frozenset("pt dr mr mrs ms mx prof rev st".split())


def _ends_a_sentence(lead_in: str) -> bool:
    """A lead-in word followed by a full stop that is no abbreviation ("mother. Mark")."""
    word, dot, _ = lead_in.partition(".")
    return bool(dot) and word.strip().lower() not in _ABBREVIATED_LEAD_INS and len(word.strip()) > 3


# The word beside a name found is part of it when it is written like a name: "Honor Ames" (the
# rules found the surname), "Verlin Bighorn" (the given name), "Marie-Ange Pierre-Louis".  Before the
# name, a listed given name or a word off the dictionary (an English word not when it opens a
# sentence); after it, a word off the dictionary or a listed surname.  Not a title, a role, a relative, a
# people, a clinical or a place word, nor a word another finding holds ("Kaplan, Presbyterian
# Hospital", "Colson Stroke Inventory").
_NAME_PART = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
_PART_BEFORE = re.compile(rf"(?<![\w'’.-])(?P<part>{_NAME_PART})[ \t]$")
_PART_AFTER = re.compile(rf"[ \t](?P<part>{_NAME_PART})(?![\w'’-])")
_SENTENCE_BREAK_BEFORE = re.compile(r"(?:^|[.!?:;\n•*\-–—(\"|/])[ \t]*$")
MAX_JOINED_NAME_WORDS = 3
_NOT_NAME_PARTS = TITLE_KEYWORDS | PERSON_KEYWORDS | frozenset(
    "the and or of for with from to at in on by via per re about our your his her their this that de la "
    "del van von boy girl baby site".split())


def joined_name_parts(text: str, candidates: list[PhiFinding], words: Lexicon) -> list[PhiFinding]:
    names = [c for c in candidates if c.label == "NAME" and c.end - c.start <= 40]
    if not names:
        return []
    taken = None
    joined = []
    for name in names:
        found = text[name.start:name.end]
        if len(found.split()) >= MAX_JOINED_NAME_WORDS or not found[:1].isupper() or found.isupper():
            continue
        start, end = name.start, name.end
        before = _PART_BEFORE.search(text, max(0, start - 30), start)
        after = _PART_AFTER.match(text, end)
        if before and _joins_before(before.group("part"), found, words) and (
                not words.is_plain_word(before.group("part"))
                or not _SENTENCE_BREAK_BEFORE.search(text, max(0, before.start() - 4), before.start())):
            start = before.start("part")
        elif after and _joins_after(after.group("part"), found, words):
            end = after.end("part")
        else:
            continue
        if taken is None:  # where the other findings lie, one byte per character
            taken = bytearray(len(text))
            for other in candidates:
                if other.label != "NAME":
                    taken[other.start:other.end] = b"\x01" * (other.end - other.start)
        if taken.find(1, start, end) == -1:
            joined.append(PhiFinding(start, end, "NAME", name.certainty))
    return joined


def _may_join(part: str, found: str, words: Lexicon) -> bool:
    lower = part.lower()
    bare = re.split(r"['’]", lower)[0]
    return not (lower in _NOT_NAME_PARTS or bare in CLINICAL_WORDS or bare in PEOPLE_WORDS
                or bare in words.places or lower.endswith(CLINICAL_ENDINGS) or is_mixed_case_abbreviation(part)
                or f"{found} {part}".lower() in words.places or f"{part} {found}".lower() in words.places)


def _joins_before(part: str, found: str, words: Lexicon) -> bool:
    return _may_join(part, found, words) and (
        words.is_first_name(part) or not words.is_plain_word(part.split("-")[0]))


def _joins_after(part: str, found: str, words: Lexicon) -> bool:
    return _may_join(part, found, words) and (not words.is_plain_word(part.split("-")[0]) or words.is_surname(part))


# A nickname in quotes after a relative, a role or a naming verb is a name whatever words it is
# made of: 'boyfriend "Diesel"', 'cousin "Preacher"', 'GOES BY "KING"', 'refers to himself as
# "Catfish"', 'raised by "Big Mama"'.  Not after a pet ('service dog "Major"') or a word that
# names no person ('pt calls it "the shakes"').
_QUOTED = re.compile(r"[\"“](?P<name>[A-Z][A-Za-z'’.-]*(?:[ \t][A-Z][A-Za-z'’.-]*){0,2})[\"”]")
_NICKNAME_LEAD_IN = re.compile(
    rf"(?<![\w'’-])(?i:{RELATION_WORDS}|{_ROLES}|goes[ \t]+by|go[ \t]+by|known[ \t]+as|aka|a\.k\.a\.|nicknamed?|called|"
    r"calls[ \t]+(?:him|her|them)self|refers?[ \t]+to[ \t]+(?:him|her|them)self[ \t]+as|raised[ \t]+by|named)"
    r"(?:['’]s)?[ \t]*[:,(]?[ \t]*$"
    # or in brackets right after the name it stands for: 'Ignacio Baltazar ("Nacho")', 'HARDY ("BIG MAMA")'
    r"|(?<![\w'’-])(?:[A-Z][a-z'’-]+|[A-Z]{3,})[ \t]*\([ \t]*$")


# The name a person goes by, before the name on their papers or the person they are to the patient:
# "Gator (real name Travis Hutto)", "Man (legal name Herman Witherspoon)", '"bubba" (real name wayne
# lahti)', "Amber (pt's wife) called".
# Found from each "(" (a scan from every letter would stop everywhere): the gloss after it, then the
# name before it.
_GLOSS = re.compile(
    rf"\([ \t]*(?:(?i:real|legal|given|full|birth|actual)(?:[ \t]+(?i:name)[ \t]*[:,]?[ \t]*|[ \t]*:[ \t]*|[ \t]+(?=[A-Z]))[A-Za-z]"
    rf"|(?i:pt|patient|his|her|their|the[ \t]+pt)['’]?s?[ \t]+(?i:{RELATION_WORDS})[ \t]*\))"
)
_NAME_BEFORE_A_GLOSS = re.compile(
    r"(?<![\w'’-])[\"“]?(?P<name>[A-Za-z][A-Za-z'’-]+(?:[ \t]+[A-Z][A-Za-z'’-]+)?)[\"”]?[ \t]*$")


def _names_before_their_gloss(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for position in find_all(text, "("):
        if not _GLOSS.match(text, position) or not (match := _NAME_BEFORE_A_GLOSS.search(text, max(0, position - 48), position)):
            continue
        parts = match.group("name").split()
        if len(parts) == 2 and (parts[0].lower() in _NOT_NAME_PARTS or parts[0].lower() in SMALL_NAME_STOPS
                                or parts[0].lower() in ("pt", "per", "patient") or parts[0].islower()):
            parts = parts[1:]  # "husband Tuck (real name Tucker)", "Per WILLOW (patient's daughter)"
        name = " ".join(parts)
        if name.lower() in PERSON_KEYWORDS or name.lower() in CLINICAL_WORDS or name.upper() in CLINICAL_ABBREVIATIONS:
            continue
        start = match.start("name") + match.group("name").index(parts[0])
        yield PhiFinding(start, match.end("name"), "NAME", LIKELY)


# The name a person goes by, after the words that give it, whatever words it is made of: "goes by
# Peanut", "known as Nenê", "everyone calls her Sugar", "the one they call Hoot", "ask for Peanut or
# her mamaw", "AKA BUBBA".  Not a drug, an insurer, a clinical word, a people or a title ("ask for
# Spanish", "ask for Medicaid", "known as Lewy body").
NICKNAME_AFTER_NAMING = KeywordPattern(
    r"goes[ \t]+by|go[ \t]+by|went[ \t]+by|going[ \t]+by|known[ \t]+as|aka|a\.k\.a\.?|nicknamed|"
    r"everyone[ \t]+calls|everybody[ \t]+calls|they[ \t]+call|folks[ \t]+call|family[ \t]+calls|"
    r"ask[ \t]+for|asks[ \t]+for|asking[ \t]+for|prefers[ \t]+to[ \t]+be[ \t]+called|preferred[ \t]+name",
    r"(?:[ \t]+(?i:her|him|them|me|it))?[ \t]*:?[ \t]+"
    r"(?P<name>[A-Z][a-zà-ÿ'’-]+(?:[ \t]+[A-Z][a-zà-ÿ'’-]+)?|[A-Z]{2,}(?:[ \t]+[A-Z]{2,})?)(?![\w'’-])",
    before=r"(?<![\w'’-])",
)
_TITLE_WORDS = TITLE_KEYWORDS | frozenset("dr mr mrs ms miss dra sr sra nurse doctor".split())
_KIN_TITLES = frozenset(re.findall(r"[^\W\d_]+", RELATION_WORDS)) | {"sister", "brother", "father", "pastor", "rev", "elder"}


def _nicknames_after_naming(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    for match in NICKNAME_AFTER_NAMING.finditer(view):
        parts = match.group("name").split()
        start = match.start("name")
        if len(parts) == 2 and parts[0].lower() in _KIN_TITLES:
            start += match.group("name").index(parts[1])  # "ask for Sister Agnes", "CALLS HER AUNT MAE"
            parts = parts[1:]
        if parts[0].isupper() and all(words.is_plain_word(part) and not words.is_known_name(part) for part in parts):
            continue  # "ASKING FOR HELP WITH", "ASK FOR HUB:"
        if any(part.lower() in CLINICAL_WORDS or part.upper() in CLINICAL_ABBREVIATIONS or part.lower() in words.drug_names
               or part.lower() in PEOPLE_WORDS or part.lower() in INSURER_WORDS or part.lower() in _TITLE_WORDS
               or part.lower() in REGION_NAMES for part in parts):
            continue
        if EPONYM_AFTER.match(view.text, match.end("name")):
            continue  # "known as Lewy body disease"
        yield PhiFinding(start, match.end("name"), "NAME", LIKELY)


# Capitalised words right before an age and a sex are the person's name, whatever words they are:
# "Sky Pipestem 17F", "River Hatfield, 16,", "Rainy Jackson 19F", "Mary Jo Lookout, 70F", "Henry Tall
# Chief 66M".  Not after a word of place ("from Lodge Pole, 14M" is the town), not words that are all
# plain or clinical ("Diabetes Type 2,").
_EPONYM_NOUN_WORDS = frozenset(word for word in EPONYM_NOUNS.split("|") if word.isalpha())
_ROLE_NOUNS_BEFORE_A_NAME = frozenset(
    "student resident inmate client veteran elder member caller rider driver worker question referral re "
    "should does did can could would is was".split())
# (From a digit, which re finds fast; the character before it is checked after.)
_AGE_AND_SEX = re.compile(r"[0-9](?<=[ \t,][0-9])[0-9]?(?![0-9])(?:[ \t]*(?:[MF]|yo|y/o|yrs?|y\.o\.)(?![\w/])|,[ \t])")
_NAME_RUN_BEFORE_AN_AGE = re.compile(
    r"(?<![\w'’.-])(?P<name>[A-Z][a-zà-ÿ'’-]+(?:[ \t]+[A-Z][a-zà-ÿ'’-]+){1,3}),?[ \t]*$")
_PLACE_WORD_BEFORE_A_NAME = re.compile(r"(?i:\b(?:from|in|at|to|near|of|outside|via|lives|and)[ \t]+)$")


def _names_before_an_age_and_sex(text: str, first: int, words: Lexicon) -> Iterator[PhiFinding]:
    for match in _AGE_AND_SEX.finditer(text, first):
        run = _NAME_RUN_BEFORE_AN_AGE.search(text, max(0, match.start() - 48), match.start())
        if run is None or _PLACE_WORD_BEFORE_A_NAME.search(text, max(0, run.start() - 9), run.start()):
            continue
        parts = run.group("name").split()
        start = run.start("name")
        while len(parts) > 1 and (parts[0].lower() in PERSON_KEYWORDS or parts[0].lower() in _KIN_TITLES
                                  or parts[0].lower() in TITLE_KEYWORDS or "-" in parts[0]
                                  or parts[0].lower() in _MODAL_AND_SMALL_WORDS or parts[0].lower() in SPANISH_WORDS
                                  or parts[0].lower() in _ROLE_NOUNS_BEFORE_A_NAME):
            start = text.index(parts[1], start + len(parts[0]))  # "Pt Tuesday Whitehorn 26F", "Does Tyler Brandvold, 14"
            parts = parts[1:]
        if any(part.lower() in CLINICAL_WORDS or part.upper() in CLINICAL_ABBREVIATIONS or part.lower() in words.drug_names
               or part.lower() in PEOPLE_WORDS or part.lower() in REGION_NAMES or part.lower() in _EPONYM_NOUN_WORDS
               for part in parts):  # "Beck Depression Inventory 28,"
            continue
        if all(words.is_plain_word(part) for part in parts):
            continue  # "Diabetes Case 52F": plain words, one of them a surname too
        yield PhiFinding(start, run.end("name"), "NAME", LIKELY)


def _quoted_nicknames(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in _QUOTED.finditer(text):
        name = match.group("name")
        if any(part.lower().rstrip(".") in CLINICAL_WORDS or part.upper() in CLINICAL_ABBREVIATIONS
               or part.lower() in words.drug_names for part in name.split()):
            continue
        lead_in = _NICKNAME_LEAD_IN.search(text, max(0, match.start() - 40), match.start())
        if lead_in is None:
            continue
        if lead_in.group().rstrip(" \t").endswith("(") and not lead_in.group()[:1].islower():
            before = lead_in.group().rstrip(" \t(")  # a name before the brackets, not 'HTN ("pressure")'
            if before.upper() in CLINICAL_ABBREVIATIONS or before.lower() in CLINICAL_WORDS or (
                    words.is_plain_word(before) and not words.is_known_name(before)):
                continue
        yield PhiFinding(match.start("name"), match.end("name"), "NAME", LIKELY)


# A given name typed in lower case after a relative or a boss, in a line typed without capitals:
# "ur mom harmony cant make wed", "her kid justice w/ fever", "his boss ray drove him".  Only a listed
# given name read less often than a common word ("will", "mark", "hope" are left), and not where
# the line capitalises its sentences (there a name would have its capital).
_KIN_THEN_LOWER_CASE_WORD = KeywordPattern(
    f"{RELATION_WORDS}|boss|coworker|sponsor|caseworker|counselor|coach|pastor|dtr|sis",
    # "caseworker is shawna petty": an "is" between, a listed surname after
    r"(?:[ \t]+is)?[ \t]+(?P<name>[a-z]{3,12})(?![\w'’-])(?:[ \t]+(?P<surname>[a-z]{3,14})(?![\w'’-]))?",
    before=r"(?<![\w'’-])")
_COMMON_NAME_ZIPF = 5.0


def _lower_case_names_after_kin(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    text = view.text
    lines = None
    zipf = zipf_table()
    for match in _KIN_THEN_LOWER_CASE_WORD.finditer(view):
        name = match.group("name")
        if zipf.get(name, 0.0) >= _COMMON_NAME_ZIPF or name in PERSON_KEYWORDS or name in CLINICAL_WORDS or (
                name in SPANISH_WORDS or name in _NOT_NAME_PARTS):
            continue
        # A listed given name, or a word no dictionary holds that is none misspelt ("dtr navneet").
        if not words.is_first_name(name) and (len(name) < 4 or words.is_plain_word(name) or name in words.places
                                              or one_edit_from_english(name, words)):
            continue
        if lines is None:
            lines = LineReader(text, writes_capitals)
        if not lines.at(match.start()):
            surname = match.group("surname")
            end = match.end("surname") if surname and words.is_surname(surname) and not (
                surname in SMALL_NAME_STOPS or surname in _VERBS_AFTER_A_GIVEN_NAME or surname in CLINICAL_WORDS
                or surname in _NOT_NAME_PARTS or zipf.get(surname, 0.0) >= _COMMON_NAME_ZIPF) else match.end("name")
            yield PhiFinding(match.start("name"), end, "NAME", LIKELY)


# A name typed in lower case after its title typed so: "mr rusty cline 67m", "ms hope mullins 41f",
# "teacher mrs. hall wants a plan".  Its first word must be a listed given name or surname ("mr" is
# also mitral regurgitation, "ms" multiple sclerosis: "mild mr and tr", "ms flare"); the words after
# it join while they are listed names or no word of the dictionary.
_LOWER_CASE_TITLE_THEN_NAME = KeywordPattern(
    "mrs|mr|ms|miss|dr|sra|sr", r"\.?[ \t]+(?P<name>[a-z][a-z'’-]{1,15}(?:[ \t]+[a-z][a-z'’-]{1,15}){0,2})",
    before=r"(?<![\w'’-])(?=[a-z])",
)


def _lower_case_names_after_titles(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    for match in _LOWER_CASE_TITLE_THEN_NAME.finditer(view):
        start = match.start("name")
        end = start
        possessive = False
        for index, part in enumerate(match.group("name").split()):
            if possessive:
                break  # "per mrs. leigh kostro's note": the name ends with its "'s"
            if possessive := part.endswith(POSSESSIVE):
                part = part[:-2]
            if part in _NOT_NAME_PARTS or part in CLINICAL_WORDS or part in SPANISH_WORDS or part in SMALL_NAME_STOPS:
                break
            listed = words.is_first_name(part) or words.is_surname(part)
            if index == 0 and not listed or index > 0 and (words.is_plain_word(part) or len(part) < 3):
                break  # "dr zook come out": a word of the dictionary after the first ends the name
            end = view.text.index(part, end) + len(part)
        if end > start:
            yield PhiFinding(start, end, "NAME", LIKELY)


SMALL_NAME_STOPS = frozenset(
    "is was has had and or but the a an with w at in on to from for says said called my your his her our their".split())


# A given name typed in lower case as the subject of an age: "quick one, joy is 16 and pregnant",
# "sky is a 3 month old at the clinic" (a word so typed is a name only when an age follows).
# Cheap tests before the scans below, which may start at any letter: "is" before a number, a
# syllable joined to a syllable in lower case.
_IS_AN_AGE = re.compile(r"is[ \t]+(?:a[ \t]+|now[ \t]+)?[0-9]")
_KOREAN_GIVEN_SHAPE = re.compile(r"[a-z]-[a-z]{2,5}(?![\w'’-])")
LOWER_CASE_NAME_WITH_AN_AGE = re.compile(
    r"(?:^|(?<=[,.;:!?\n])|(?<=[,.;:!?][ \t])|(?<=^[ \t]))[ \t]*(?P<name>[a-z]{3,12})[ \t]+is[ \t]+(?:a[ \t]+|now[ \t]+)?"
    r"[0-9]{1,3}(?:[ \t-]?(?:y/?o|yrs?|years?|months?|mos?|weeks?|wks?|days?)\b|[mf]\b"
    r"|(?=[ \t]*(?:[,.;:!?)]|$|\n|and\b)))")


# A Korean name, family name first or last, with its given name of two syllables joined by a
# hyphen: "Park Ji-hoon", "Ye-jin Park", "Kim Eun-ji" (the family name alone is often a word).
_KOREAN_FAMILY_NAMES = frozenset(
    "Kim Lee Park Choi Jung Jeong Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong Jeon "
    "Ko Moon Yang Son Bae Baek Heo Nam Noh Ha Kwak Sung Cha Joo Woo Ryu Na Jin Chung Rhee Yi Min Yu".split())
_KOREAN_FAMILY = "(?:" + "|".join(sorted(_KOREAN_FAMILY_NAMES, key=len, reverse=True)) + ")"
_KOREAN_GIVEN = r"(?!(?i:pre|post|co|re|non|anti|self)-)[A-Z][a-z]{1,4}-[a-z]{2,5}"
KOREAN_NAME = re.compile(
    rf"(?<![\w'’-])(?:{_KOREAN_FAMILY}[ \t]+{_KOREAN_GIVEN}|{_KOREAN_GIVEN}[ \t]+{_KOREAN_FAMILY})(?![\w'’-])")

# What carries a name found on past its end: a nickname in quotes and the surname after it
# ('Jimmie Lee "Peanut" Hollins', 'Dolores "Lola" de los Santos'), an Arabic article joined to the
# surname ("Omar bin Rashid al-Amin"), a surname that opens with "St." ("Roy St. John",
# "Nathaniel St. John-Mbeki").  Read once over the chosen findings (detector.find_phi), so a
# nickname or a surname another reading found on its own joins the name.
_SURNAME_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"
_NICKNAME = r"[\"“'‘][A-Z][A-Za-z'’-]*(?:[ \t][A-Z][A-Za-z'’-]*)?[\"”'’]"
NAME_CONTINUATION = re.compile(
    rf"(?:(?<=\bSt)\.?|[ \t]+St\.?)[ \t]+(?P<saint>{_SURNAME_WORD})(?![\w'’-])"
    rf"|[ \t]+(?:al|el|Al|El)-{_SURNAME_WORD}(?![\w'’-])"
    rf"|(?P<nick>[ \t]+{_NICKNAME})?(?P<particle>[ \t]+(?:de|del|de[ \t]+la|de[ \t]+las|de[ \t]+los|van|von|"
    rf"van[ \t]+der|van[ \t]+den|bin|bint|ibn|da|di|du|dos|das|le|la))?[ \t]+(?P<surname>{_SURNAME_WORD})(?![\w'’-])"
)
_NOT_SURNAMES = _NOT_NAME_PARTS | frozenset("st jr sr ii iii iv".split())


def _names_a_saint(word: str, words: Lexicon) -> bool:
    """"John", "Clair", "John-Mbeki": a given name or a word off the dictionary ("St. Partner" is a street)."""
    first = word.split("-")[0]
    return words.is_first_name(first) or not words.is_plain_word(first)


def saint_surnames(text: str, candidates: list[PhiFinding]) -> list[PhiFinding]:
    """Names read up to "St" before a saint's name, carried over it ("Dr. Maria St" -> "Dr. Maria St.
    Clair", "neighbor Roy St" -> "Roy St. John"): so read they outrank the saint's town ("St. Clair")
    the place detectors find there."""
    words = lexicon()
    carried = []
    for candidate in candidates:
        if candidate.label == "NAME" and text.endswith("St", candidate.start, candidate.end):
            match = NAME_CONTINUATION.match(text, candidate.end)
            saint = match.group("saint") if match else None
            if saint and _names_a_saint(saint, words):
                carried.append(PhiFinding(candidate.start, match.end(), "NAME", candidate.certainty))
    return carried


def continued_names(text: str, chosen: list[PhiFinding]) -> list[PhiFinding]:
    """``chosen`` (sorted, apart) with each name carried on over what NAME_CONTINUATION reads after
    it, when that holds a nickname in quotes, an article or "St." (a bare next word does not carry
    a name on) and no other finding but names; the names it covers join it."""
    words = lexicon()
    result: list[PhiFinding] = []
    index = 0
    while index < len(chosen):
        finding = chosen[index]
        index += 1
        if finding.label != "NAME":
            result.append(finding)
            continue
        while (match := NAME_CONTINUATION.match(text, finding.end)) is not None:
            surname, saint = match.group("surname"), match.group("saint")
            if saint is not None and not _names_a_saint(saint, words):
                break  # "on Guadalupe St. Partner Jordy": a street, not "St. John"
            if surname is not None and (not (match.group("nick") or match.group("particle"))
                                        or surname.lower() in _NOT_SURNAMES
                                        or surname.lower() in CLINICAL_WORDS or words.is_plain_word(surname)
                                        and not words.is_known_name(surname)):
                break
            end = match.end()
            following = index
            while following < len(chosen) and chosen[following].start < end:
                # A saint's town right after a given name is its surname: "neighbor Roy St. John".
                joins = chosen[following].label == "NAME" or (saint is not None and chosen[following].label == "LOCATION")
                if not joins or chosen[following].end > end:
                    break
                following += 1
            else:
                index = following
                finding = PhiFinding(finding.start, end, "NAME", finding.certainty)
                continue
            break
        result.append(finding)
    return result


# A name typed small, found in part, read whole: the given name before it ("got faith ann mcfarland
# here", "rev dale jacobs", "sissy colley wants"), a given name off every list ("baljit singh"), and
# a listed surname after it ("singh gill 96 yo").  Only next to a name already found, in a line
# typed without capitals, over words that are no function word.
_SMALL_WORD_BEFORE_A_NAME = re.compile(r"(?<![\w'’.-])([a-z][a-z'’-]{1,14})[ \t]$")
_SMALL_WORD_AFTER_A_NAME = re.compile(r"[ \t]([a-z][a-z'’-]{2,14})(?![\w'’-])")
_MODAL_AND_SMALL_WORDS = SMALL_NAME_STOPS | _NOT_NAME_PARTS | frozenset(
    "will may can could would should must shall might did does do got get gets be been being am are not no yes "
    "so if as it its he she they we you i me him them us who what when where why how".split())
_NO_GIVEN_NAME_BEFORE = _MODAL_AND_SMALL_WORDS | PERSON_KEYWORDS | _KIN_TITLES | frozenset(
    "guy gal lady man woman kid boy girl dude pt patient paciente sobre pregunta".split())
_COMMON_SURNAME_AFTER_ZIPF = 4.5


def widened_lower_case_names(text: str, chosen: list[PhiFinding]) -> list[PhiFinding]:
    words = lexicon()
    zipf = zipf_table()
    result: list[PhiFinding] = []
    for index, finding in enumerate(chosen):
        if finding.label == "NAME" and text[finding.start:finding.end].islower():
            start, end = finding.start, finding.end
            for _ in range(2):
                before = _SMALL_WORD_BEFORE_A_NAME.search(text, max(0, start - 17), start)
                if before is None or (word := before.group(1)) in _NO_GIVEN_NAME_BEFORE or word in CLINICAL_WORDS:
                    break
                listed = len(word) >= 3 and words.is_first_name(word)
                unlisted = len(word) >= 4 and words.is_name_like(word) and word not in zipf and word not in SPANISH_WORDS
                if not (listed or unlisted):
                    break
                if result and result[-1].end > before.start(1):
                    break  # another finding lies there
                start = before.start(1)
            after = _SMALL_WORD_AFTER_A_NAME.match(text, end)
            if after and (word := after.group(1)) not in _MODAL_AND_SMALL_WORDS and words.is_surname(word) and (
                    zipf.get(word, 0.0) < _COMMON_SURNAME_AFTER_ZIPF) and word not in CLINICAL_WORDS and (
                    word not in SPANISH_WORDS):
                if index + 1 == len(chosen) or chosen[index + 1].start >= after.end(1):
                    end = after.end(1)
            finding = PhiFinding(start, end, "NAME", finding.certainty)
        result.append(finding)
    return result
