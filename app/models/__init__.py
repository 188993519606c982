"""All tables, imported here so that Alembic and the app see one complete metadata."""

from app.models.audit import AuditEvent
from app.models.echo_session import EchoSession, SessionSeries
from app.models.outbox import OutboxMessage
from app.models.program import Membership, Program, SpokeSite
from app.models.user import LoginThrottle, User

__all__ = ["AuditEvent", "EchoSession", "SessionSeries", "LoginThrottle", "Membership", "OutboxMessage", "Program", "SpokeSite", "User"]
