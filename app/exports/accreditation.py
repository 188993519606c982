"""Accreditor uploads: ACCME PARS learner completion, the yearly activity summary and NABP CPE
Monitor rows, plus the checks on the learner fields they need. Pure: no database, no web.

Layouts and their sources: docs/accreditation-formats.md. The official PARS "Learner Template B"
column order and the CPE Monitor file specification were NOT FOUND; the layouts below use the
field names the published guidance lists, in a fixed documented order, with a header row."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.exports.spreadsheet import BOM, FORMULA_STARTS, guard  # noqa: F401  (BOM, FORMULA_STARTS: callers use fmt.*)

# 50 states, DC and the territories (USPS codes), the list a state medical or pharmacy board uses.
US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}

# Certifying boards that take CME-for-MOC / continuing-certification data through PARS.
BOARDS: dict[str, str] = {
    "ABA": "American Board of Anesthesiology",
    "ABFM": "American Board of Family Medicine",
    "ABIM": "American Board of Internal Medicine",
    "ABO": "American Board of Ophthalmology",
    "ABOHNS": "American Board of Otolaryngology - Head and Neck Surgery",
    "ABP": "American Board of Pediatrics",
    "ABPath": "American Board of Pathology",
    "ABPMR": "American Board of Physical Medicine and Rehabilitation",
    "ABS": "American Board of Surgery",
    "ABTS": "American Board of Thoracic Surgery",
}

PARTICIPANT_TYPES: dict[str, str] = {
    "physician": "Physician (MD, DO)",
    "other": "Other clinician or learner",
    "pharmacist": "Pharmacist",
    "technician": "Pharmacy technician",
}
CPE_LETTER = {"pharmacist": "P", "technician": "T"}

DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
UAN_SHAPE = re.compile(r"\d{4}-\d{4}-\d{2}-\d{3}-[LHB]\d{2}-[PT]")
ACTIVITY_ID_SHAPE = re.compile(r"[A-Za-z0-9_.\-]{1,50}")



def npi_ok(npi: str) -> bool:
    """Ten digits whose last is the Luhn check digit over the digits prefixed with 80840 (CMS)."""
    if not re.fullmatch(r"\d{10}", npi or ""):
        return False
    digits = [int(d) for d in "80840" + npi]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def birth_mmdd(month: int | None, day: int | None) -> str:
    """MMDD, or "" when either part is missing. Never a year."""
    return f"{month:02d}{day:02d}" if month and day else ""


def valid_month_day(month: int, day: int) -> bool:
    """A real calendar day in some year (29 February allowed)."""
    return month in DAYS_IN_MONTH and 1 <= day <= DAYS_IN_MONTH[month]


def eprofile_ok(value: str) -> bool:
    """NABP e-Profile IDs are numeric (6 to 9 digits in practice)."""
    return bool(re.fullmatch(r"\d{6,9}", value or ""))


@dataclass
class LearnerFieldsForm:
    first_name: str = ""
    last_name: str = ""
    certifying_board: str = ""
    licence_state: str = ""
    licence_number: str = ""
    participant_type: str = ""


def clean_learner_fields(form: LearnerFieldsForm) -> tuple[dict[str, str], dict[str, str]]:
    """(values to store, errors by field). Nothing is guessed: an empty field stays empty."""
    values = {name: str(getattr(form, name) or "").strip() for name in LearnerFieldsForm.__dataclass_fields__}
    values["licence_state"] = values["licence_state"].upper()
    errors: dict[str, str] = {}
    for name in ("first_name", "last_name"):
        if len(values[name]) > 100:
            errors[name] = "Use at most 100 characters."
        elif values[name] and not re.search(r"[^\W\d_]", values[name]):
            errors[name] = "A name needs at least one letter."
    if values["certifying_board"] and values["certifying_board"] not in BOARDS:
        errors["certifying_board"] = "Choose your certifying board from the list (or none)."
    if values["licence_state"] and values["licence_state"] not in US_STATES:
        errors["licence_state"] = "Choose the state or territory of your licence from the list."
    if len(values["licence_number"]) > 40 or (values["licence_number"]
                                              and not re.fullmatch(r"[A-Za-z0-9.\-/ ]+", values["licence_number"])):
        errors["licence_number"] = "A licence number is at most 40 letters, digits, dots, dashes or slashes."
    if values["licence_number"] and not values["licence_state"]:
        errors["licence_state"] = "Choose the state that issued this licence."
    if values["licence_state"] and not values["licence_number"]:
        errors["licence_number"] = "Give the licence number for that state, or clear the state."
    if values["participant_type"] and values["participant_type"] not in PARTICIPANT_TYPES:
        errors["participant_type"] = "Choose your profession from the list."
    return values, errors


def split_full_name(full_name: str) -> tuple[str, str]:
    """A prefill suggestion for the form only (shown, never stored unasked): the last word is the
    last name. Returns ("", "") when there is a single word, rather than guessing."""
    parts = full_name.split()
    if len(parts) < 2:
        return "", ""
    return " ".join(parts[:-1]), parts[-1]


# ---- rows --------------------------------------------------------------------------------------

@dataclass
class Learner:
    """The reporting view of one user (consent decides whether identifiers may leave)."""
    user_id: int
    email: str
    full_name: str
    first_name: str
    last_name: str
    participant_type: str
    consent: bool
    npi: str
    certifying_board: str
    board_id: str
    birth_month: int | None
    birth_day: int | None
    licence_state: str
    licence_number: str
    nabp_eprofile_id: str


@dataclass
class Completion:
    """One learner's credit in one PARS activity (an RSS: every session of the period)."""
    learner: Learner
    last_date: date
    credits: dict[str, Decimal] = field(default_factory=dict)
    sessions: int = 0


PARS_COLUMNS = [
    "Provider Activity ID", "Learner First Name", "Learner Last Name", "NPI", "Certifying Board", "Board ID",
    "Date of Birth (MMDD)", "State of Licensure", "License Number", "Completion Date", "AMA PRA Category 1 Credits",
    "Other Credits", "MOC Points",
]
CPE_COLUMNS = [
    "NABP e-Profile ID", "Date of Birth (MMDD)", "ACPE UAN", "Participant Type", "Learner First Name",
    "Learner Last Name", "Date of Participation", "Contact Hours",
]
SUMMARY_COLUMNS = ["Year", "Program", "Sessions", "Learners", "Physicians", "Other Learners",
                   "AMA PRA Category 1 Credits", "Other Credits", "Total Credits"]
MISSING_COLUMNS = ["Learner", "E-mail", "Export", "Missing or excluded"]


def us_date(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def pars_missing(learner: Learner) -> list[str]:
    """What keeps a physician's completion out of the PARS upload (empty: ready)."""
    missing = []
    if learner.participant_type != "physician":
        missing.append("participant type (profile)" if not learner.participant_type
                       else f"not a physician ({PARTICIPANT_TYPES.get(learner.participant_type, '?')})")
        return missing
    if not learner.consent:
        missing.append("consent to report")
    if not learner.first_name:
        missing.append("first name")
    if not learner.last_name:
        missing.append("last name")
    if not birth_mmdd(learner.birth_month, learner.birth_day):
        missing.append("birth month and day")
    has_board = bool(learner.certifying_board and learner.board_id)
    if learner.certifying_board and not learner.board_id:
        missing.append(f"{learner.certifying_board} board ID")
    elif not has_board and not npi_ok(learner.npi):
        missing.append("NPI or certifying board and board ID")
    if not learner.certifying_board and not (learner.licence_state and learner.licence_number):
        # State medical board reporting (no MOC board) identifies the physician by licence.
        missing.append("state of licensure and license number")
    return missing


def pars_row(activity_id: str, completion: Completion) -> list[str]:
    learner, credits = completion.learner, completion.credits
    ama = credits.get("ama_pra_1", Decimal("0"))
    other = sum((v for k, v in credits.items() if k != "ama_pra_1"), Decimal("0"))
    moc = _amount(ama) if learner.certifying_board and ama else ""
    return [activity_id, learner.first_name, learner.last_name, learner.npi if npi_ok(learner.npi) else "",
            learner.certifying_board, learner.board_id, birth_mmdd(learner.birth_month, learner.birth_day),
            learner.licence_state, learner.licence_number, us_date(completion.last_date),
            _amount(ama) if ama else "", _amount(other) if other else "", moc]


def cpe_missing(learner: Learner, uan: str) -> list[str]:
    if learner.participant_type not in CPE_LETTER:
        return ["participant type pharmacist or technician (profile)" if not learner.participant_type
                else "not a pharmacist or technician"]
    missing = []
    if CPE_LETTER[learner.participant_type] != uan[-1]:
        missing.append(f"a UAN ending in -{CPE_LETTER[learner.participant_type]} (this file is for -{uan[-1]})")
    if not learner.consent:
        missing.append("consent to report")
    if not eprofile_ok(learner.nabp_eprofile_id):
        missing.append("NABP e-Profile ID")
    if not birth_mmdd(learner.birth_month, learner.birth_day):
        missing.append("birth month and day")
    return missing


def cpe_row(uan: str, learner: Learner, day: date, credits: Decimal) -> list[str]:
    return [learner.nabp_eprofile_id, birth_mmdd(learner.birth_month, learner.birth_day), uan,
            CPE_LETTER[learner.participant_type], learner.first_name, learner.last_name, us_date(day), _amount(credits)]


def summary_row(year: int, program: str, sessions: int, learners: int, physicians: int, ama: Decimal,
                other: Decimal) -> list[str]:
    return [str(year), program, str(sessions), str(learners), str(physicians), str(learners - physicians),
            _amount(ama), _amount(other), _amount(ama + other)]


def csv_line(values: Iterable[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([guard(v) for v in values])
    return out.getvalue()


def tab_line(values: Iterable[object]) -> str:
    """A tab-delimited record: tabs and line breaks inside a value become spaces (PARS has no quoting)."""
    return "\t".join(guard(re.sub(r"[\t\r\n]+", " ", str(v or ""))) for v in values) + "\r\n"
