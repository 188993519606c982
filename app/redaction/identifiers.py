"""Fixed-shape identifiers: SSN, e-mail, URL, IP, phone/fax, and numbers behind a lead-in.

Shapes that need no context (SSN, phone, IP, VIN, DEA with its checksum, Medicare MBI, long
numbers) are found in one scan; numbers behind a lead-in ("MRN 123456", "member ID ...") take the
label of their lead-in.  The orchestrator in ``detector.py`` settles overlaps.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import lru_cache

from app.redaction.findings import CERTAIN, LIKELY, PhiFinding
from app.redaction.labelled_numbers import CLINICAL_CODE, CODE_SYSTEM_BEFORE, CODE_SYSTEMS, KIND_WORDS_BEFORE, find_labelled_numbers
from app.redaction.lexicon import CLINICAL_WORDS, INSURER_WORDS, lexicon
from app.redaction.place_words import STATE_CODE_SET
from app.redaction.scan import KeywordPattern, TextView, case_insensitive_alternation, find_all, matches_at

# Every pattern opens with a plain character set and checks what precedes with a look-behind
# after it: Python's re then skips ahead quickly (see scan.py).
SSN_SHAPE = re.compile(
    r"[0-9](?<![\w-].)[0-9]{2}(?<!000)(?<!666)(?<!9..)(?P<ssn_separator>[-. ])(?!00)[0-9]{2}(?P=ssn_separator)(?!0000)[0-9]{4}(?![\w-])"
)

# Runs are possessive ("++", "*+") where the character that must follow cannot be in the run: re
# then does not retry every shorter run when, as at nearly every word, no "@" or "." follows.
EMAIL = re.compile(r"[\w.+-](?<![\w.+-].)[\w.+-]*+@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)*\.[A-Za-z]{2,}")

# "@keisha_b": a social-media handle identifies as surely as a URL (not an e-mail: no word before).
SOCIAL_HANDLE = re.compile(r"@(?<![\w.]@)[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")
_TLDS = r"com|org|net|edu|gov|mil|io|us|info|biz|health|care|me|co|app|ly|ai"
URL = re.compile(
    r"[A-Za-z0-9](?<![@\w.-].)(?:"
    r"(?<=[hHfF])(?i:ttps?|tp)://[^\s<>\"'()\[\]]+"
    r"|(?<=[wW])(?i:ww)\.[^\s<>\"'()\[\]]+"
    rf"|[A-Za-z0-9-]*+(?:\.[A-Za-z0-9-]++)*\.(?i:{_TLDS})\b(?:/[^\s<>\"'()\[\]]*)?)",
)
_URL_TRAILING_PUNCTUATION = ".,;:!?"
# The characters an address can have before its "@" and a host name before its top-level domain,
# read backwards from there to find where an address can start (see scan.py).
_EMAIL_NAME_BACKWARDS = re.compile(r"[\w.+-]*")
_HOST_NAME_BACKWARDS = re.compile(r"[A-Za-z0-9.-]*")

# Shapes only; ipaddress validates the candidates.
# A full stop after the fourth group ends a sentence ("logged in from 10.2.3.4."); a digit after it
# makes a fifth group, so no address.
IPV4 = re.compile(r"[0-9](?<![\w.].)[0-9]{0,2}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?!\w|\.[0-9])")
IPV6_CANDIDATE = re.compile(r"[0-9A-Fa-f:](?<![\w:].)(?=[0-9A-Fa-f:.]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:.]{2,44}(?![\w:])")
# Hardware (MAC) addresses: six pairs of hex digits joined by one separator ("00:1A:2B:3C:4D:5E").
MAC_ADDRESS = re.compile(r"[0-9A-Fa-f](?<![\w:-].)[0-9A-Fa-f](?P<sep>[:-])[0-9A-Fa-f]{2}(?:(?P=sep)[0-9A-Fa-f]{2}){4}(?![\w:-])")

# US numbers.  Real exchanges never start with 0 or 1, but made-up and mistyped ones do
# ("(555) 123-4567"), and a missed phone number costs more than a flagged look-alike.
_PHONE_REST = r"[0-9][0-9][0-9][\s.-][0-9]{4}"
_EXTENSION = r"(?:\s*(?:,\s*)?(?i:ext\.?|extension|x)\s*[0-9]{1,5})?"
PHONE = re.compile(
    r"[(+0-9](?<![\w/+.-].)"
    r"(?:(?<=\+)1[\s.-]?|(?<=1)[\s.-]?(?=[(2-9])|(?<=[(0-9])|)"
    r"(?:(?<=\()\s*[0-9][0-9][0-9]\s*\)\s*|\(\s*[0-9][0-9][0-9]\s*\)\s*|(?<=[2-9])[0-9][0-9][\s.-]|[2-9][0-9][0-9][\s.-]"
    # Made-up area codes ("123-456-7890") only in the unmistakable dashed form.
    r"|(?<=[01])[0-9][0-9]-(?=[0-9]{3}-))"
    rf"{_PHONE_REST}{_EXTENSION}(?![\w/-]|\.[0-9])"
)
# Shapes that are only a phone number when a lead-in says so (10 bare digits, 7-digit local).
_PHONE_LEAD_IN = "phone|ph|tel|telephone|cell|mobile|home|work|call|text|contact|reach|fax|pager"
PHONE_BEHIND_LEAD_IN = KeywordPattern(
    _PHONE_LEAD_IN,
    # "call her at", "reach her daughter at", "text the nurse line at": a few small words before "at".
    r"\b\s*(?i:#|no\.?|number|is|at|back\s+at|(?:[a-z]+\s+){1,3}?at)?\s*[:#=-]?\s*"
    rf"(?P<value>(?:\+?1)?[2-9][0-9]{{9}}{_EXTENSION}|[2-9][0-9][0-9][\s.-][0-9]{{4}}{_EXTENSION}"
    # A number written another country's way ("07684 487517", "74 1432-1785", "(030) 1234567"):
    # groups of digits, kept when they hold PHONE_GROUPED_DIGITS digits.
    r"|(?P<grouped>\(?+[0-9]{1,5}+\)?+(?>[ .-]?+[0-9]{2,8}+){1,4}+))(?![\w/-]|\.[0-9])",
)
PHONE_GROUPED_DIGITS = range(9, 16)
FAX_LEAD_IN = re.compile(rf"\b{case_insensitive_alternation('fax(?:ed)?')}\b[^\n\d]{{0,15}}$")

# Lead-in words for each kind of record number, as clinicians abbreviate them.
_LEAD_INS = {
    "MRN": r"mrn|mr\s?#|med(?:ical)?\.?\s*rec(?:ord)?s?|chart|hospital\s+(?:number|no)|emr|ehr|"
    r"unit\s+(?:number|no)|patient\s+(?:id|number|no)|pt\.?\s+(?:id|number|no)",
    "HEALTHPLAN": r"member|medicaid|medicare|mbi|hicn|policy|subscriber|insurance|insurer|miembro|poliza|póliza|afiliado|"
    r"group\s+(?:number|no|#)|health\s*plan|plan\s+(?:id|number)|beneficiary|"
    r"bcbs|ahcccs|chip|tricare|payer|medi-cal",
    "ACCOUNT": r"acct|account|billing|invoice|routing|credit\s+card|card",
    "LICENSE": r"driver'?s?\s+licen[cs]e|licen[cs]e|lic|dl|cdl|dea|certificate|cert",
    "VEHICLE": r"licen[cs]e\s+plates?|plates?|vin|tag\s+(?:number|no|#)|vehicle",
    "DEVICE": r"serial|s/n|sn|device(?:\s+id)?|udi|imei|implant\s+id|pump\s+id|meter\s+id",
    "SSN": r"ssn|ss\s?#|social\s+security(?:\s+number)?|social",
    "ID": r"id|identifier|case|claim|encounter|visit|accession|csn|fin|npi|rx|prescription|i-94|i94|"
    r"tribal(?:\s+(?:id|enrollment|census))?|enrollment|census|passport|employee|badge|"
    r"student|order|specimen|requisition|ticket|reference|ref",
}
# Which label a matched lead-in belongs to; the most specific (longest) lead-in decides.
_LEAD_IN_LABELS = [(label, re.compile(f"(?:{words})", re.IGNORECASE)) for label, words in _LEAD_INS.items()]
_NUMBER_WORD = r"(?i:\s*(?:number|num|nbr|no\.?|nos?\.?|#|id|ids|identifier))"
NUMBER_BEHIND_LEAD_IN = KeywordPattern(
    "|".join(_LEAD_INS.values()),
    r"[.)]?"  # "(passport) S82597919": a lead-in in brackets
    # Optional parts are written "(?:X|)" and "X{0,2}" as "(?:X(?:X|)|)" (see scan.py).
    rf"(?:{_NUMBER_WORD}(?:{_NUMBER_WORD}|)|)"
    r"\s*(?i:is|was|of|=|:|#|-|\.|ending(?:\s+in)?|ends\s+in|last\s+(?:4|four)(?:\s+digits)?(?:\s+(?:are|is))?|)"
    r"\s*(?:#\s*|)(?:(?P<state>[A-Z]{2})\s+(?=[A-Za-z-]*+[0-9])|)"
    # A hyphen joins any group ("4567-ABC-8899"); a space only a group with a digit ("4432 9901").
    # "(?=[A-Za-z-]*+[0-9])" asks for a digit in the run ahead as "(?=[A-Za-z0-9-]*[0-9])" would,
    # without retrying every shorter run when there is none; runs of letters and digits are
    # possessive, since the value can only end before a hyphen or space (or at its very end).
    # Three or four capitals before it are the record's prefix ("MRN CRH 0391-22"), part of the value.
    # So is a licence's one letter before its groups of digits ("CDL M 200 448 917 302").
    r"(?P<value>(?:[A-Z]{3,4}\s(?=[0-9])|[A-Z]\s(?=[0-9]{3}\s[0-9]{3})|)(?=[A-Za-z-]*+[0-9][A-Za-z-]*+[0-9])[A-Za-z0-9]++"
    r"(?:-(?=[A-Za-z0-9])[A-Za-z0-9]++|\s(?=[A-Za-z]*+[0-9])[A-Za-z0-9]++)*)"
    r"(?![\w/%])",
    group="lead",
    before=r"(?<![\w/])",
)
# A number read out digit by digit or in groups with spaces behind its lead-in: "SSN 0 3 1 - 5 5 - 2 2 8 4",
# "SSN 602 - 88 - 4415", "MRN # 4 4 8 2 1 3 9" (seven to fifteen digits in all).
SPACED_DIGITS_BEHIND_LEAD_IN = KeywordPattern(
    "|".join(_LEAD_INS.values()),
    rf"(?:{_NUMBER_WORD}|)\s*(?i:is|was|:|#|-|=|)\s*"
    r"(?P<value>[0-9]{1,4}(?:[ \t]+-?[ \t]*[0-9]{1,4}|-[ \t]+[0-9]{1,4}){2,14})(?![\w/%]|[.,][0-9])",
    group="lead",
    before=r"(?<![\w/])",
)
_SPACED_DIGITS = re.compile(r"[0-9][ \t]+-?[ \t]*[0-9][ \t]+-?[ \t]*[0-9][ \t]+-?[ \t]*[0-9]|[0-9][ \t]+-[ \t]+[0-9]")
_SPACED_VALUE_DIGITS = range(7, 16)
# Plates mix letters and digits in short groups ("123 ABC", "NMX-4421") that the generic value
# shape (two digits in one run) misses.
LICENSE_PLATE = KeywordPattern(
    "plates?|tags?|reg|registration|hull",  # a boat's or a snowmobile's registration too ("reg ME 7412 AB")
    # A few small words may stand between ("the plate on her truck reads 234 HRH"); the value's
    # shape is strict enough to stand alone.
    r"(?:[ \t]+[a-z]+(?:['’]s)?){0,4}?"
    r"(?i:\s*(?:#|no\.?|number))?(?:\s*[:#]|\s+(?i:is|was|reads)|)\s*(?:(?P<state>[A-Z]{2})\s+(?=[A-Z0-9-]*[0-9]))?"
    # One to three groups of capitals and digits, eight characters at most ("5T 14442", "7K 9P6RMG",
    # "DS-075-GO"). Digits alone only when there are five or more ("140-622"; not "tag 2019").
    r"(?P<value>(?=[A-Z0-9 -]*[0-9])(?=[A-Z0-9 -]*[A-Z]|(?:[0-9][ -]?){5})"
    r"(?=[A-Z0-9]{1,8}(?:[ -][A-Z0-9]{1,8}){0,2}(?![\w-]))"
    r"(?=(?:[A-Z0-9][ -]?){2,8}(?![\w-]))[A-Z0-9]{1,8}(?:[ -][A-Z0-9]{1,8}){0,2})(?![\w-])",
)
_YEAR_ONLY = re.compile(r"(?:19|20)[0-9][0-9]")
# The words that can open LICENSE_PLATE ("plates?|tags?"): a set lookup, not its partial-word gate
# (which also passes "stage" and "vintage").
_PLATE_WORDS = frozenset({"plate", "plates", "tag", "tags", "reg", "registration", "hull"})
# A room, bed or locker in a named place ("Magnolia Manor, room 14B", "Bed 212-B", "Locker 17 has her
# meds", "slip D-14", "SALA 4B-12"): a place inside a place, an identifier as the label guide says.
# A ward's room or bed with a number alone ("room 4", "chair 12", "Unit 4") is how a unit points to
# a patient in passing, and writers leave it: there the number must carry a letter.
ROOM_NUMBER = KeywordPattern(
    "room|rm|bed|apt|unit|locker|slip|chair|sala|cuarto|cama|habitaci[oó]n|suite|ste|bunk|dorm|cabin|cabina|cabaña|cabana",
    r"\.?[ \t]*(?:#[ \t]*|(?i:no\.?|number)[ \t]*|)"
    r"(?P<value>(?:[A-WYZ]-?)?[0-9]{1,4}[A-Z]?(?:-[A-Z0-9]{1,4})?)(?![\w/%-]|[.,:][0-9])"
    # not a count or a measure after it ("bed 2 days", "unit 3 mg")
    r"(?![ \t]+(?i:days?|weeks?|hours?|hrs?|mg|mcg|ml|units?|times|x|of|or|to|and)\b)",
    before=r"(?<![\w'’-])",
    group="lead",
)
# A room with its bed is one place's pair, marked whole with its words as writers mark it: "in room
# 214 bed B", "RM 214 BED B", "room 12, bed 2".
ROOM_AND_BED = re.compile(
    r"(?<![\w'’-])(?P<value>(?i:room|rm)\.?[ \t]*#?[ \t]*[0-9]{1,4}[A-Za-z]?[ \t]*[,/-]?[ \t]*(?i:bed)[ \t]*#?[ \t]*"
    r"[A-Za-z0-9]{1,2})(?![\w])")
# Only in a named place, as the pair identifies someone there: "at Chisholm Trail Medical Center", ",
# KATAHDIN VALLEY REHAB", "SHORE HAVEN NURSING CENTER ROOM 12 BED B" (not "Room 214, bed B — SNF resident").
_A_NAMED_PLACE_AFTER = re.compile(r"[ \t]*[,;]?[ \t]*(?:(?i:at|in|of)[ \t]+)?(?:the[ \t]+)?[A-Z][\w'’-]*[ \t]+[A-Z][\w'’-]*")
# A room's number alone names a room in a named place: "to rm 3112 at Bemidji Regional", "Moose Meadow
# Manor in Soldotna, room 118" (not "in room 12 since Tuesday").
_AT_A_NAMED_PLACE = re.compile(r"[ \t]*,?[ \t]*(?i:at|in|of)[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]*[ \t]+[A-Z]")
_A_NAMED_PLACE_BEFORE = re.compile(
    r"(?i:center|centre|home|rehab|nursing|hospital|manor|lodge|villa|village|subacute|snf|alf|living|care)\b[ \t,]*(?:-[ \t]*)?$")
# An immigration file number (A-number): nine digits after "A#", "A-number", "alien number", often
# with its own "A" ("A# A 215 448 907", "A# 214 889 307", "A-number 214889307").
A_NUMBER = re.compile(
    r"(?<![\w'’-])(?:A[ \t]*#|A-?(?i:number|no\.)|(?i:alien|uscis)[ \t]+(?i:number|no\.?|#|reg(?:istration)?))[ \t]*:?[ \t]*"
    r"(?P<value>(?:A[ \t-]?)?[0-9]{3}[ \t-]?[0-9]{3}[ \t-]?[0-9]{3})(?![\w-])")
# A member number right after its plan's name: "INS: MaineCare MC7731190W", "Molina 771200334",
# "SoonerCare B00412345" (a plan named "...Care" or "...Caid", or a listed insurer).
PLAN_THEN_NUMBER = re.compile(
    r"(?<![\w'’-])(?P<plan>[A-Z][A-Za-z]*(?:[Cc]are|[Cc]aid)|[A-Z][a-z]+)[ \t]+(?:#[ \t]*|(?i:id|no\.?)[ \t]*:?[ \t]*|)"
    r"(?P<value>(?=[A-Z0-9-]*?[0-9]{5})[A-Z0-9][A-Z0-9-]{5,}+)(?![\w/%-]|\.[\w])"  # five digits in a row: no year range
)


def _plan_then_number(view: TextView) -> Iterator[PhiFinding]:
    if "care" not in view.lower and "caid" not in view.lower and view.words.isdisjoint(INSURER_WORDS):
        return
    for token in view.tokens:
        if token.lower() in INSURER_WORDS or (token.endswith(("Care", "care", "Caid", "caid")) and token[0].isupper()):
            for start in find_all(view.text, token):
                if (match := PLAN_THEN_NUMBER.match(view.text, start)) and match.group("plan") == token:
                    yield PhiFinding(match.start("value"), match.end("value"), "HEALTHPLAN", LIKELY)


_OWN_ROOM_WORDS = frozenset("apt locker slip bunk suite ste cuarto cama cabin cabina cabaña cabana".split())  # a number alone names it

# Generic shapes that need no label (text written anywhere carries them):
# * a number in international form: "+", a country code, then groups of digits ("+44 20 7946 0958",
#   "+52 55 1234 5678"); E.164 numbers have 8 to 15 digits in all;
#   its groups are matched atomically, so a long run of digits after a "+" fails at once instead of
#   trying every way to split it (3 s for 20,000 characters of "+1111...x" before);
INTERNATIONAL_PHONE = re.compile(
    r"\+(?<![\w+]\+)[1-9][0-9]{0,3}+(?>(?:[\s.-]?+(?:\(0?[0-9]{1,4}\)|[0-9]{1,6}+)){1,6}+)(?![\w])"
)
_PHONE_DIGITS = range(8, 16)
# * a bank account in IBAN form: country, two check digits, groups of letters and digits, checked
#   by its mod-97 sum ("DE89 3704 0044 0532 0130 00");
_IBAN = r"[A-Z][0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?"
# * a postal code of Canada ("K1A 0B1") or the United Kingdom ("SW1A 1AA"), a place smaller than a
#   state as a ZIP code is;
# (With its space: "E4V4M6" is a Glasgow Coma Scale.)
_POSTAL_CODE = (r"(?<=[ABCEGHJ-NPRSTVXY])[0-9][ABCEGHJ-NPRSTV-Z] [0-9][ABCEGHJ-NPRSTV-Z][0-9]"
                r"|[A-Z]?[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}")
_CAPITAL_NOT_IN_A_WORD = r"[A-Z](?<![\w-].)"
IBAN = re.compile(rf"{_CAPITAL_NOT_IN_A_WORD}{_IBAN}(?![\w-])")
POSTAL_CODE = re.compile(rf"{_CAPITAL_NOT_IN_A_WORD}(?:{_POSTAL_CODE})(?![\w-])")
# * a code of letters and digits in hyphen-joined parts with five digits or more ("22-CV-1187",
#   "MRX-20-44817"): a case, claim, lot or file number whatever label it has (or none);
#   "COVID-19", "ICD-10-CM" and "SARS-CoV-2" have too few digits;
DASHED_CODE = re.compile(r"[0-9A-Za-z]++(?:-[0-9A-Za-z]++)++(?![\w-])")
_DASHED_CODE_BACKWARDS = re.compile(r"[0-9A-Za-z-]*")
_DASHED_CODE_FORWARDS = re.compile(r"[0-9A-Za-z-]*")
_DASHED_CODE_DIGITS = 5
_LETTER = re.compile(r"[A-Za-z]")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# * one long run of letters and digits mixed (a wallet address, a token, a tracking number):
#   16 characters or more with at least four of each, no word of any language.
LONG_MIXED = re.compile(r"[0-9A-Za-z](?<![\w-].)[0-9A-Za-z]{15,}+(?![\w-])")
# Whether a text holds such a run at all: letters and digits as "a", the rest as spaces, then one
# substring test (a third of the cost of splitting the text into words, a fifth of a regex scan).
_ALPHANUMERIC_AS_A = {code: "a" if chr(code).isalnum() else " " for code in range(128)}
_LONG_MIXED_LENGTH = 16
_LONG_MIXED_EACH = 4

_MBI_LETTER = "[AC-HJKMNP-RT-Y]"
MEDICARE_MBI = re.compile(
    rf"[1-9](?<![\w-].){_MBI_LETTER}[AC-HJKMNP-RT-Y0-9][0-9]-?{_MBI_LETTER}[AC-HJKMNP-RT-Y0-9][0-9]-?"
    rf"{_MBI_LETTER}{{2}}[0-9][0-9]\b"
)
DEA_SHAPE = re.compile(r"[ABCDEFGHJKLMPRSTUX](?<![\w].)[A-Z9][0-9]{7}\b")
VIN_SHAPE = re.compile(r"[A-HJ-NPR-Z0-9](?<![\w].)[A-HJ-NPR-Z0-9]{16}\b")
_VIN_MIN_LETTERS_AND_DIGITS = 3
# "HP-987654", "CS-9876543": a short capital prefix, a hyphen and five digits or more is a record
# number of some kind wherever it stands ("COVID-19", "ICD-10" have too few digits).
LETTERS_DASH_NUMBER = re.compile(r"[A-Z](?<![\w-].)[A-Z]{0,3}-[0-9]{5,}(?![\w-])")
# Long bare numbers are probably some record number unless a unit or a count follows.
LONG_NUMBER = re.compile(
    r"[0-9](?<![\w.,/-].)[0-9]{6,}(?![\w/-]|[.,][0-9]|\s*(?i:iu|copies|cells|/|mg|mcg|units|per|k\b|x\b|%))"
)
_COUNT_WORDS = r"rna|vl|viral\s+load|load|count|level|titer|copies|quant|pcr|platelets?|plt"
_COUNT_LINKS = r"of|was|is|at|now|down\s+to|up\s+to"
_COUNT_BEFORE = re.compile(
    rf"{case_insensitive_alternation(_COUNT_WORDS)}(?:\s+{case_insensitive_alternation(_COUNT_LINKS)})?\W{{0,3}}$"
)


def _tail(pattern: re.Pattern[str], first: str) -> str:
    """The pattern after its opening character set, to fold several shapes into one scan."""
    assert pattern.pattern.startswith(first), pattern.pattern
    return pattern.pattern[len(first) :]


def _branch(name: str, first: str, pattern: re.Pattern[str]) -> str:
    return f"(?P<{name}>{_tail(pattern, first)})"


# A payment card number written in groups, checked by its Luhn sum: four groups of four (and up to
# three more digits), or American Express's 4-6-5 ("4111 1111 1111 1111", "3782 822463 10005").
# Unbroken, a card number is a long number (LONG_NUMBER) like any other.
CARD_IN_GROUPS = re.compile(
    r"[0-9](?<![\w.-].)[0-9]{3}(?P<card_sep>[ -])(?:[0-9]{4}(?P=card_sep)[0-9]{4}(?P=card_sep)[0-9]{4}"
    r"(?:(?P=card_sep)[0-9]{1,3})?|[0-9]{6}(?P=card_sep)[0-9]{5})(?![\w-]|[.,][0-9])"
)


def _luhn_ok(number: str) -> bool:
    digits = [int(char) for char in number if char.isdigit()]
    total = sum(digits[-1::-2]) + sum(sum(divmod(2 * digit, 10)) for digit in digits[-2::-2])
    return total % 10 == 0


# One scan for every digit- or capital-led shape: each extra pass over a field costs as much as
# the matching itself.  The first character is consumed once; a look-behind checks it looks right
# for the branches after it, once for all the digit-led shapes (a capital fails one test, not
# five).  The branches keep their order: at any position the first shape that matches wins.
FIXED_SHAPES = re.compile(
    # The shared look-behind rejects characters inside words and numbers once, not per branch, and
    # the look-ahead every start no shape can go on from ("Frank", "13,"): its set holds each
    # character that can come second in some shape.
    r"[(+0-9A-Z](?<![\w].)(?=[\s.(0-9A-Z-])(?:"
    rf"(?<=[0-9]){_branch('CARD', '[0-9]', CARD_IN_GROUPS)}"
    rf"|(?<=[(+0-9])(?:{_branch('PHONE', '[(+0-9]', PHONE)}"
    rf"|(?<=[0-9])(?:{_branch('SSN', '[0-9]', SSN_SHAPE)}|{_branch('IPV4', '[0-9]', IPV4)}"
    rf"|(?<=[1-9]){_branch('MBI', '[1-9]', MEDICARE_MBI)}|{_branch('LONG', '[0-9]', LONG_NUMBER)}))"
    rf"|(?<=[ABCDEFGHJKLMPRSTUX]){_branch('DEA', '[ABCDEFGHJKLMPRSTUX]', DEA_SHAPE)}"
    rf"|(?<=[A-HJ-NPR-Z0-9]){_branch('VIN', '[A-HJ-NPR-Z0-9]', VIN_SHAPE)}"
    rf"|(?<=[A-Z]){_branch('CODE', '[A-Z]', LETTERS_DASH_NUMBER)}"
    rf"|(?<=[A-Z])(?<![-].){_branch('IBAN', _CAPITAL_NOT_IN_A_WORD, IBAN)}"
    rf"|(?<=[A-Z])(?<![-].){_branch('POSTAL', _CAPITAL_NOT_IN_A_WORD, POSTAL_CODE)}"
    ")"
)


PHONE_KEYWORDS = frozenset(_PHONE_LEAD_IN.split("|"))
LEAD_IN_KEYWORDS = frozenset(
    """
mrn mr med medical rec record records chart hospital emr ehr unit patient pt member medicaid medicare
mbi hicn policy subscriber insurance insurer group health healthplan plan beneficiary bcbs ahcccs
chip tricare payer acct account billing invoice routing credit card license licence lic driver
drivers dl cdl dea certificate cert plate plates vin tag vehicle serial s sn device udi imei implant
pump meter ssn ss social id identifier case claim encounter visit accession csn fin npi rx
prescription tribal enrollment census passport employee badge student order specimen requisition
ticket reference ref
""".split()
)
_DOT_TLD = re.compile(rf"\.{case_insensitive_alternation(_TLDS)}\b")


# A plan's group number behind "group" alone, when it holds four digits: "group 77120-B", "Group
# 00421-MI" ("group 2 times a week" is none).
GROUP_NUMBER = re.compile(
    r"\b(?i:group|grp)[ \t]*[:#]?[ \t]*(?P<value>[A-Z]{0,4}-?[0-9]{4,}(?:-[A-Z0-9]{1,4})?)(?![\w-])")


def find_fixed_shapes(view: TextView) -> Iterator[PhiFinding]:
    text = view.text
    if view.has_digit and ("group" in view.words or "grp" in view.words):
        for match in GROUP_NUMBER.finditer(text):
            yield PhiFinding(match.start("value"), match.end("value"), "HEALTHPLAN", LIKELY)
    if view.has_digit:
        # Numbers behind a lead-in first: where a shape says one thing ("325-65-6488" is an SSN)
        # and the lead-in another ("serial 325-65-6488"), the lead-in's label wins the tie.
        if view.has_any(PHONE_KEYWORDS):
            yield from _find_phones_behind_lead_ins(view)
        if view.has_any(LEAD_IN_KEYWORDS) or "I-94" in text or "I94" in text:  # an arrival record's number
            yield from _find_numbers_behind_lead_ins(view)
            if _SPACED_DIGITS.search(text):
                for match in SPACED_DIGITS_BEHIND_LEAD_IN.finditer(view):
                    if sum(char.isdigit() for char in match.group("value")) in _SPACED_VALUE_DIGITS:
                        yield PhiFinding(match.start("value"), match.end("value"), _lead_in_label(match.group("lead")), LIKELY)
        yield from find_labelled_numbers(view)
        if not view.words.isdisjoint(_PLATE_WORDS):
            for match in LICENSE_PLATE.finditer(view):
                # Two capitals before the plate are its state ("NM ABC-1234") or part of it ("LE 63215"):
                # either way they are read with it, as a plate is written and read out.
                start = match.start("value") if match.group("state") is None else match.start("state")
                yield PhiFinding(start, match.end("value"), "VEHICLE", CERTAIN)
        yield from _find_shapes(text)
        yield from _plan_then_number(view)
        if ROOM_NUMBER.occurs_in(view):
            if "bed" in view.words and ("room" in view.words or "rm" in view.words):
                for match in ROOM_AND_BED.finditer(text):
                    if _A_NAMED_PLACE_AFTER.match(text, match.end()) or _A_NAMED_PLACE_BEFORE.search(
                            text, max(0, match.start() - 48), match.start()):
                        yield PhiFinding(match.start("value"), match.end("value"), "ID", LIKELY)
            for match in ROOM_NUMBER.finditer(view):
                if (not match.group("value").isdigit() or match.group("lead").lower() in _OWN_ROOM_WORDS
                        or _AT_A_NAMED_PLACE.match(text, match.end("value"))
                        or _A_NAMED_PLACE_BEFORE.search(text, max(0, match.start() - 48), match.start())):
                    yield PhiFinding(match.start("value"), match.end("value"), "ID", LIKELY)
    if view.has_digit and ("A#" in text or "A-" in text or "alien" in view.words or "uscis" in view.words):
        for match in A_NUMBER.finditer(text):
            yield PhiFinding(match.start("value"), match.end("value"), "ID", CERTAIN)
    if USERNAME.occurs_in(view):
        yield from _find_usernames(view)
    if CARD_AND_BANK_CODE.occurs_in(view):
        for match in CARD_AND_BANK_CODE.finditer(view):
            yield PhiFinding(match.start("value"), match.end("value"), "ACCOUNT", CERTAIN)
    if view.has_digit and NATIONAL_INSURANCE_NUMBER.occurs_in(view):
        for match in NATIONAL_INSURANCE_NUMBER.finditer(view):
            yield PhiFinding(match.start("value"), match.end("value"), "SSN", CERTAIN)
    if "@" in text:
        yield from _find_emails(view)
        for match in SOCIAL_HANDLE.finditer(text):
            yield PhiFinding(match.start(), match.end(), "ID", LIKELY)
    if "://" in text or "www" in view.words or _DOT_TLD.search(text):
        yield from _find_urls(view)
    if "::" in text or text.count(":") >= 7:
        yield from _find_ipv6(text)
    if view.has_digit:
        yield from _find_generic_shapes(view)
    yield from find_phones_in_words(view)


def _find_generic_shapes(view: TextView) -> Iterator[PhiFinding]:
    """International phone numbers, MAC addresses, long hyphenated codes and long mixed runs:
    shapes, checked where a check exists, with no label (IBANs and postal codes are found with
    the other shapes that open with a capital, in FIXED_SHAPES)."""
    text = view.text
    if "+" in text:
        for match in matches_at(INTERNATIONAL_PHONE, text, find_all(text, "+")):
            if sum(char.isdigit() for char in match.group()) in _PHONE_DIGITS:
                yield PhiFinding(match.start(), match.end(), _phone_label(text, match.start()), CERTAIN)
    if text.count(":") >= 5 or text.count("-") >= 5:
        for match in MAC_ADDRESS.finditer(text):
            yield PhiFinding(match.start(), match.end(), "DEVICE", CERTAIN)
    # Five digits or more in hyphen-joined parts: some hyphen has a digit beside it ("follow-up",
    # "x-ray" and most other hyphens have none, and cost no regex).
    dashes = [dash for dash in find_all(text, "-") if _digit_beside(text, dash)] if "-" in text else ()
    if dashes:
        # Each run of letters, digits and hyphens is measured once, however many hyphens it has.
        starts, run_end = [], -1
        for dash in dashes:
            if dash < run_end:
                continue
            starts.append(view.run_start(dash, _DASHED_CODE_BACKWARDS))
            run_end = _DASHED_CODE_FORWARDS.match(text, dash).end()
        for match in matches_at(DASHED_CODE, text, starts):
            code = match.group()
            # Letters only at the end are a unit or a word ("1000-1500mg", "200-350cells").
            if sum(char.isdigit() for char in code) >= _DASHED_CODE_DIGITS and _LETTER.search(code.rstrip(_LETTERS)):
                yield PhiFinding(match.start(), match.end(), "ID", LIKELY)
    if len(text) >= _LONG_MIXED_LENGTH and "a" * _LONG_MIXED_LENGTH in text.translate(_ALPHANUMERIC_AS_A):
        for match in LONG_MIXED.finditer(text):
            run = match.group()
            digits = sum(char.isdigit() for char in run)
            if digits >= _LONG_MIXED_EACH and len(run) - digits >= _LONG_MIXED_EACH:
                yield PhiFinding(match.start(), match.end(), "ID", LIKELY)


def _digit_beside(text: str, position: int) -> bool:
    return (position > 0 and text[position - 1].isdigit()) or text[position + 1 : position + 2].isdigit()


def _iban_checksum_ok(candidate: str) -> bool:
    """ISO 13616: the country and check digits moved to the end, letters as 10-35, mod 97 is 1."""
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _find_shapes(text: str) -> Iterator[PhiFinding]:
    for match in FIXED_SHAPES.finditer(text):
        kind, start, end = match.lastgroup, match.start(), match.end()
        candidate = match.group()
        if kind == "PHONE":
            yield PhiFinding(start, end, _phone_label(text, start), CERTAIN)
        elif kind == "CARD":
            if _luhn_ok(candidate):
                yield PhiFinding(start, end, "ACCOUNT", CERTAIN)
        elif kind in ("SSN", "MBI"):
            yield PhiFinding(start, end, "SSN" if kind == "SSN" else "HEALTHPLAN", CERTAIN)
        elif kind == "IPV4" and _is_ipv4(candidate):
            yield PhiFinding(start, end, "IP", CERTAIN)
        elif kind == "LONG" and not _COUNT_BEFORE.search(text, max(0, start - 20), start):
            yield PhiFinding(start, end, "ID", LIKELY)
        elif kind == "DEA" and dea_checksum_ok(candidate):
            yield PhiFinding(start, end, "LICENSE", CERTAIN)
        elif kind == "VIN" and _is_vin(candidate):
            yield PhiFinding(start, end, "VEHICLE", CERTAIN)
        elif kind == "IBAN" and _iban_checksum_ok(candidate):
            yield PhiFinding(start, end, "ACCOUNT", CERTAIN)
        elif kind == "POSTAL":
            yield PhiFinding(start, end, "LOCATION", LIKELY)
        elif kind == "CODE":
            plan = KIND_WORDS_BEFORE.search(text, max(0, start - 24), start)
            yield PhiFinding(start, end, "HEALTHPLAN" if plan else "ID", CERTAIN if plan else LIKELY)


def _find_emails(view: TextView) -> Iterator[PhiFinding]:
    # An address starts where the run of name characters before its "@" starts (see scan.py).
    starts = [view.run_start(at, _EMAIL_NAME_BACKWARDS) for at in find_all(view.text, "@")]
    for match in matches_at(EMAIL, view.text, starts):
        yield PhiFinding(match.start(), match.end(), "EMAIL", CERTAIN)


def _url_starts(view: TextView) -> list[int]:
    """Every position where a web address can start: before "http://", "https://", "ftp://" (and
    the like), at "www.", or where the run of host-name characters before a ".com" starts."""
    starts = [start for scheme in find_all(view.text, "://") for start in (scheme - 5, scheme - 4, scheme - 3)]
    starts += find_all(view.lower, "www.")
    starts += (view.run_start(dot.start(), _HOST_NAME_BACKWARDS) for dot in _DOT_TLD.finditer(view.text))
    return sorted({start for start in starts if start >= 0})


def _find_urls(view: TextView) -> Iterator[PhiFinding]:
    text = view.text
    for match in matches_at(URL, text, _url_starts(view)):
        end = match.end()
        while end > match.start() and text[end - 1] in _URL_TRAILING_PUNCTUATION:
            end -= 1
        yield PhiFinding(match.start(), end, "URL", CERTAIN)


def _is_ipv4(candidate: str) -> bool:
    try:
        ipaddress.IPv4Address(candidate)
    except ValueError:
        return False
    return True


def _is_vin(candidate: str) -> bool:
    digits = sum(char.isdigit() for char in candidate)
    return min(digits, len(candidate) - digits) >= _VIN_MIN_LETTERS_AND_DIGITS


def _find_ipv6(text: str) -> Iterator[PhiFinding]:
    for match in IPV6_CANDIDATE.finditer(text):
        candidate = match.group().rstrip(".")  # a full stop after the address ends the sentence
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        yield PhiFinding(match.start(), match.start() + len(candidate), "IP", CERTAIN)


# A phone number read out in words, as people dictate it: "five oh five, five five five, oh one
# eight two", "eight oh eight five five three five three one one": ten or eleven digit words.
# Digits, teens and tens in English and Spanish ("four oh six, three five three, twenty-two eighteen",
# "tres cero uno, ocho cinco cuatro, diecinueve cero dos"); a run of them is a phone number when it
# reads as ten digits (eleven with a leading 1).
_DIGITS_OF_A_WORD = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                     "six": "6", "seven": "7", "eight": "8", "nine": "9",
                     "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6",
                     "siete": "7", "ocho": "8", "nueve": "9",
                     "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
                     "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
                     "diez": "10", "doce": "12", "trece": "13", "catorce": "14", "quince": "15", "dieciseis": "16",
                     "diecisiete": "17", "dieciocho": "18", "diecinueve": "19"}
# A ten before a digit gives its first digit ("twenty-two" is 22), alone both ("twenty" is 20).
_TENS_OF_A_WORD = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7", "eighty": "8",
                   "ninety": "9", "veinte": "2", "treinta": "3", "cuarenta": "4", "cincuenta": "5", "sesenta": "6",
                   "setenta": "7", "ochenta": "8", "noventa": "9"}
_DIGIT_WORD = "(?:" + "|".join(sorted(set(_DIGITS_OF_A_WORD) | set(_TENS_OF_A_WORD), key=len, reverse=True)) + ")"
_DIGIT_WORD_GAP = r"(?:[ \t]*[,.-][ \t]*|[ \t]+)"
PHONE_IN_WORDS = re.compile(
    rf"(?<![\w'’-])(?i:{_DIGIT_WORD}(?:{_DIGIT_WORD_GAP}{_DIGIT_WORD}){{5,10}})(?![\w'’-])"
    # an area code spoken, the number written: "five-oh-five, 555 0142", "four one five 555-0133"
    rf"|(?<![\w'’-])(?i:{_DIGIT_WORD}(?:{_DIGIT_WORD_GAP}{_DIGIT_WORD}){{2}})[ \t]*,?[ \t]*"
    r"[2-9][0-9]{2}[ .-]?[0-9]{4}(?![0-9])"
)
_DIGIT_WORDS = frozenset(_DIGITS_OF_A_WORD) - {"o"}  # "o" alone is no word to look for
_PHONE_GAP = r"(?:[ \t]*[,.~/)-][ \t]*|[ \t]+|\))"
_PHONE_UNIT = rf"\(?(?:[0-9]{{7}}|[0-9]{{1,5}}|(?i:{_DIGIT_WORD}))"  # "786 5550123", "(670)433 91020"
# A number typed as it is read out, in digits and words and groups of any size, after a word that
# asks to call: "call me back six oh five 747 3318", "cell 605 856 4 4 1 8", "cousin 808 696 two two one
# eight", "cel 207~689~5530", "(239)657-88-41".  Ten digits in all (eleven with a leading 1).
SPOKEN_PHONE = KeywordPattern(
    "call|calls|cell|cel|ph|phone|tel|text|txt|number|contact|reach|celular|whatsapp",
    # "call me back at", "call colt at" (not "at" alone: it starts too many words to look at each)
    rf"(?:[ \t]*[:#]|[ \t]+(?i:me|him|her|them|back|at|on|is|his|mom|dad)\b)*(?:[ \t]+[A-Za-z][a-z'’]+[ \t]+(?i:at)\b)?[ \t]*[:#]?[ \t]*"
    rf"(?P<number>{_PHONE_UNIT}\)?(?:{_PHONE_GAP}{_PHONE_UNIT}){{2,11}})(?![\w'’-]|[.,][0-9])",
    before=r"(?<![\w'’-])",
)
# Without a word that asks to call, a number read out so opens with its area code and mixes digits
# and words or groups of odd sizes: "Cousin Tosiwo 808 696 two two one eight", "nieto Yunior
# (239)657-88-41", "new # eight oh eight, 668, 3122".
_MIXED_PHONE_REST = rf"(?:{_PHONE_GAP}{_PHONE_UNIT}){{1,8}}(?![\w'’-]|[.,][0-9])"
# Each opens with a plain character set (see scan.py): an area code in digits, "(239)" or "808"; or in
# words, tried only where a digit word starts.
MIXED_PHONE = re.compile(
    rf"[(2-9](?<![\w'’.,/-].)(?:(?<=\()[2-9][0-9]{{2}}(?=\))|(?<=[2-9])[0-9]{{2}}){_MIXED_PHONE_REST}"
)
MIXED_PHONE_IN_WORDS = KeywordPattern(
    "|".join(sorted(_DIGIT_WORDS)),
    rf"(?:{_PHONE_GAP}(?i:{_DIGIT_WORD})){{2}}\)?{_MIXED_PHONE_REST}",
    before=r"(?<![\w'’.,/-])",
)
def _spoken_phone_digits(number: str) -> str:
    tokens = [token.lower() for token in re.findall(r"[0-9]+|[A-Za-z]+", number)]
    digits = []
    for index, token in enumerate(tokens):
        if token in _TENS_OF_A_WORD:
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            single = _DIGITS_OF_A_WORD.get(following, "")
            digits.append(_TENS_OF_A_WORD[token] + ("" if len(single) == 1 and single != "0" else "0"))
        else:
            digits.append(_DIGITS_OF_A_WORD.get(token, token))
    return "".join(digits)


def find_phones_in_words(view: TextView) -> Iterator[PhiFinding]:
    if len(view.words & _DIGIT_WORDS) >= 2:  # a number spelt out uses three digits at least ("five-oh-five")
        for match in PHONE_IN_WORDS.finditer(view.text):
            if _is_a_phone_number(match.group()):
                yield PhiFinding(match.start(), match.end(), _phone_label(view.text, match.start()), CERTAIN)
    if not view.has_digit:
        return
    if SPOKEN_PHONE.occurs_in(view):
        for match in SPOKEN_PHONE.finditer(view):
            number = match.group("number")
            first = re.match(r"\(?([0-9]+)", number)
            # an area code of three digits, or digits read out one by one ("ph # is 4 one 7 - 5 5 5 - 0 1 9 2")
            if _is_a_phone_number(number) and (first is None or len(first.group(1)) in (1, 3)):
                yield PhiFinding(match.start("number"), match.end("number"), _phone_label(view.text, match.start()), LIKELY)
    # "530 five five five 0 1 7 8", "978 555 01 39", "417 . 778 . 2046": an area code, then groups of any size
    for match in MIXED_PHONE.finditer(view.text):
        if _is_a_phone_number(match.group()):
            yield PhiFinding(match.start(), match.end(), _phone_label(view.text, match.start()), LIKELY)
    if len(view.words & _DIGIT_WORDS) >= 2:
        for match in MIXED_PHONE_IN_WORDS.finditer(view):
            if _is_a_phone_number(match.group()):
                yield PhiFinding(match.start(), match.end(), _phone_label(view.text, match.start()), LIKELY)


def _is_a_phone_number(number: str) -> bool:
    digits = _spoken_phone_digits(number)
    return (digits.isdigit() and (len(digits) == 10 or len(digits) == 11 and digits[0] == "1") and digits[-10] != "0"
            and digits not in _COUNTING)


_COUNTING = "012345678910111213"  # "one two three ... ten": counted, not dialled


def _phone_label(text: str, start: int) -> str:
    return "FAX" if FAX_LEAD_IN.search(text, max(0, start - 20), start) else "PHONE"


def _find_phones_behind_lead_ins(view: TextView) -> Iterator[PhiFinding]:
    for match in PHONE_BEHIND_LEAD_IN.finditer(view):
        grouped = match.group("grouped")
        if grouped and sum(char.isdigit() for char in grouped) not in PHONE_GROUPED_DIGITS:
            continue
        start, end = match.span("value")
        yield PhiFinding(start, end, _phone_label(view.text, start), CERTAIN)


# A user name after its label ("portal username tinaallen", "login: j.smith_22", "handle is
# @kbegay"): any run of name characters that is no English word, or that holds a digit or a mark.
USERNAME = KeywordPattern(
    r"username|user\s+name|userid|user\s+id|login|log-in|handle|screenname|screen\s+name|gamertag",
    r"\b\s*(?:[:=#-]\s*|(?i:is|was)\s+|)(?P<value>@?[A-Za-z0-9_][A-Za-z0-9._-]{2,39}(?<![.-]))(?![\w@-])",
)


# A card's security code after its label ("CVV 514", "CVC: 0911") and a bank's SWIFT/BIC code
# ("SWIFT code NZOGGBCY1QA": four letters of the bank, two of the country, two of the place, an
# optional branch of three).
CARD_AND_BANK_CODE = KeywordPattern(
    r"cvv2?|cvc2?|security\s+code|swift|bic",  # not "CID": chemotherapy-induced diarrhoea has grades
    r"\b(?i:\s+(?:code|number|no\.?|#))?\s*(?:[:#]\s*|(?i:is)\s+|)"
    r"(?P<value>(?<=[\s:#])(?:[0-9]{3,4}|[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?))(?![\w-])",
)


# A UK National Insurance number (two letters, three pairs of digits, a letter: "QQ 12 34 56 C")
# after an SSN or national insurance label, the way generic PII text files it.
NATIONAL_INSURANCE_NUMBER = KeywordPattern(
    r"ssn|social\s+security|national\s+insurance|nino|ni\s+number|ni\s+no",
    r"\b(?i:\s+(?:number|no\.?|#))?\s*(?:[:#]\s*|(?i:is)\s+|)"
    r"(?P<value>[A-Z]{2}[ ]?[0-9]{2}[ ]?[0-9]{2}[ ]?[0-9]{2}[ ]?[A-Z])(?![\w-])",
)


def _find_usernames(view: TextView) -> Iterator[PhiFinding]:
    words = lexicon()
    for match in USERNAME.finditer(view):
        value = match.group("value")
        bare = value.lstrip("@")
        parts = [part for part in re.split(r"[-._]", bare) if part]
        if all(part.isalpha() and (words.is_plain_word(part.lower()) or part.lower() in CLINICAL_WORDS)
               for part in parts):
            continue  # "handle is fine", "login was reset", "how to handle take-home doses"
        yield PhiFinding(match.start("value"), match.end("value"), "ID", CERTAIN if not bare.isalpha() else LIKELY)


def dea_checksum_ok(number: str) -> bool:
    digits = [int(d) for d in number[2:]]
    total = digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5])
    return total % 10 == digits[6]


def _find_numbers_behind_lead_ins(view: TextView) -> Iterator[PhiFinding]:
    for match in NUMBER_BEHIND_LEAD_IN.finditer(view):
        value = match.group("value")
        if len(value) < 4 or _YEAR_ONLY.fullmatch(value) or CLINICAL_CODE.fullmatch(value):
            continue  # "OUD case. 29yoM": an age and sex after a word that can lead to a number
        if (CODE_SYSTEM_BEFORE.search(view.text, max(0, match.start("value") - 12), match.start("value"))
                or _CODE_SYSTEM_PREFIX.match(value)):
            continue  # "claim: CPT 99214", "Billing: CPT 99214": a code of a medical vocabulary
        start, end = match.span("value")
        label = _lead_in_label(match.group("lead"))
        if label == "LICENSE" and match.group("state") in STATE_CODE_SET:
            start = match.start("state")  # "DL AK 7720183": a licence is read with its state, as a plate is
        yield PhiFinding(start, end, label, CERTAIN)


_CODE_SYSTEM_PREFIX = re.compile(rf"{CODE_SYSTEMS}[ \t]")


@lru_cache(maxsize=1024)  # the same few lead-ins ("MRN", "Medicaid #") recur in every field
def _lead_in_label(lead_in: str) -> str:
    return next(label for label, pattern in _LEAD_IN_LABELS if pattern.fullmatch(lead_in))
