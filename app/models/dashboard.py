"""The indexes the home page's dashboards read (#11, migration 0022)."""

from __future__ import annotations

from sqlalchemy import Index, text

from app.models.attendance import ReportPerson
from app.models.credit import CreditAward

# The CME office's certificates not issued and credit awaiting evaluations, and the year's credit:
# each session's awards with their learner and credit from the index alone (no heap visits).
Index("ix_credit_award_session_user_credits", CreditAward.session_id, CreditAward.user_id, CreditAward.credits)

# The few report rows waiting for a coordinator's match (app.services.attendance.WAITING), by report.
WAITING_ROWS = "status IN ('ambiguous', 'conflict', 'unmatched', 'unverified')"
Index("ix_report_person_waiting", ReportPerson.import_id,
      sqlite_where=text(WAITING_ROWS), postgresql_where=text(WAITING_ROWS))
