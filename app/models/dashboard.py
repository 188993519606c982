"""The indexes the home page's dashboards read (#11, migration 0022)."""

from __future__ import annotations

from sqlalchemy import Index, text

from app.models.attendance import ReportPerson
from app.models.credit import Certificate, CreditAward

# The CME office's certificates not issued and credit awaiting evaluations: each session's awards
# with their learner and credit, and its valid certificates with theirs (the year's totals), read
# from the indexes alone (no heap visits).
Index("ix_credit_award_session_user_credits", CreditAward.session_id, CreditAward.user_id, CreditAward.credits)
Index("ix_certificate_valid_session_user_credits", Certificate.session_id, Certificate.user_id, Certificate.credits,
      sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL"))

# The few report rows waiting for a coordinator's match (app.services.attendance.WAITING), by report.
WAITING_ROWS = "status IN ('ambiguous', 'conflict', 'unmatched', 'unverified')"
Index("ix_report_person_waiting", ReportPerson.import_id,
      sqlite_where=text(WAITING_ROWS), postgresql_where=text(WAITING_ROWS))
