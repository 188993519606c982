"""Enumerations shared across the app. A leaf module: it imports nothing of ours."""

from enum import StrEnum


class ProgramRole(StrEnum):
    coordinator = "coordinator"
    specialist = "specialist"
    clinician = "clinician"


class ProgramVisibility(StrEnum):
    public = "public"
    private = "private"


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    dead = "dead"


class SessionStatus(StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"


class CaseStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    in_review = "in_review"
    approved = "approved"
    returned = "returned"
    scheduled = "scheduled"
    presented = "presented"
    closed = "closed"
