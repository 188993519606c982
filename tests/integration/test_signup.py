"""Self-registration: a visitor signs up for a public program, confirms the e-mail, waits for approval."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.models import Membership, OutboxMessage, User
from app.models.user import MembershipRequest
from app.services import outbox, signup
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_site, make_user

NEW_PASSWORD = "my own passphrase"
LINK_RE = re.compile(r"http://testserver(/signup/verify/\S+)")


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"signup_per_client": 3})


@pytest.fixture
def program(db):
    program = make_program(db, name="Hepatitis C", visibility="public", description="Weekly hepatitis C teleECHO.")
    add_member(db, program, make_user(db, email="coordinator@example.org", full_name="Cora Ortiz"), "coordinator")
    return program


def _sign_up(client: TestClient, program_id: int, **overrides):
    form = {"program_id": str(program_id), "full_name": "Nia Brooks", "email": "Nia.Brooks@example.org",
            "timezone": "America/Denver",
            "timezone_confirmed": "1", "csrf_token": csrf_of(client), **overrides}
    return client.post("/signup", data={k: v for k, v in form.items() if v is not None})


def _verification_links(db, settings) -> list[str]:
    outbox.drain(db, settings)
    db.commit()
    links = []
    for path in sorted(settings.mail_dir.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["Subject"] == "Confirm your e-mail address for Telementor":
            links += LINK_RE.findall(message.get_body(("plain",)).get_content())
    return links


def _confirm(client: TestClient, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    page = client.get(link)
    assert page.status_code == 200 and "Choose the password" in page.text
    return client.post(link, data={"password": password, "confirm": password if confirm is None else confirm,
                                   "csrf_token": csrf_of(client)})


def test_visitor_finds_sign_up_on_the_public_program_page_and_the_login_page(client, db, program):
    private = make_program(db, name="Private Pain Program")

    page = client.get(f"/programs/{program.id}")
    login = client.get(f"/login?next=/programs/{program.id}")
    hidden = client.get(f"/programs/{private.id}")

    assert page.status_code == 200 and f'href="/signup?program={program.id}"' in page.text
    assert "Weekly hepatitis C teleECHO." in page.text
    assert f'href="/signup?program={program.id}"' in login.text
    assert (hidden.status_code, hidden.headers["location"]) == (303, f"/login?next=/programs/{private.id}")
    assert 'href="/signup"' in client.get("/login").text
    signup_page = client.get(f"/signup?program={program.id}")
    assert '<label for="f-timezone">' in signup_page.text and 'name="timezone_confirmed"' in signup_page.text
    assert client.get(f"/signup?program={private.id}").status_code == 404


def test_sign_up_journey_from_e_mail_to_approved_membership(client, app, db, settings, program):
    response = _sign_up(client, program.id)
    assert response.status_code == 200 and "Check your e-mail" in response.text

    nia = db.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    assert (nia.self_registered, nia.email_verified_at, nia.timezone) == (True, None, "America/Denver")
    assert not nia.password_hash
    refused = sign_in(client, "nia.brooks@example.org", NEW_PASSWORD)
    assert refused.status_code == 401

    [link] = _verification_links(db, settings)
    verified = _confirm(client, link)
    assert verified.status_code == 200 and "Your e-mail is confirmed" in verified.text
    assert client.get("/api/v1/users/me").json()["email"] == "nia.brooks@example.org"

    headers = api_token(client, "nia.brooks@example.org", NEW_PASSWORD)
    case = {"program_id": program.id, "question": "Should treatment start now?"}
    before = client.post("/api/v1/cases", json=case, headers=headers)
    joined = client.post(f"/programs/{program.id}/join", data={"csrf_token": csrf_of(client)})
    assert (before.status_code, joined.status_code) == (403, 303)
    assert db.exec(select(Membership).where(Membership.user_id == nia.id)).all() == []

    with TestClient(app, base_url="http://testserver", follow_redirects=False) as coordinator:
        sign_in(coordinator, "coordinator@example.org", PASSWORD)
        page = coordinator.get(f"/programs/{program.id}/members")
        [request_id] = re.findall(rf'action="/programs/{program.id}/requests/(\d+)"', page.text)
        assert "Waiting for approval (1)" in page.text and "Nia Brooks" in page.text
        approved = coordinator.post(f"/programs/{program.id}/requests/{request_id}",
                                    data={"decision": "approve", "csrf_token": csrf_of(coordinator)})
        flashed = coordinator.get(approved.headers["location"]).text
    assert approved.status_code == 303 and "Membership approved." in flashed

    memberships = db.exec(select(Membership).where(Membership.user_id == nia.id)).all()
    assert [(m.program_id, m.role) for m in memberships] == [(program.id, "clinician")]
    assert db.exec(select(MembershipRequest)).all() == []
    assert client.post("/api/v1/cases", json=case, headers=headers).status_code == 201


def test_unconfirmed_people_are_not_shown_for_approval_and_cannot_be_approved(client, app, db, program):
    _sign_up(client, program.id)
    request = db.exec(select(MembershipRequest)).one()
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as coordinator:
        sign_in(coordinator, "coordinator@example.org", PASSWORD)
        page = coordinator.get(f"/programs/{program.id}/members")
        forced = coordinator.post(f"/programs/{program.id}/requests/{request.id}",
                                  data={"decision": "approve", "csrf_token": csrf_of(coordinator)})
    assert "Waiting for approval" not in page.text
    assert forced.status_code == 422
    assert db.exec(select(Membership).where(Membership.user_id == request.user_id)).all() == []


def test_sign_up_with_a_known_address_answers_the_same_and_changes_nothing(client, db, settings, program):
    make_user(db, email="nia.brooks@example.org", full_name="Nia Brooks")

    response = _sign_up(client, program.id)

    assert response.status_code == 200 and "Check your e-mail" in response.text
    assert db.exec(select(OutboxMessage)).all() == [] and db.exec(select(MembershipRequest)).all() == []
    assert sign_in(client, "nia.brooks@example.org", PASSWORD).status_code == 303


def test_sign_up_needs_a_confirmed_time_zone_and_a_site(client, db, program):
    make_site(db, program)

    response = _sign_up(client, program.id, timezone_confirmed=None)

    assert response.status_code == 422
    assert 'id="e-timezone"' in response.text
    assert db.exec(select(User).where(User.email == "nia.brooks@example.org")).first() is None
    missing_site = _sign_up(client, program.id)
    assert missing_site.status_code == 422 and 'id="e-site_id"' in missing_site.text


def test_sign_up_is_rate_limited_per_client(client, db, settings, program):
    answers = [_sign_up(client, program.id, email=f"person{n}@example.org").status_code
               for n in range(settings.signup_per_client + 1)]

    assert answers == [200] * settings.signup_per_client + [429]
    assert len(db.exec(select(User).where(User.self_registered)).all()) == settings.signup_per_client


def test_forged_and_expired_verification_links_are_refused(client, db, settings, program, monkeypatch):
    _sign_up(client, program.id)
    [link] = _verification_links(db, settings)

    forged = link[:-3] + ("xyz" if not link.endswith("xyz") else "abc")
    forged_answers = (client.get(forged).status_code,
                      client.post(forged, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                                "csrf_token": csrf_of(client)}).status_code)
    monkeypatch.setattr(signup, "VERIFY_MAX_AGE", -1)
    expired = client.get(link)

    assert (forged_answers, expired.status_code) == ((422, 422), 422)
    db.expire_all()
    assert db.exec(select(User).where(User.email == "nia.brooks@example.org")).one().email_verified_at is None


def test_signing_up_again_before_confirming_sends_the_link_again(client, db, settings, program):
    _sign_up(client, program.id)
    [first] = _verification_links(db, settings)

    again = _sign_up(client, program.id)

    assert again.status_code == 200 and "Check your e-mail" in again.text
    links = _verification_links(db, settings)
    assert len(links) == 2 and first in links
    assert len(db.exec(select(User).where(User.email == "nia.brooks@example.org")).all()) == 1


def test_a_declined_request_leaves_no_membership(client, app, db, settings, program):
    _sign_up(client, program.id)
    [link] = _verification_links(db, settings)
    _confirm(client, link)
    nia = db.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    request = db.exec(select(MembershipRequest)).one()
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as coordinator:
        sign_in(coordinator, "coordinator@example.org", PASSWORD)
        declined = coordinator.post(f"/programs/{program.id}/requests/{request.id}",
                                    data={"decision": "decline", "csrf_token": csrf_of(coordinator)})
        flashed = coordinator.get(declined.headers["location"]).text

    assert declined.status_code == 303 and "Membership request declined." in flashed
    assert db.exec(select(MembershipRequest)).all() == []
    assert db.exec(select(Membership).where(Membership.user_id == nia.id)).all() == []


def test_someone_else_signing_up_with_an_address_never_holds_its_password(client, app, db, settings, program):
    """Pre-hijacking: a stranger signs up with Nia's address; Nia confirms; only Nia's password works."""
    _sign_up(client, program.id)
    [link] = _verification_links(db, settings)

    with TestClient(app, base_url="http://testserver", follow_redirects=False) as nia_browser:
        opened = nia_browser.get(link)
        db.expire_all()
        untouched = db.exec(select(User).where(User.email == "nia.brooks@example.org")).one().email_verified_at
        confirmed = _confirm(nia_browser, link, password="nia's own passphrase")

    assert opened.status_code == 200 and untouched is None  # a mail scanner opening the link confirms nothing
    assert confirmed.status_code == 200
    assert sign_in(client, "nia.brooks@example.org", "nia's own passphrase").status_code == 303
    reused = client.post(link, data={"password": "stranger passphrase", "confirm": "stranger passphrase",
                                     "csrf_token": csrf_of(client)})
    assert reused.status_code == 422 and "confirmed already" in reused.text


def test_confirming_needs_matching_passwords_and_changes_nothing_otherwise(client, db, settings, program):
    _sign_up(client, program.id)
    [link] = _verification_links(db, settings)

    refused = _confirm(client, link, password="long enough passphrase", confirm="something else")

    assert refused.status_code == 422 and 'id="e-confirm"' in refused.text
    db.expire_all()
    nia = db.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    assert (nia.email_verified_at, bool(nia.password_hash)) == (None, False)
