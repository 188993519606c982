"""Coordinators may see their program's credit pages and reports when the program allows it (a
program setting, off by default, the same one that opens its certificates); a 403 says who can open them (#12)."""

import html
from datetime import datetime

import pytest

from tests.conftest import api_token, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_user
from tests.integration.attendance_helpers import DENVER, past_session
from tests.integration.test_credit_rules import SETTINGS

WHO_GRANTS = "the CME office can open them to the program's coordinators"


@pytest.fixture
def hub(db):
    program = make_program(db, name="Hepatitis C ECHO")
    other = make_program(db, name="Opioid ECHO")
    cme = make_user(db, email="cme@example.org", is_cme_office=True)
    people = {role: make_user(db, email=f"{role}@example.org") for role in ("coordinator", "specialist", "clinician")}
    for role, person in people.items():
        add_member(db, program, person, role)
    stranger = make_user(db, email="other-coordinator@example.org")
    add_member(db, other, stranger, "coordinator")
    session = past_session(db, program, start=datetime(2026, 3, 4, 12, 0, tzinfo=DENVER))
    return program, session, cme, people, stranger


def urls(program, session) -> list[str]:
    return [f"/api/v1/sessions/{session.id}/credit", f"/api/v1/programs/{program.id}/credit.csv"]


def allow(client, program, cme, allowed: bool):
    response = client.put(f"/api/v1/programs/{program.id}/credit-settings",
                          json={**SETTINGS, "coordinators_may_view": allowed}, headers=api_token(client, cme.email, PASSWORD))
    assert (response.status_code, response.json()["coordinators_may_view"]) == (200, allowed)


def test_coordinators_see_credit_only_when_the_program_allows_it(client, db, hub):
    program, session, cme, people, stranger = hub
    allow(client, program, cme, False)
    coordinator = api_token(client, people["coordinator"].email, PASSWORD)
    assert [client.get(url, headers=coordinator).status_code for url in urls(program, session)] == [403, 403]
    allow(client, program, cme, True)
    assert [client.get(url, headers=coordinator).status_code for url in urls(program, session)] == [200, 200]
    for person in (people["specialist"], people["clinician"], stranger):
        headers = api_token(client, person.email, PASSWORD)
        assert [client.get(url, headers=headers).status_code for url in urls(program, session)] == [403, 403]
    # seeing is not configuring, nor exporting every program
    assert client.put(f"/api/v1/programs/{program.id}/credit-settings", json=SETTINGS,
                      headers=coordinator).status_code == 403
    assert client.get("/api/v1/credit.csv", headers=coordinator).status_code == 403
    assert [client.get(url).status_code for url in urls(program, session)] == [401, 401]


def test_the_403_says_who_can_grant_access_not_ask_your_coordinator(client, db, hub):
    program, session, cme, people, _ = hub
    allow(client, program, cme, False)
    api = client.get(f"/api/v1/sessions/{session.id}/credit",
                     headers=api_token(client, people["coordinator"].email, PASSWORD))
    assert WHO_GRANTS in api.json()["detail"]
    sign_in(client, people["coordinator"].email, PASSWORD)
    page = client.get(f"/sessions/{session.id}/credit")
    assert page.status_code == 403
    assert WHO_GRANTS in html.unescape(page.text)
    assert "ask your program's coordinator" not in html.unescape(page.text)
    settings_page = client.get(f"/programs/{program.id}/credit")
    text = html.unescape(settings_page.text)
    assert (settings_page.status_code, "Only the CME office and site admins configure credit" in text,
            "ask your program's coordinator" in text) == (403, True, False)


def test_coordinator_with_access_opens_the_session_credit_page(client, db, hub):
    program, session, cme, people, _ = hub
    allow(client, program, cme, True)
    sign_in(client, people["coordinator"].email, PASSWORD)
    assert client.get(f"/sessions/{session.id}/credit").status_code == 200


def test_one_program_setting_opens_credit_and_certificates_whichever_page_sets_it(client, db, hub):
    """The credit settings' checkbox and the certificate-access switch are the same setting."""
    program, session, cme, people, _ = hub
    cme_token = api_token(client, cme.email, PASSWORD)
    coordinator = api_token(client, people["coordinator"].email, PASSWORD)
    certificates = f"/api/v1/sessions/{session.id}/certificates"
    allow(client, program, cme, False)
    assert client.get(certificates, headers=coordinator).status_code == 403
    response = client.put(f"/api/v1/programs/{program.id}/certificate-access",
                          json={"coordinators_manage_credit": True}, headers=cme_token)
    assert response.status_code == 200
    assert client.get(f"/api/v1/programs/{program.id}/credit-settings",
                      headers=cme_token).json()["coordinators_may_view"] is True
    assert [client.get(url, headers=coordinator).status_code for url in urls(program, session)] == [200, 200]
    allow(client, program, cme, False)
    assert client.get(certificates, headers=coordinator).status_code == 403
    assert [client.get(url, headers=coordinator).status_code for url in urls(program, session)] == [403, 403]
    allow(client, program, cme, True)
    assert client.get(certificates, headers=coordinator).status_code == 200
