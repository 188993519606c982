"""Sign-in, sign-out, sessions, CSRF, API tokens and throttling."""

from pwdlib import PasswordHash

from app.config import Settings
from app.main import create_app
from tests.conftest import TEST_SECRET, api_token, csrf_of, sign_in
from tests.factories import PASSWORD, make_user


def test_login_page_has_labelled_fields(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert '<label for="f-email">' in response.text and '<label for="f-password">' in response.text


def test_login_with_right_password_starts_session(client, db):
    make_user(db, email="rosa@example.org", full_name="Rosa Delgado")
    response = sign_in(client, "Rosa@Example.org ", PASSWORD)
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert "Welcome, Rosa Delgado" in client.get("/").text


def test_login_wrong_password_and_unknown_email_get_the_same_answer(client, db):
    make_user(db, email="rosa@example.org")
    wrong = sign_in(client, "rosa@example.org", "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    assert (wrong.status_code, unknown.status_code) == (401, 401)
    assert "Incorrect e-mail or password." in wrong.text and "Incorrect e-mail or password." in unknown.text
    assert client.get("/").headers["location"] == "/login"


def test_login_unknown_email_still_verifies_a_hash(client, monkeypatch):
    calls = []
    original = PasswordHash.verify_and_update

    def counting(self, password, hash_):
        calls.append(hash_[:9])
        return original(self, password, hash_)

    monkeypatch.setattr(PasswordHash, "verify_and_update", counting)
    sign_in(client, "nobody@example.org", "whatever it is")
    assert calls == ["$argon2id"]


def test_login_locks_after_repeated_failures_even_with_right_password(client, db, settings):
    make_user(db, email="rosa@example.org")
    for _ in range(settings.login_max_failures):
        assert sign_in(client, "rosa@example.org", "wrong guess").status_code == 401
    locked = sign_in(client, "rosa@example.org", PASSWORD)
    assert locked.status_code == 401
    assert "Too many failed sign-ins" in locked.text
    api = client.post("/api/v1/auth/token", data={"username": "rosa@example.org", "password": PASSWORD})
    assert api.status_code == 429


def test_login_lock_applies_to_unknown_emails_alike(client, settings):
    for _ in range(settings.login_max_failures):
        sign_in(client, "ghost@example.org", "wrong guess")
    assert "Too many failed sign-ins" in sign_in(client, "ghost@example.org", "wrong guess").text


def test_login_next_only_redirects_on_this_site(client, db):
    make_user(db, email="rosa@example.org")
    data = {"email": "rosa@example.org", "password": PASSWORD, "csrf_token": csrf_of(client), "next": "//evil.example/x"}
    assert client.post("/login", data=data).headers["location"] == "/"


def test_login_redirects_back_to_requested_page(client, db):
    make_user(db, email="rosa@example.org")
    assert client.get("/profile").headers["location"] == "/login?next=/profile"
    data = {"email": "rosa@example.org", "password": PASSWORD, "csrf_token": csrf_of(client), "next": "/profile"}
    assert client.post("/login", data=data).headers["location"] == "/profile"


def test_post_without_csrf_token_is_refused(client, db):
    make_user(db, email="rosa@example.org")
    response = client.post("/login", data={"email": "rosa@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert "expired or came from another site" in response.text


def test_post_with_csrf_header_is_accepted(client, db):
    user = make_user(db, email="rosa@example.org")
    sign_in(client, user.email, PASSWORD)
    body = {"full_name": "Rosa M. Delgado", "degree": "MPH", "profession": "", "timezone": "America/Denver"}
    refused = client.put("/api/v1/users/me", json=body)
    accepted = client.put("/api/v1/users/me", json=body, headers={"X-CSRF-Token": csrf_of(client)})
    assert (refused.status_code, accepted.status_code) == (403, 200)


def test_logout_ends_session(client, db):
    make_user(db, email="rosa@example.org")
    sign_in(client, "rosa@example.org", PASSWORD)
    response = client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert response.headers["location"] == "/login"
    assert client.get("/api/v1/users/me").status_code == 401


def test_api_token_grants_access_without_csrf(client, db):
    make_user(db, email="sam@example.org", full_name="Samuel Okafor")
    headers = api_token(client, "sam@example.org", PASSWORD)
    assert client.get("/api/v1/users/me", headers=headers).json()["full_name"] == "Samuel Okafor"
    body = {"full_name": "Samuel A. Okafor", "timezone": "America/Denver"}
    assert client.put("/api/v1/users/me", json=body, headers=headers).status_code == 200


def test_api_token_wrong_password_is_401(client, db):
    make_user(db, email="sam@example.org")
    response = client.post("/api/v1/auth/token", data={"username": "sam@example.org", "password": "nope nope"})
    assert (response.status_code, response.json(), response.headers["www-authenticate"]) == (
        401, {"detail": "Incorrect e-mail or password."}, "Bearer")


def test_api_forged_token_is_401(client):
    assert client.get("/api/v1/users/me", headers={"Authorization": "Bearer forged.token.value"}).status_code == 401


def test_api_token_stops_working_after_password_change(client, db):
    from app.services import accounts

    user = make_user(db, email="sam@example.org")
    headers = api_token(client, "sam@example.org", PASSWORD)
    accounts.set_password(db, user, "a brand new passphrase", "a brand new passphrase", actor=user)
    db.commit()
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_inactive_user_cannot_sign_in(client, db):
    make_user(db, email="gone@example.org", is_active=False)
    assert sign_in(client, "gone@example.org", PASSWORD).status_code == 401


def test_production_cookie_is_secure(database_url, engine, tmp_path):
    from fastapi.testclient import TestClient

    from tests.conftest import empty_tables

    empty_tables(engine)
    settings = Settings(env="production", database_url=database_url, secret_key=TEST_SECRET,
                        base_url="https://hub.example.org", mail_dir=tmp_path)
    app = create_app(settings)
    with TestClient(app, base_url="https://hub.example.org", follow_redirects=False) as client:
        response = client.get("/login")
    app.state.engine.dispose()
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
