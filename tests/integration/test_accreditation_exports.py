"""Accreditor exports (#12): PARS learner completion (tab-delimited .txt), NABP CPE Monitor rows,
the yearly activity summary and the missing/excluded list; who may download them; streamed in a
constant number of queries; the learner's accreditation fields on the profile."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from app.exports import accreditation as fmt
from app.models import AttendanceRecord, AuditEvent, Certificate, CreditSettings, User
from app.services import credit
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import past_session
from tests.querycount import count_queries

DENVER = ZoneInfo("America/Denver")
PERIOD = "from=2026-03-01&to=2026-03-31"
UAN = "0123-0000-26-001-L01-P"
NOW = datetime.now(UTC)


def physician(db, email, first, last, **more):
    fields = dict(first_name=first, last_name=last, participant_type="physician", reporting_consent_at=NOW,
                  npi="1234567893", certifying_board="ABIM", board_id="223344", birth_month=2, birth_day=29,
                  licence_state="CO", licence_number="DR.12345")
    fields.update(more)
    return make_user(db, email=email, full_name=f"{first} {last}".strip() or "Someone", **fields)


@pytest.fixture
def world(db):
    cme = make_user(db, email="cme@example.org", full_name="Carla Mendes", is_cme_office=True)
    coordinator = make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    outsider = make_user(db, email="out@example.org", full_name="Otto Outside")
    jenna = physician(db, "jenna@example.org", "Jenna", "=Whitfield")
    noel = physician(db, "noel@example.org", "Noël", "Okafor", birth_day=None, board_id="")  # missing data
    pat = make_user(db, email="pat@example.org", full_name="Pat Rx", first_name="Pat", last_name="Rx",
                    participant_type="pharmacist", reporting_consent_at=NOW, nabp_eprofile_id="7654321",
                    birth_month=11, birth_day=5)
    nurse = make_user(db, email="nurse@example.org", full_name="Nia Nurse", participant_type="other")
    program = make_program(db, name="Denver ECHO", timezone="America/Denver")
    db.add(CreditSettings(program_id=program.id, credit_types=["ama_pra_1"]))
    learners = [jenna, noel, pat, nurse]
    for person in learners:
        add_member(db, program, person, "clinician")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, make_program(db, name="Other"), outsider, "coordinator")
    sessions = []
    for day in (4, 11):
        session = past_session(db, program, start=datetime(2026, 3, day, 20, 0, tzinfo=DENVER))
        db.add_all(AttendanceRecord(session_id=session.id, user_id=p.id, computed_seconds=3600) for p in learners)
        db.commit()
        credit.recompute_session(db, session, program, actor=None, reason="")
        db.commit()
        sessions.append(session)
    return dict(cme=cme, coordinator=coordinator, outsider=outsider, jenna=jenna, noel=noel, pat=pat,
                nurse=nurse, program=program, sessions=sessions)


def get(client, user, url):
    return client.get(url, headers=api_token(client, user.email, PASSWORD))


def test_pars_txt_one_row_per_physician_column_by_column(client, db, world):
    program = world["program"]
    response = get(client, world["cme"], f"/api/v1/programs/{program.id}/accreditation/pars.txt?{PERIOD}"
                                         f"&activity_id=RSS-26")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    lines = response.content.decode("utf-8").split("\r\n")
    assert lines[0].split("\t") == fmt.PARS_COLUMNS and lines[-1] == ""
    rows = [line.split("\t") for line in lines[1:-1]]
    assert [dict(zip(fmt.PARS_COLUMNS, row, strict=True)) for row in rows] == [{
        "Provider Activity ID": "RSS-26", "Learner First Name": "Jenna", "Learner Last Name": "'=Whitfield",
        "NPI": "1234567893", "Certifying Board": "ABIM", "Board ID": "223344", "Date of Birth (MMDD)": "0229",
        "State of Licensure": "CO", "License Number": "DR.12345", "Completion Date": "03/11/2026",
        "AMA PRA Category 1 Credits": "2.00", "Other Credits": "", "MOC Points": "2.00"}]
    assert db.exec(select(AuditEvent.action)).all()[-1] == "accreditation.pars_exported"


def test_missing_list_names_what_is_missing_and_revoked_credit(client, db, world):
    program, jenna = world["program"], world["jenna"]
    db.add(Certificate(code="REVOKED00001", session_id=world["sessions"][1].id, user_id=jenna.id,
                       credit_type="ama_pra_1", credits=Decimal("1.00"), learner_name="Jenna",
                       revoked_at=NOW - timedelta(days=1), revoke_reason="Attendance corrected."))
    db.commit()
    response = get(client, world["cme"], f"/api/v1/programs/{program.id}/accreditation/missing.csv?{PERIOD}&export=pars")
    assert response.status_code == 200 and response.content.startswith(fmt.BOM.encode())
    lines = response.content.decode("utf-8")[1:].splitlines()
    assert lines[0].split(",") == fmt.MISSING_COLUMNS
    assert lines[1:] == ["Jenna =Whitfield,jenna@example.org,PARS,\"certificate revoked (1 session), credit excluded\"",
                         "Noël Okafor,noel@example.org,PARS,birth month and day; ABIM board ID"]
    # the revoked session's credit leaves the upload: one credit, completed on the first session
    pars = get(client, world["cme"], f"/api/v1/programs/{program.id}/accreditation/pars.txt?{PERIOD}&activity_id=A1")
    row = pars.text.split("\r\n")[1].split("\t")
    assert (row[9], row[10]) == ("03/04/2026", "1.00")


def test_cpe_monitor_rows_per_session_column_by_column(client, db, world):
    program = world["program"]
    response = get(client, world["cme"], f"/api/v1/programs/{program.id}/accreditation/cpe-monitor.csv?{PERIOD}&uan={UAN}")
    assert response.status_code == 200 and response.content.startswith(fmt.BOM.encode())
    lines = response.content.decode("utf-8")[1:].splitlines()
    assert lines[0].split(",") == fmt.CPE_COLUMNS
    assert [line.split(",") for line in lines[1:]] == [
        ["7654321", "1105", UAN, "P", "Pat", "Rx", "03/04/2026", "1.00"],
        ["7654321", "1105", UAN, "P", "Pat", "Rx", "03/11/2026", "1.00"]]
    technicians = get(client, world["cme"], f"/api/v1/programs/{program.id}/accreditation/missing.csv?{PERIOD}"
                                            f"&export=cpe&uan={UAN[:-1]}T")
    assert technicians.content.decode("utf-8")[1:].splitlines()[1] == (
        "Pat Rx,pat@example.org,CPE,a UAN ending in -P (this file is for -T)")


def test_summary_counts_physicians_and_others(client, db, world):
    program = world["program"]
    response = get(client, world["cme"], f"/api/v1/programs/{program.id}/accreditation/summary.csv?year=2026")
    lines = response.content.decode("utf-8")[1:].splitlines()
    assert lines[0].split(",") == fmt.SUMMARY_COLUMNS
    assert dict(zip(fmt.SUMMARY_COLUMNS, lines[1].split(","), strict=True)) == {
        "Year": "2026", "Program": "Denver ECHO", "Sessions": "2", "Learners": "4", "Physicians": "2",
        "Other Learners": "2", "AMA PRA Category 1 Credits": "8.00", "Other Credits": "0.00", "Total Credits": "8.00"}


def test_bad_parameters_are_named(client, db, world):
    base = f"/api/v1/programs/{world['program'].id}/accreditation"
    cme = world["cme"]
    assert "activity_id" in get(client, cme, f"{base}/pars.txt?{PERIOD}").text
    assert get(client, cme, f"{base}/pars.txt?{PERIOD}").status_code == 422
    assert "before the start" in get(client, cme, f"{base}/pars.txt?from=2026-03-31&to=2026-03-01&activity_id=A").text
    assert "uan" in get(client, cme, f"{base}/cpe-monitor.csv?{PERIOD}&uan=12-34").text
    assert get(client, cme, f"{base}/missing.csv?{PERIOD}&export=xml").status_code == 422


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider", "coordinator", "coordinator_allowed", "cme"])
def test_who_may_download(client, db, world, who):
    program = world["program"]
    urls = [f"pars.txt?{PERIOD}&activity_id=A1", f"cpe-monitor.csv?{PERIOD}&uan={UAN}",
            f"missing.csv?{PERIOD}", "summary.csv?year=2026"]
    if who == "coordinator_allowed":
        program.coordinators_manage_credit = True
        db.add(program)
        db.commit()
    user = {"member": world["jenna"], "outsider": world["outsider"], "coordinator": world["coordinator"],
            "coordinator_allowed": world["coordinator"], "cme": world["cme"]}.get(who)
    headers = api_token(client, user.email, PASSWORD) if user else {}
    expected = {"anonymous": 401, "member": 403, "outsider": 403, "coordinator": 403}.get(who, 200)
    for url in urls:
        response = client.get(f"/api/v1/programs/{program.id}/accreditation/{url}", headers=headers)
        assert response.status_code == expected, (url, response.text)
        if expected == 403:
            assert "CME office" in response.text and "1234567893" not in response.text


def test_exports_use_a_constant_number_of_queries(client, db, world):
    program = world["program"]
    headers = api_token(client, world["cme"].email, PASSWORD)
    urls = [f"pars.txt?{PERIOD}&activity_id=A1", f"cpe-monitor.csv?{PERIOD}&uan={UAN}", f"missing.csv?{PERIOD}",
            "summary.csv?year=2026"]

    def counts():
        totals = []
        for url in urls:
            with count_queries(client.app.state.engine) as counted:
                assert client.get(f"/api/v1/programs/{program.id}/accreditation/{url}", headers=headers).status_code == 200
            totals.append(counted.total)
        return totals

    before = counts()
    more = [physician(db, f"doc{i}@example.org", f"Doc{i}", "Extra", npi="", board_id=f"9{i:05d}") for i in range(25)]
    for person in more:
        add_member(db, program, person, "clinician")
    for session in world["sessions"]:
        db.add_all(AttendanceRecord(session_id=session.id, user_id=p.id, computed_seconds=3600) for p in more)
        db.commit()
        credit.recompute_session(db, session, program, actor=None, reason="")
        db.commit()
    assert counts() == before
    pars = client.get(f"/api/v1/programs/{program.id}/accreditation/pars.txt?{PERIOD}&activity_id=A1", headers=headers)
    assert len(pars.text.split("\r\n")) == 1 + 1 + 25 + 1


def test_profile_learner_fields_save_and_refuse(client, db):
    user = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    sign_in(client, user.email, PASSWORD)
    page = client.get("/profile/learner")
    assert page.status_code == 200
    assert 'value="Jenna"' in page.text and "Suggested from your full name" in page.text
    assert db.get(User, user.id).first_name == ""  # a suggestion is never stored unasked
    bad = {"first_name": "Jenna", "last_name": "Whitfield", "certifying_board": "ABX", "licence_state": "ZZ",
           "licence_number": "123", "participant_type": "physician", "csrf_token": csrf_of(client)}
    response = client.post("/profile/learner", data=bad)
    assert response.status_code == 422
    assert "Choose your certifying board from the list" in response.text
    assert "Choose the state or territory of your licence from the list." in response.text
    db.expire_all()
    assert (db.get(User, user.id).last_name, db.get(User, user.id).participant_type) == ("", "")
    good = dict(bad, certifying_board="ABIM", licence_state="pr")
    response = client.post("/profile/learner", data=good)
    assert (response.status_code, response.headers["location"]) == (303, "/profile/learner")
    db.expire_all()
    saved = db.get(User, user.id)
    assert (saved.first_name, saved.last_name, saved.certifying_board, saved.licence_state, saved.licence_number,
            saved.participant_type) == ("Jenna", "Whitfield", "ABIM", "PR", "123", "physician")
    assert client.get("/profile/learner", follow_redirects=False).status_code == 200
    client.cookies.clear()
    assert client.get("/profile/learner", follow_redirects=False).status_code in (302, 303, 401)
