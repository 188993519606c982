"""The credit CSV (#13): streamed, filtered in SQL by any date range in each program's own time
zone, per program or across all programs, safe to open in Excel, revoked certificates marked."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from app.models import AttendanceRecord, AuditEvent, Certificate, CreditSettings
from app.services import credit, credit_reports
from tests.conftest import api_token
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import past_session
from tests.querycount import count_queries

TOKYO = ZoneInfo("Asia/Tokyo")
DENVER = ZoneInfo("America/Denver")
BOM = "\ufeff"


def credit_program(db, *, name: str, zone: ZoneInfo, start: datetime, learners: list, minutes: int = 60):
    program = make_program(db, name=name, timezone=str(zone))
    db.add(CreditSettings(program_id=program.id, provider_name="Mountain West CME", credit_types=["ama_pra_1",
                                                                                                    "participation"]))
    for person in learners:
        add_member(db, program, person, "clinician")
    session = past_session(db, program, start=start, topic=f"{name} topic")
    db.add_all(AttendanceRecord(session_id=session.id, user_id=p.id, computed_seconds=minutes * 60) for p in learners)
    db.commit()
    credit.recompute_session(db, session, program, actor=None, reason="")
    db.commit()
    return program, session


@pytest.fixture
def world(db):
    cme = make_user(db, email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
    admin = make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True)
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    jenna = make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD")
    mallory = make_user(db, email="m@clinic.example.org", full_name="=HYPERLINK(\"http://x\")", degree="@SUM(A1)")
    # 20:00 in Denver on 4 March is 03:00 UTC on 5 March; 08:00 in Tokyo on 5 March is 23:00 UTC on 4 March
    denver, denver_session = credit_program(db, name="Denver ECHO", zone=DENVER, learners=[jenna, mallory],
                                            start=datetime(2026, 3, 4, 20, 0, tzinfo=DENVER))
    tokyo, tokyo_session = credit_program(db, name="Tokyo ECHO", zone=TOKYO, learners=[jenna],
                                          start=datetime(2026, 3, 5, 8, 0, tzinfo=TOKYO))
    add_member(db, denver, coordinator, "coordinator")
    return cme, admin, coordinator, jenna, mallory, denver, denver_session, tokyo, tokyo_session


def lines(response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(BOM.encode())
    return response.content.decode("utf-8")[1:].splitlines()


def test_export_across_programs_filters_each_by_its_own_local_date(client, db, world):
    cme, _, _, jenna, _, denver, _, tokyo, _ = world
    headers = api_token(client, cme.email, PASSWORD)
    both = lines(client.get("/api/v1/credit.csv", headers=headers))
    fourth = lines(client.get("/api/v1/credit.csv?from=2026-03-04&to=2026-03-04", headers=headers))
    fifth = lines(client.get("/api/v1/credit.csv?start=2026-03-05&end=2026-03-05", headers=headers))
    assert [line.split(",")[:2] for line in both[1:]] == [["2026-03-05", "Tokyo ECHO"], ["2026-03-04", "Denver ECHO"],
                                                          ["2026-03-04", "Denver ECHO"]]
    assert [line.split(",")[1] for line in fourth[1:]] == ["Denver ECHO", "Denver ECHO"]
    assert [line.split(",")[1] for line in fifth[1:]] == ["Tokyo ECHO"]
    one = lines(client.get(f"/api/v1/programs/{tokyo.id}/credit.csv?from=2026-03-04&to=2026-03-04", headers=headers))
    assert one == [both[0]]


def test_export_guards_formula_cells_and_marks_revoked_certificates(client, db, world):
    cme, _, _, jenna, mallory, denver, denver_session, *_ = world
    db.add(Certificate(code="REVOKEDCODE1", session_id=denver_session.id, user_id=jenna.id, credit_type="ama_pra_1",
                       credits=Decimal("1.00"), learner_name="Jenna Whitfield",
                       revoked_at=datetime.now(UTC) - timedelta(days=1), revoke_reason="Attendance was corrected."))
    db.add(Certificate(code="VALIDCODE123", session_id=denver_session.id, user_id=mallory.id, credit_type="participation",
                       credits=Decimal("1.00"), learner_name="Mallory"))
    db.commit()
    rows = lines(client.get(f"/api/v1/programs/{denver.id}/credit.csv", headers=api_token(client, cme.email, PASSWORD)))
    assert rows[1:] == [
        "2026-03-04,Denver ECHO,Denver ECHO topic,\"'=HYPERLINK(\"\"http://x\"\")\",m@clinic.example.org,'@SUM(A1),,"
        "Hours of participation,1.00,60,no,VALIDCODE123,valid,,,,",
        "2026-03-04,Denver ECHO,Denver ECHO topic,Jenna Whitfield,jenna@clinic.example.org,MD,,"
        "AMA PRA Category 1 Credit™,1.00,60,no,REVOKEDCODE1,revoked,,,,",
    ]


def test_export_streams_in_chunks_with_constant_queries(db, app, world):
    cme, _, _, jenna, mallory, denver, *_ = world
    with Session(app.state.engine) as reader, count_queries(app.state.engine) as few:
        chunks = list(credit_reports.credit_csv_stream(reader, None, None, None, chunk_rows=1))
    more = [make_user(db, email=f"extra{i}@clinic.example.org", full_name=f"Extra {i}") for i in range(5)]
    credit_program(db, name="Third ECHO", zone=DENVER, learners=more, start=datetime(2026, 3, 11, 12, 0, tzinfo=DENVER))
    with Session(app.state.engine) as reader, count_queries(app.state.engine) as many:
        assert len(list(credit_reports.credit_csv_stream(reader, None, None, None))) >= 2
    assert len(chunks) == 1 + 3  # the header, then one chunk per row
    assert few.total == many.total


def test_export_refuses_a_range_that_ends_before_it_starts(client, db, world):
    cme, *_ = world
    response = client.get("/api/v1/credit.csv?from=2026-03-05&to=2026-03-01",
                          headers=api_token(client, cme.email, PASSWORD))
    assert response.status_code == 422
    assert response.json()["fields"] == {"to": "The end date comes before the start date."}


def test_export_across_programs_is_for_the_cme_office_and_admins_and_audited(client, db, world):
    cme, admin, coordinator, jenna, *_ = world
    statuses = [client.get("/api/v1/credit.csv", headers=api_token(client, user.email, PASSWORD)).status_code
                for user in (cme, admin, coordinator, jenna)]
    anonymous = client.get("/api/v1/credit.csv").status_code
    assert (statuses, anonymous) == ([200, 200, 403, 403], 401)
    db.expire_all()
    events = db.exec(AuditEvent.__table__.select().where(AuditEvent.action == "credit.exported")).all()
    assert len(events) == 2
