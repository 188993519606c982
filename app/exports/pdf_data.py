"""Plain inputs of the PDF exports, and the standard CME/CE statement wording.

These dataclasses hold values only (str, int, Decimal, date): the renderer never sees an ORM
object, so a template cannot lazy-load or reach anything the caller did not hand over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

CreditType = Literal["ama_pra_1", "nursing", "pharmacy", "participation"]
CREDIT_TYPES: tuple[str, ...] = ("ama_pra_1", "nursing", "pharmacy", "participation")

# AMA PRA credit (and the contact hours derived from attended minutes) moves in quarter hours.
CREDIT_STEP = Decimal("0.25")

# The AMA spells the designation with the literal "(s)"; kept verbatim so the statement matches
# what accreditors expect to read.
AMA_CREDIT_MARK = "AMA PRA Category 1 Credit(s)™"

CREDIT_UNIT_LABELS: dict[str, str] = {
    "ama_pra_1": "AMA PRA Category 1 Credit™",
    "nursing": "Nursing contact hours",
    "pharmacy": "Pharmacy contact hours (ACPE)",
    "participation": "Hours of participation",
}


def format_credits(value: Decimal) -> str:
    """1 -> "1", 1.50 -> "1.5", 0.125 -> "0.125": no trailing zeros, never exponent notation."""
    return f"{Decimal(value).normalize():f}"


def check_credits(value: Decimal, *, what: str = "credits") -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(value).__name__}")
    if value < 0 or value % CREDIT_STEP != 0:
        raise ValueError(f"{what} must be a non-negative multiple of {CREDIT_STEP}, got {value}")


def check_credit_type(credit_type: str) -> None:
    if credit_type not in CREDIT_TYPES:
        raise ValueError(f"unknown credit type {credit_type!r}; expected one of {CREDIT_TYPES}")


@dataclass(frozen=True)
class Statements:
    accreditation: str
    designation: str


def default_statements(provider_name: str, credit_type: str, max_credits: Decimal) -> Statements:
    """The standard accreditation and designation wording (DOMAIN.md §4, statement patterns).

    `max_credits` is the maximum for the activity as designated (for a regularly scheduled
    series: the whole series), not what one learner earned.
    """
    check_credit_type(credit_type)
    check_credits(max_credits, what="max_credits")
    if credit_type == "nursing":
        return _nursing_statements(provider_name, max_credits)
    if credit_type == "pharmacy":
        return _pharmacy_statements(provider_name, max_credits)
    # Physicians and everyone else: the activity's designation is the AMA one; a certificate of
    # participation quotes it so other professions can ask their board whether it counts.
    return _physician_statements(provider_name, max_credits)


def _physician_statements(provider_name: str, max_credits: Decimal) -> Statements:
    return Statements(
        accreditation=(
            f"{provider_name} is accredited by the Accreditation Council for Continuing Medical "
            "Education (ACCME) to provide continuing medical education for physicians."
        ),
        designation=(
            f"{provider_name} designates this live activity for a maximum of "
            f"{format_credits(max_credits)} {AMA_CREDIT_MARK}. Physicians should claim only the "
            "credit commensurate with the extent of their participation in the activity."
        ),
    )


def _nursing_statements(provider_name: str, max_credits: Decimal) -> Statements:
    return Statements(
        accreditation=(
            f"{provider_name} is accredited as a provider of nursing continuing professional "
            "development by the American Nurses Credentialing Center's Commission on "
            "Accreditation."
        ),
        designation=(
            f"This activity awards a maximum of {format_credits(max_credits)} nursing contact "
            "hours."
        ),
    )


def _pharmacy_statements(provider_name: str, max_credits: Decimal) -> Statements:
    # ACPE counts both ways: 1 contact hour = 0.1 CEU.
    return Statements(
        accreditation=(
            f"{provider_name} is accredited by the Accreditation Council for Pharmacy Education "
            "(ACPE) as a provider of continuing pharmacy education."
        ),
        designation=(
            f"This live activity provides a maximum of {format_credits(max_credits)} contact hours "
            f"({format_credits(max_credits / 10)} CEU) of continuing pharmacy education."
        ),
    )


@dataclass(frozen=True)
class CertificateData:
    code: str
    learner_name: str
    learner_degree: str
    activity_title: str
    activity_type: str
    session_date: date
    session_topic: str
    credit_type: CreditType
    credits: Decimal
    provider_name: str
    provider_address: str
    accreditation_statement: str
    designation_statement: str
    verify_url: str
    issued_on: date
    revoked: bool = False
    learner_license: str | None = None
    # Shown to physicians, pharmacists and participants; never on a nursing certificate, where
    # ANCC forbids naming sponsors or commercial supporters.
    commercial_supporters: tuple[str, ...] = ()
    # ACPE Universal Activity Number (0000-0000-YY-000-L01-P), pharmacy only.
    activity_number: str | None = None

    def __post_init__(self) -> None:
        check_credit_type(self.credit_type)
        check_credits(self.credits)
        if not self.verify_url.startswith(("https://", "http://")):
            raise ValueError(f"verify_url must be an absolute URL, got {self.verify_url!r}")


@dataclass(frozen=True)
class TranscriptRow:
    session_date: date
    activity_title: str
    session_topic: str
    credit_type: CreditType
    credits: Decimal
    certificate_code: str | None = None

    def __post_init__(self) -> None:
        check_credit_type(self.credit_type)
        check_credits(self.credits)


@dataclass(frozen=True)
class TranscriptData:
    learner_name: str
    learner_degree: str
    provider_name: str
    provider_address: str
    period_start: date
    period_end: date
    issued_on: date
    rows: tuple[TranscriptRow, ...] = ()
    learner_license: str | None = None

    def totals_by_credit_type(self) -> dict[str, Decimal]:
        """Credits of different kinds never add up to one number, so each kind is totalled apart."""
        totals: dict[str, Decimal] = {}
        for row in self.rows:
            totals[row.credit_type] = totals.get(row.credit_type, Decimal(0)) + row.credits
        return {kind: totals[kind] for kind in CREDIT_TYPES if kind in totals}


@dataclass(frozen=True)
class HubTeamMember:
    name: str
    role: str


@dataclass(frozen=True)
class RecommendationLetterData:
    program_name: str
    hub_name: str
    hub_address: str
    case_number: str
    presenter_name: str
    session_date: date
    letter_date: date
    question: str
    recommendations: tuple[str, ...]
    summary: str
    follow_up: str
    hub_team: tuple[HubTeamMember, ...] = field(default_factory=tuple)
