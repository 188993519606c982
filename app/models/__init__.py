"""All tables, imported here so that Alembic and the app see one complete metadata."""

from app.models.attendance import AttendanceImport, AttendanceRecord, CheckInCode, EmailAlias, Evaluation, ReportPerson
from app.models.attendance import NameAlias
from app.models.audit import AuditEvent
from app.models.case import CasePresentation, PhiWaiver, ProgramCaseCounter
from app.models.certificate_file import CertificateFile
from app.models.credit import Certificate, CreditAward, CreditSettings
from app.models.echo_session import EchoSession, SessionSeries
from app.models.integration import IntegrationConnection, IntegrationJob, ProgramMeetingHost, SessionMeeting
from app.models.outbox import OutboxMessage
from app.models.program import Membership, Program, SpokeSite
from app.models.recommendation import Recommendation, RecommendationAddendum, RecommendationContributor
from app.models.transcript_file import TranscriptFile
from app.models.trends import TrendAnnotation
from app.models.user import LoginThrottle, User

__all__ = ["Recommendation", "RecommendationAddendum", "RecommendationContributor", "AttendanceImport", "AttendanceRecord", "CheckInCode", "EmailAlias", "Evaluation", "ReportPerson",
           "Certificate", "CertificateFile", "CreditAward", "CreditSettings", "AuditEvent", "CasePresentation", "PhiWaiver", "ProgramCaseCounter", "EchoSession", "SessionSeries", "LoginThrottle", "Membership", "OutboxMessage", "Program", "SpokeSite", "User",
           "IntegrationConnection", "IntegrationJob", "ProgramMeetingHost", "SessionMeeting"]
__all__ += ["TrendAnnotation"]
__all__ += ["NameAlias"]
__all__ += ["TranscriptFile"]
from app.models.measure import ImprovementMeasure, MeasureReport  # noqa: E402

__all__ += ["ImprovementMeasure", "MeasureReport"]
import app.models.dashboard  # noqa: E402, F401  (the dashboards' indexes)
