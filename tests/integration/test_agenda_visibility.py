"""What a session shows to people who may not read cases (visitors of a public program, the CME
office): agenda lines carry the case number only, and the video link stays with members."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import EchoSession
from tests.conftest import api_token, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_series, make_user
from tests.integration.test_reviews import CASE

QUESTION = CASE["question"]
LINK = "https://zoom.example.org/j/81234567890"


@pytest.fixture
def agenda_session(client, db):
    program = make_program(db, name="Hepatitis C", visibility="public")
    people = {who: make_user(db, email=f"{who}@example.org", full_name=who.title()) for who in
              ("presenter", "colleague", "specialist", "coordinator", "visitor")}
    people["cme"] = make_user(db, email="cme@example.org", is_cme_office=True)
    for who, role in (("presenter", "clinician"), ("colleague", "clinician"), ("specialist", "specialist"),
                      ("coordinator", "coordinator")):
        add_member(db, program, people[who], role)
    make_series(db, program, people["coordinator"], count=2)
    session = db.exec(select(EchoSession).where(EchoSession.program_id == program.id)
                      .order_by(EchoSession.starts_at)).first()
    session.video_url = LINK
    db.add(session)
    db.commit()
    auth = {who: api_token(client, user.email, PASSWORD) for who, user in people.items()}
    case = client.post("/api/v1/cases", json={**CASE, "program_id": program.id}, headers=auth["presenter"]).json()
    client.post(f"/api/v1/cases/{case['id']}/approve", headers=auth["specialist"])
    assigned = client.post(f"/api/v1/cases/{case['id']}/assign", json={"session_id": session.id},
                           headers=auth["coordinator"])
    assert assigned.json()["status"] == "scheduled"
    return session, case, people, auth


@pytest.mark.parametrize(("who", "sees_line"), [("visitor", False), ("cme", False), ("colleague", True),
                                                ("specialist", True)])
def test_agenda_line_shows_age_and_question_only_to_members(client, agenda_session, who, sees_line):
    session, case, people, auth = agenda_session
    sign_in(client, people[who].email, PASSWORD)
    page = client.get(f"/sessions/{session.id}")
    assert page.status_code == 200
    assert f"Case {case['number']}" in page.text
    assert (QUESTION[:40] in page.text, "40–64" in page.text) == (sees_line, sees_line)


@pytest.mark.parametrize(("who", "link"), [("visitor", ""), ("cme", ""), ("colleague", LINK)])
def test_video_link_reaches_members_only(client, agenda_session, who, link):
    session, case, people, auth = agenda_session
    one = client.get(f"/api/v1/sessions/{session.id}", headers=auth[who]).json()
    listed = client.get(f"/api/v1/programs/{session.program_id}/sessions", headers=auth[who]).json()
    assert (one["video_url"], listed[0]["video_url"]) == (link, link)
    sign_in(client, people[who].email, PASSWORD)
    assert (LINK in client.get(f"/sessions/{session.id}").text) == bool(link)
