"""Numbers behind a label nobody listed: "HRN 448213", "DOC # 1182734", "booking no. 22-00871".

``identifiers.py`` knows the usual lead-ins (MRN, member ID ...) and gives each its label; any
other short label followed by "#", "no.", "number" or ":" and a string with digits is an
identifier too, and so is a number of five or more digits right after an unknown all-caps
abbreviation ("HRN 448213").  What keeps lab values out: a ":" needs a short label or a value
with a letter or hyphen, never a clinical abbreviation ("WBC: 12000"), a count word before the
label, or a unit after the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS
from app.redaction.findings import CERTAIN, PhiFinding
from app.redaction.locations import STREET_ADDRESS
from app.redaction.place_words import STATE_CODE_SET
from app.redaction.scan import TextView

# The label: one or two short words right before the separator ("DOC", "booking", "PA", "Site ID").
LABEL_BEFORE = re.compile(
    r"(?<![\w'’.-])(?P<label>[A-Za-z][A-Za-z'’]{0,14}\.?(?:[ /-][A-Za-z][A-Za-z'’]{0,14}\.?)?)\s*$"
)
LABEL_LOOK_BACK = 32
# Digits and letters in hyphen- or space-joined groups, two digits at least, as identifiers.py.
VALUE = re.compile(
    r"\s*(?:[#:]\s*|)(?i:is\s+|)"
    r"(?P<value>(?=[A-Za-z-]{0,24}+[0-9][A-Za-z-]{0,24}+[0-9])[A-Za-z0-9]++(?:-(?=[A-Za-z0-9])[A-Za-z0-9]++)*)"
    r"(?![\w/%]|[.,][0-9]|\s*(?i:mg|mcg|g|kg|ml|l|iu|units?|copies|cells|k|x|mmhg|bpm)\b)"
)
# Runs of letters are bounded ("{0,24}"): a text of many ":" before one long word stays linear.
SEPARATOR_BEFORE_DIGITS = re.compile(
    r"[:#](?=[ \t]{0,8}+(?:[#:][ \t]{0,8}+|)(?:[Ii][Ss][ \t]++|)[A-Za-z-]{0,24}+[0-9])"
)
NUMBER_WORDS = re.compile(r"(?i:number|num|nbr|no)\b\.?")
NUMBER_WORD_KEYWORDS = frozenset({"number", "num", "nbr", "no"})
# Words before a number that make it a measurement, not an identifier ("viral load: 125000").
_MEASURE_WORDS = frozenset(
    """
rna vl load count level titer copies quant pcr platelets platelet plt glucose weight wt height ht
score total dose doses bp hr rr temp pulse sat spo2 a1c ldl hdl cd4 egfr gfr result results value
values range time times step steps page pages floor ext extension size volume rate
exp expires expiry expiration
""".split()
)
MIN_VALUE_LENGTH = 4
SHORT_LABEL = 5  # "HRN", "ins", "PA": a short label may carry a bare number after ":"
BARE_NUMBER_MIN_DIGITS = 5
# Five digits or more, hyphens allowed, not inside a word or number.
LONG_NUMBER_START = re.compile(r"[0-9](?<![\w-].)[0-9-]{3,}+(?<=[0-9])")
ABBREVIATION_BEFORE = re.compile(r"(?<![\w'’-])([A-Z]{2,5}) $")
_POSTAL_AREAS = STATE_CODE_SET | {"AA", "AE", "AP"}
_YEAR_ONLY = re.compile(r"(?:19|20)[0-9][0-9]")


def find_labelled_numbers(view: TextView) -> Iterator[PhiFinding]:
    text = view.text
    if "#" in text or ":" in text:
        # One scan in C for a separator with digits after it; most ":" ("Plan: ...") have none.
        for separator in SEPARATOR_BEFORE_DIGITS.finditer(text):
            position = separator.start()
            yield from _value_after(text, position, position + 1, colon=text[position] == ":")
    number_words = NUMBER_WORD_KEYWORDS & view.words
    if "no" in number_words and "no." not in view.lower and "no #" not in view.lower:
        number_words -= {"no"}  # "no nausea": "no" is a number word only as "no." or "no #"
    if number_words:
        for word in number_words:
            for position in view.starts_of(word):
                match = NUMBER_WORDS.match(text, position)
                if match:
                    yield from _value_after(text, position, match.end(), colon=False)
    yield from _numbers_after_unknown_abbreviations(view)


def _value_after(text: str, label_end: int, value_start: int, *, colon: bool) -> Iterator[PhiFinding]:
    value = VALUE.match(text, value_start)
    if value is None or not _looks_like_identifier(value.group("value")):
        return
    if CODE_SYSTEM_BEFORE.search(text, max(0, value.start("value") - 12), value.start("value")):
        return  # "Billing: CPT 99214": a code of a medical vocabulary names no one
    if value.group("value").isdigit() and STREET_ADDRESS.match(text, value.start("value")):
        return  # "Address on file: 46163 Cameron Mill": a house number (locations.py finds the address)
    label = LABEL_BEFORE.search(text, max(0, label_end - LABEL_LOOK_BACK), label_end)
    if label is None or not _is_identifier_label(label.group("label")):
        return
    if colon and not _colon_value_is_identifier(label.group("label"), value.group("value")):
        return
    yield PhiFinding(value.start("value"), value.end("value"), label_of(label.group("label")), CERTAIN)


# The label's first letters tell the kind of number even when the label is abbreviated ("ins",
# "HBN", "acct", "CDL"); anything else is an ID.
_LABEL_KINDS = re.compile(
    r"(?i:(?P<HEALTHPLAN>ins|plan|policy|member|medicaid|medicare|hb|hmo|ppo|payer|benefit)"
    r"|(?P<ACCOUNT>acc|acct|billing|invoice)|(?P<LICENSE>lic|cdl|dl\b|dea)|(?P<MRN>mrn|hrn|chart|record|med\s*rec))"
)
# Words before a bare identifier that say what it is: "his plan is HP-987654".
KIND_WORDS_BEFORE = re.compile(r"(?i:\b(?:insurance|plan|policy|member|medicaid|medicare)\b)[^.;\n]{0,16}$")


def label_of(label: str) -> str:
    kind = _LABEL_KINDS.match(label.strip())
    return kind.lastgroup if kind else "ID"


# Codes of the medical vocabularies: "CPT 99214", "ICD-10 F11.20", "NDC 0093-7146", "HCPCS G2211".
CODE_SYSTEMS = r"(?i:cpt|icd(?:-?(?:9|10)(?:-cm)?)?|hcpcs|ndc|loinc|snomed|drg|rxnorm)"
CODE_SYSTEM_BEFORE = re.compile(rf"(?<![\w-]){CODE_SYSTEMS}[ \t]*[#:]?[ \t]*$")


def _looks_like_identifier(value: str) -> bool:
    return (len(value) >= MIN_VALUE_LENGTH and not _YEAR_ONLY.fullmatch(value) and not CLINICAL_CODE.fullmatch(value)
            and not _a_measure_and_its_number(value) and not _TIME_RANGE.fullmatch(value))


# Hours of a day, from and to: "alone 1900-0600", "Hours: 0800-1700".
_TIME_RANGE = re.compile(r"(?:[01][0-9]|2[0-3])[0-5][0-9]-(?:[01][0-9]|2[0-3])[0-5][0-9]")


# A clinical abbreviation with the number it carries: "goal: SVR12", "Screen: PHQ9", "Dx: T2DM"
# (not "HRN4821", whose letters name no measure).
_LETTERS_AND_NUMBER = re.compile(r"([A-Za-z]{2,6})-?([0-9]{1,2})")
_MEASURES_WITH_A_NUMBER = frozenset(
    "SVR PHQ GAD FIB CD MELD NYHA GOLD CIWA COWS AUDIT PCL EPDS SDQ ASQ MCHAT BIRADS TIRADS LIRADS PIRADS "
    "ECOG KPS TNM HAS CHADS CHA HEART CURB PSI MOCA MMSE SLUMS ACE ACES ASA APGAR SOFA QSOFA".split())


def _a_measure_and_its_number(value: str) -> bool:
    match = _LETTERS_AND_NUMBER.fullmatch(value)
    return match is not None and (match.group(1).upper() in _MEASURES_WITH_A_NUMBER
                                  or match.group(1).upper() in CLINICAL_ABBREVIATIONS)


# Values with digits and letters that describe a patient, not identify one: an age and sex
# ("Presenting problem: 44-year-old", "Diabetes: 52yoF", "OUD case. 29yoM"), a spinal level
# ("Hx: L4-5", "C5-C6"), an obstetric history ("OB: G2P1").
CLINICAL_CODE = re.compile(
    r"(?i:[0-9]{1,3}-?(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)(?:-old)?(?:-?[mf])?"
    r"|[0-9]{1,3}-?(?:y/?o|y\.o\.?|yo)[mfw]?|[0-9]{1,3}[mf])"
    r"|[CTLS][0-9]{1,2}-[CTLS]?[0-9]{1,2}|G[0-9]{1,2}P[0-9]{1,4}(?:-?[0-9]{1,4})*"
)


def _is_identifier_label(label: str) -> bool:
    words = label.replace("/", " ").replace("-", " ").split()
    last = words[-1].rstrip(".").lower()
    return last not in _MEASURE_WORDS and words[0].rstrip(".").lower() not in _MEASURE_WORDS


def _colon_value_is_identifier(label: str, value: str) -> bool:
    """After ":" a lab value is as likely as an identifier: "HbA1c: 7", "Plt: 150000"."""
    last = label.split()[-1].rstrip(".")
    if last.upper() in CLINICAL_ABBREVIATIONS and last.isupper():
        return False
    has_letter_or_group = not value.isdigit()
    return has_letter_or_group or len(last) <= SHORT_LABEL


def _numbers_after_unknown_abbreviations(view: TextView) -> Iterator[PhiFinding]:
    """ "HRN 448213": found from the long numbers (rare) back to an all-caps word right before."""
    text = view.text
    if not view.has_digit:
        return
    for number in LONG_NUMBER_START.finditer(text):
        label = ABBREVIATION_BEFORE.search(text, max(0, number.start() - 8), number.start())
        if label is None:
            continue
        token = label.group(1)
        if token in CLINICAL_ABBREVIATIONS or token.lower() in _MEASURE_WORDS or token in _POSTAL_AREAS:
            continue  # a ZIP code after a state or a military post code is a place (locations.py)
        if CODE_SYSTEM_BEFORE.search(text, label.start(1), label.end()):
            continue  # "NDC 0093-7146-56": a code of a medical vocabulary
        value = VALUE.match(text, label.end())
        if value and _TIME_RANGE.fullmatch(value.group("value")):
            continue  # "ALONE 1900-0600": hours of a day
        if value and sum(char.isdigit() for char in value.group("value")) >= BARE_NUMBER_MIN_DIGITS:
            yield PhiFinding(value.start("value"), value.end("value"), label_of(token), CERTAIN)
