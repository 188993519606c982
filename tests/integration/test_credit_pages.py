"""Credit a CME office can sign (#12), as web pages: the exports on the program's credit page, the
adjustment history with Approve / Reject on the session's credit page, and the CME office's queue
of adjustments waiting for approval across programs."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from app.models import AuditEvent, CreditSettings
from app.models.credit import AttendanceAdjustment
from app.services import attendance, credit, credit_adjustments
from tests.conftest import csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session, zoom_report
from tests.querycount import count_queries


@pytest.fixture
def hub(db):
    """Jenna attended 30 minutes and Nia 40 of a 60-minute session; raises beyond the report wait
    for the CME office. The coordinator asked to raise Jenna to 55 minutes (pending); Nia was
    lowered to 20, then cleared."""
    program = make_program(db, name="Hepatitis C ECHO", timezone="America/Denver")
    db.add(CreditSettings(program_id=program.id, provider_name="Mountain West CME", raise_needs_approval=True))
    people = {"coordinator": make_user(db, email="rosa@example.org", full_name="Rosa Delgado"),
              "cme": make_user(db, email="cme@example.org", full_name="Carla Mendes", is_cme_office=True),
              "admin": make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True),
              "jenna": make_user(db, email="jenna@clinic.example.org", full_name="Jenna Whitfield", degree="MD"),
              "nia": make_user(db, email="nia@clinic.example.org", full_name="Nia Okafor", degree="MD"),
              "specialist": make_user(db, email="sam@example.org", full_name="Sam Specialist")}
    add_member(db, program, people["coordinator"], "coordinator")
    add_member(db, program, people["specialist"], "specialist")
    for learner in ("jenna", "nia"):
        add_member(db, program, people[learner], "clinician")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    report = zoom_report(session, [("Jenna Whitfield", people["jenna"].email, 0, 30),
                                   ("Nia Okafor", people["nia"].email, 0, 40)])
    coordinator = people["coordinator"]
    attendance.import_report(db, session, program, report, filename="zoom.csv", actor=coordinator)
    adjust = dict(db=db, session=session, program=program, actor=coordinator)
    credit_adjustments.adjust(**adjust, user_id=people["nia"].id, minutes=20, reason="Camera off after 20 minutes.")
    credit_adjustments.clear(**adjust, user_id=people["nia"].id, reason="The camera log was another learner's.")
    pending = credit_adjustments.adjust(**adjust, user_id=people["jenna"].id, minutes=55,
                                        reason="Attended from a colleague's laptop.")
    db.commit()
    return program, session, people, pending


def signed_in(client, user):
    client.cookies.clear()
    assert sign_in(client, user.email, PASSWORD).status_code == 303
    return csrf_of(client)


def decide(client, session, adjustment, csrf, approve="yes", **extra):
    return client.post(f"/sessions/{session.id}/adjustments/{adjustment.user_id}/decision",
                       data={"csrf_token": csrf, "adjustment_id": str(adjustment.id), "approve": approve, **extra})


def flashes(client, url: str) -> list[str]:
    return re.findall(r'<div class="flash flash-(\w+)"[^>]*>([^<]*)</div>', client.get(url).text)


def state_of(db, adjustment) -> tuple:
    db.expire_all()
    row = db.get(AttendanceAdjustment, adjustment.id)
    decisions = ("attendance.adjustment_approved", "attendance.adjustment_rejected")
    events = db.exec(select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.object_id)
                     .where(AuditEvent.action.in_(decisions)).order_by(AuditEvent.id)).all()
    return row.status, row.decided_by_id, [tuple(event) for event in events]


# --- the session's credit page: history, approve, reject ------------------------------------------


def test_session_credit_page_shows_each_learners_adjustments_in_order(client, db, hub):
    program, session, people, pending = hub
    signed_in(client, people["cme"])
    page = client.get(f"/sessions/{session.id}/credit").text
    history = page[page.index('id="adjustments-h"'):]
    learners = re.findall(r"<header><strong>([^<]+)</strong></header>", history)
    reasons = re.findall(r"<q>([^<]*)</q>", history)
    assert learners == ["Jenna Whitfield", "Nia Okafor"]
    assert reasons == ["Attended from a colleague&#39;s laptop.", "Camera off after 20 minutes.",
                       "The camera log was another learner&#39;s."]
    assert "30 → <strong>55 minutes</strong>" in history and "<mark>Waits for approval</mark>" in history
    assert "40 → <strong>20 minutes</strong>" in history
    assert "<strong>Cleared</strong>: back to the reports’ 40 minutes" in history
    assert history.count("By Rosa Delgado, ") == 3
    assert re.findall(r'name="approve" value="(\w+)"', history) == ["yes", "no"]


def test_coordinator_allowed_to_see_credit_sees_the_history_but_no_approval_buttons(client, db, hub):
    program, session, people, pending = hub
    program.coordinators_manage_credit = True
    db.add(program)
    db.commit()
    signed_in(client, people["coordinator"])
    response = client.get(f"/sessions/{session.id}/credit")
    assert response.status_code == 200
    assert "Attended from a colleague&#39;s laptop." in response.text
    assert 'name="approve"' not in response.text and "/credit/approvals" not in response.text


@pytest.mark.parametrize("who, status", [("cme", 200), ("admin", 200), ("coordinator", 403), ("specialist", 403),
                                         ("jenna", 403)])
def test_credit_pages_open_to_the_cme_office_and_admins_only_by_default(client, db, hub, who, status):
    program, session, people, pending = hub
    signed_in(client, people[who])
    answers = [client.get(url).status_code for url in
               (f"/sessions/{session.id}/credit", "/credit/approvals", f"/programs/{program.id}/credit")]
    assert answers == [status, status, status]


def test_cme_office_approves_on_the_session_page_and_credit_follows(client, db, hub):
    program, session, people, pending = hub
    csrf = signed_in(client, people["cme"])
    response = decide(client, session, pending, csrf, "yes")
    assert (response.status_code, response.headers["location"]) == (303, f"/sessions/{session.id}/credit")
    cme = people["cme"].id
    assert state_of(db, pending) == ("applied", cme, [("attendance.adjustment_approved", cme, pending.id)])
    assert credit.award_of(db, session, people["jenna"]).credits == Decimal("0.75")  # 55 minutes, 0.25 steps
    assert flashes(client, response.headers["location"]) == [
        ("success", "Jenna Whitfield&#39;s adjustment to 55 minutes is approved: credit is recomputed.")]


def test_cme_office_rejects_from_the_queue_and_returns_to_it(client, db, hub):
    program, session, people, pending = hub
    csrf = signed_in(client, people["admin"])
    response = decide(client, session, pending, csrf, "no", back="queue")
    assert (response.status_code, response.headers["location"]) == (303, "/credit/approvals")
    admin = people["admin"].id
    assert state_of(db, pending) == ("rejected", admin, [("attendance.adjustment_rejected", admin, pending.id)])
    assert credit.award_of(db, session, people["jenna"]).credits == Decimal("0.00")  # 30 minutes stand: under 75%
    page = client.get("/credit/approvals").text
    assert "Jenna Whitfield&#39;s adjustment to 55 minutes is rejected: nothing else changes." in page
    assert "Nothing waits for approval." in page


def test_refused_decisions_change_nothing(client, db, hub):
    program, session, people, pending = hub
    before = state_of(db, pending)
    csrf = signed_in(client, people["coordinator"])
    assert decide(client, session, pending, csrf).status_code == 403
    csrf = signed_in(client, people["cme"])
    assert decide(client, session, pending, "forged").status_code == 403
    assert decide(client, session, pending, csrf, "maybe").status_code == 303
    assert flashes(client, f"/sessions/{session.id}/credit") == [
        ("error", "Choose Approve or Reject; nothing was changed.")]
    assert state_of(db, pending) == before == ("pending", None, [])


def test_decision_on_an_adjustment_decided_or_replaced_meanwhile_changes_nothing(client, db, hub):
    program, session, people, pending = hub
    csrf = signed_in(client, people["cme"])
    assert decide(client, session, pending, csrf, "no").status_code == 303
    replacement = credit_adjustments.adjust(db, session, program, user_id=people["jenna"].id, minutes=45,
                                            reason="Phone log: 45 minutes.", actor=people["coordinator"])
    db.commit()
    client.get(f"/sessions/{session.id}/credit")  # reads the flash of the first decision
    response = decide(client, session, pending, csrf, "yes")  # a second tab still showing the first request
    assert response.status_code == 303
    assert flashes(client, response.headers["location"]) == [(
        "error", "This adjustment no longer waits for approval (it was decided or cleared meanwhile); "
                 "nothing was changed.")]
    assert state_of(db, replacement)[:2] == ("pending", None)
    assert state_of(db, pending)[:2] == ("rejected", people["cme"].id)


# --- the CME office's queue -------------------------------------------------------------------------


def test_queue_lists_pending_adjustments_of_every_program_linking_to_their_session(client, db, hub):
    program, session, people, pending = hub
    other = make_program(db, name="Chronic Pain ECHO", timezone="America/Chicago")
    db.add(CreditSettings(program_id=other.id, provider_name="Mountain West CME", raise_needs_approval=True))
    add_member(db, other, people["coordinator"], "coordinator")
    add_member(db, other, people["nia"], "clinician")
    later = past_session(db, other, start=datetime(2026, 3, 10, 12, 0, tzinfo=DENVER))
    credit_adjustments.adjust(db, later, other, user_id=people["nia"].id, minutes=50, reason="Joined by phone.",
                              actor=people["coordinator"])
    db.commit()
    signed_in(client, people["cme"])
    page = client.get("/credit/approvals").text
    assert re.findall(r'<a href="/sessions/(\d+)/credit">([^<]+)</a>', page) == [
        (str(session.id), "Hepatitis C ECHO, session of Wed 4 Mar 2026"),
        (str(later.id), "Chronic Pain ECHO, session of Tue 10 Mar 2026")]
    assert re.findall(r"(\d+) → <strong>(\d+) minutes</strong>", page) == [("30", "55"), ("0", "50")]
    assert page.count("Requested by Rosa Delgado") == 2
    newest = client.get("/credit/approvals?sort=newest").text
    assert re.findall(r"<header><strong>([^<]+)</strong>", newest) == ["Nia Okafor", "Jenna Whitfield"]


def pending_rows(db, session, learners, start: int) -> None:
    """Adjustments made directly (the pages read them): each learner's one pending raise."""
    t0 = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    db.add_all(AttendanceAdjustment(session_id=session.id, user_id=u.id, kind="set", seconds=50 * 60,
                                    reported_seconds=10 * 60, reason=f"Raise {start + n}.", status="pending",
                                    created_by_id=u.id, created_at=t0 + timedelta(minutes=start + n))
               for n, u in enumerate(learners))
    db.commit()


def test_queue_is_keyset_paginated(client, db, hub):
    program, session, people, pending = hub
    learners = [make_user(db, email=f"learner{n}@example.org", full_name=f"Learner {n:02}") for n in range(3)]
    pending_rows(db, session, learners, 0)
    signed_in(client, people["cme"])
    first = client.get("/credit/approvals?limit=2").text
    following = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    second = client.get(following).text
    shown = [re.findall(r"<header><strong>([^<]+)</strong>", page) for page in (first, second)]
    assert shown == [["Learner 00", "Learner 01"], ["Learner 02", "Jenna Whitfield"]]
    assert 'rel="next"' not in second
    assert client.get("/credit/approvals?cursor=damaged").status_code == 422


def statements(client, url: str) -> list[str]:
    with count_queries(client.app.state.engine) as counted:
        response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    return counted.statements


def test_queue_and_session_history_send_the_same_statements_for_2_and_30_adjustments(client, db, hub):
    program, session, people, pending = hub
    learners = [make_user(db, email=f"learner{n}@example.org", full_name=f"Learner {n:02}") for n in range(29)]
    for learner in learners:
        add_member(db, program, learner, "clinician")
    pending_rows(db, session, learners[:1], 0)  # with Jenna's: 2 pending, 4 in the history
    signed_in(client, people["cme"])
    urls = ("/credit/approvals", f"/sessions/{session.id}/credit")
    few = [statements(client, url) for url in urls]
    pending_rows(db, session, learners[1:], 1)  # 30 pending, 32 in the history
    many = [statements(client, url) for url in urls]
    assert many == few
    assert [sum("FROM attendance_adjustment" in statement for statement in page) for page in few] == [1, 1]
    assert client.get(urls[0]).text.count("<article") == 30


# --- the exports on the program's credit page --------------------------------------------------------


def test_program_credit_page_offers_the_exports_as_get_forms(client, db, hub):
    program, session, people, pending = hub
    signed_in(client, people["cme"])
    page = client.get(f"/programs/{program.id}/credit").text
    exports = page[page.index('id="exports-h"'):]
    base = f"/api/v1/programs/{program.id}"
    assert re.findall(r'<form method="get" action="([^"]+)">', exports) == [
        f"{base}/credit.csv", f"{base}/accreditation/pars.txt", f"{base}/accreditation/cpe-monitor.csv",
        f"{base}/accreditation/missing.csv", f"{base}/accreditation/summary.csv"]
    assert 'name="activity_id" type="text" required' in exports


def test_export_urls_answer_the_browsers_session_cookie(client, db, hub):
    """The forms point at the API: a signed-in browser (cookie, no bearer token) downloads, as the
    form would send it; a signed-in learner is refused."""
    program, session, people, pending = hub
    signed_in(client, people["cme"])
    base = f"/api/v1/programs/{program.id}"
    csv = client.get(f"{base}/credit.csv?from=2026-01-01&to=2026-12-31")
    pars = client.get(f"{base}/accreditation/pars.txt?from=2026-01-01&to=2026-12-31&activity_id=ECHO-2026.1")
    summary = client.get(f"{base}/accreditation/summary.csv?year=2026")
    missing = client.get(f"{base}/accreditation/missing.csv?from=2026-01-01&to=2026-12-31&export=pars&uan=")
    assert [(r.status_code, r.headers["content-type"].split(";")[0]) for r in (csv, pars, summary, missing)] == [
        (200, "text/csv"), (200, "text/plain"), (200, "text/csv"), (200, "text/csv")]
    assert "Jenna Whitfield" in csv.text
    signed_in(client, people["jenna"])
    assert client.get(f"{base}/credit.csv").status_code == 403

