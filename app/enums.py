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
