"""Account security: lockout under parallel guesses, the secret key, sessions that end, reset limits."""

from __future__ import annotations

import base64
import json
import os
import stat
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from pwdlib import PasswordHash
from sqlmodel import Session, select

from app.config import DEFAULT_SECRET_KEY, SECRET_KEY_FILE, Settings
from app.main import SESSION_COOKIE, create_app
from app.models import OutboxMessage
from app.routers.auth import FORGOT_ANSWER_SECONDS
from app.services.emails import password_link
from tests.conftest import api_token, csrf_of, empty_tables, sign_in
from tests.factories import PASSWORD, make_user
from tests.integration.live_server import CSRF_RE, at_once, server  # noqa: F401 (fixture)

GUESSES = 100


@pytest.fixture
def password_checks(monkeypatch) -> list[str]:
    """Every argon2 verification the server makes, by the hash it was made against."""
    checks: list[str] = []
    lock = threading.Lock()
    original = PasswordHash.verify_and_update

    def counting(self, password, hash_):
        with lock:
            checks.append(hash_)
        return original(self, password, hash_)

    monkeypatch.setattr(PasswordHash, "verify_and_update", counting)
    return checks


def _anonymous_browser(base_url: str) -> tuple[httpx.Cookies, str]:
    with httpx.Client(base_url=base_url) as browser:
        token = CSRF_RE.search(browser.get("/password/forgot").text).group(1)
        return browser.cookies, token


def test_parallel_login_guesses_get_exactly_max_failures_password_checks(server, db, settings, password_checks):
    user = make_user(db, email="rosa@example.org")
    cookies, token = _anonymous_browser(server)
    form = {"email": "rosa@example.org", "password": "a wrong guess", "csrf_token": token, "next": "/"}

    responses = at_once(GUESSES, lambda c: c.post("/login", data=form), base_url=server, cookies=cookies)

    assert [r.status_code for r in responses] == [401] * GUESSES
    wrong = [r for r in responses if "Incorrect e-mail or password." in r.text]
    locked = [r for r in responses if "Too many failed sign-ins" in r.text]
    assert (len(wrong), len(locked)) == (settings.login_max_failures, GUESSES - settings.login_max_failures)
    assert password_checks == [user.password_hash] * settings.login_max_failures
    right = httpx.post(f"{server}/login", cookies=cookies, data={**form, "password": PASSWORD})
    assert right.status_code == 401 and "Too many failed sign-ins" in right.text
    assert len(password_checks) == settings.login_max_failures


def test_parallel_api_token_guesses_for_an_unknown_email_are_locked_alike(server, settings, password_checks):
    form = {"username": "nobody@example.org", "password": "a wrong guess"}

    responses = at_once(GUESSES, lambda c: c.post("/api/v1/auth/token", data=form), base_url=server)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [401] * settings.login_max_failures + [429] * (GUESSES - settings.login_max_failures)
    assert len(password_checks) == settings.login_max_failures


def test_parallel_right_passwords_never_fail_and_leave_no_lock(server, db, settings):
    """Attempts count until their password proves right, so at most login_max_failures are checked
    at once and the others wait out as 429; each success clears the count."""
    make_user(db, email="rosa@example.org")
    form = {"username": "rosa@example.org", "password": PASSWORD}

    responses = at_once(20, lambda c: c.post("/api/v1/auth/token", data=form), base_url=server)

    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 429} and statuses.count(200) >= settings.login_max_failures
    assert httpx.post(f"{server}/api/v1/auth/token", data=form).status_code == 200


# --- the secret key -------------------------------------------------------------------------------------------

def _unconfigured_settings(monkeypatch, settings: Settings, data_dir) -> Settings:
    monkeypatch.delenv("TELEMENTOR_SECRET_KEY", raising=False)
    return Settings(_env_file=None, env="development", database_url=settings.database_url, data_dir=data_dir,
                    base_url="http://testserver", mail_dir=settings.mail_dir)


def _forged_cookie(secret_key: str, claims: dict) -> str:
    """A session cookie as Starlette's SessionMiddleware signs it, with the given key."""
    data = base64.b64encode(json.dumps(claims).encode())
    return TimestampSigner(secret_key).sign(data).decode()


def test_cookie_forged_with_the_old_default_secret_is_refused(monkeypatch, settings, engine, tmp_path, caplog):
    empty_tables(engine)
    unconfigured = _unconfigured_settings(monkeypatch, settings, tmp_path / "data")
    app = create_app(unconfigured)
    with TestClient(app, base_url="http://testserver") as client:
        with Session(app.state.engine) as db:
            admin = make_user(db, email="admin@example.org", is_admin=True)
            claims = {"uid": admin.id, "epoch": admin.auth_epoch}
        client.cookies.set(SESSION_COOKIE, _forged_cookie(DEFAULT_SECRET_KEY, claims))
        forged = client.get("/api/v1/users/me")
        client.cookies.set(SESSION_COOKIE, _forged_cookie(unconfigured.secret_key, claims))
        genuine = client.get("/api/v1/users/me")
    app.state.engine.dispose()
    assert (forged.status_code, genuine.status_code) == (401, 200)
    assert unconfigured.secret_key != DEFAULT_SECRET_KEY and len(unconfigured.secret_key) >= 32


def test_generated_secret_key_is_private_kept_and_reused(monkeypatch, settings, tmp_path, caplog):
    first = _unconfigured_settings(monkeypatch, settings, tmp_path / "data")
    again = _unconfigured_settings(monkeypatch, settings, tmp_path / "data")
    key_file = tmp_path / "data" / SECRET_KEY_FILE
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert first.secret_key == again.secret_key == key_file.read_text().strip()
    assert os.listdir(tmp_path / "data") == [SECRET_KEY_FILE]
    assert "TELEMENTOR_SECRET_KEY is not set" in caplog.text


def test_processes_starting_together_share_one_generated_key(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    from app.security import installation_secret

    key_file = tmp_path / "data" / SECRET_KEY_FILE
    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = list(pool.map(installation_secret, [key_file] * 8))

    assert len(set(keys)) == 1 and keys[0] == key_file.read_text().strip()
    assert os.listdir(tmp_path / "data") == [SECRET_KEY_FILE]


def test_the_old_default_secret_given_outside_production_is_replaced(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("TELEMENTOR_SECRET_KEY", DEFAULT_SECRET_KEY)
    configured = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'hub.db'}")
    assert configured.secret_key == (tmp_path / SECRET_KEY_FILE).read_text().strip()


@pytest.mark.parametrize("key", ["", DEFAULT_SECRET_KEY])
def test_production_refuses_to_start_without_a_key(monkeypatch, tmp_path, key):
    monkeypatch.delenv("TELEMENTOR_SECRET_KEY", raising=False)
    with pytest.raises(ValueError, match="TELEMENTOR_SECRET_KEY must be set"):
        Settings(_env_file=None, env="production", secret_key=key, base_url="https://hub.example.org",
                 data_dir=tmp_path)
    assert os.listdir(tmp_path) == []


# --- sessions end -------------------------------------------------------------------------------------------

def _signed_in(app, email: str) -> TestClient:
    client = TestClient(app, base_url="http://testserver", follow_redirects=False)
    assert sign_in(client, email, PASSWORD).status_code == 303
    return client


def _me(app, cookies=None, headers=None) -> int:
    with TestClient(app, base_url="http://testserver", cookies=cookies) as fresh:
        return fresh.get("/api/v1/users/me", headers=headers).status_code


def test_sign_out_ends_the_copied_cookie_and_api_tokens(app, client, db):
    make_user(db, email="rosa@example.org")
    sign_in(client, "rosa@example.org", PASSWORD)
    old_cookie = dict(client.cookies)
    headers = api_token(client, "rosa@example.org", PASSWORD)
    assert (_me(app, cookies=old_cookie), _me(app, headers=headers)) == (200, 200)

    client.post("/logout", data={"csrf_token": csrf_of(client)})

    assert (_me(app, cookies=old_cookie), _me(app, headers=headers)) == (401, 401)


def test_api_logout_ends_tokens_and_browser_sessions(app, client, db):
    make_user(db, email="rosa@example.org")
    browser = _signed_in(app, "rosa@example.org")
    headers = api_token(client, "rosa@example.org", PASSWORD)

    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204

    assert (_me(app, cookies=dict(browser.cookies)), _me(app, headers=headers)) == (401, 401)


def test_password_change_ends_other_sessions_and_keeps_this_one(app, db, settings):
    user = make_user(db, email="rosa@example.org")
    laptop = _signed_in(app, "rosa@example.org")
    headers = api_token(laptop, "rosa@example.org", PASSWORD)
    phone = TestClient(app, base_url="http://testserver", follow_redirects=False)
    path = password_link(settings, user).removeprefix(settings.base_url)
    token = CSRF_RE.search(phone.get(path).text).group(1)

    form = {"password": "a new passphrase", "confirm": "a new passphrase", "csrf_token": token}
    response = phone.post(path, data=form)

    assert response.status_code == 303
    assert (_me(app, cookies=dict(laptop.cookies)), _me(app, headers=headers)) == (401, 401)
    assert phone.get("/api/v1/users/me").status_code == 200


def test_deactivation_ends_sessions_even_after_reactivation(app, db):
    make_user(db, email="admin@example.org", is_admin=True)
    rosa = make_user(db, email="rosa@example.org")
    browser = _signed_in(app, "rosa@example.org")
    headers = api_token(browser, "rosa@example.org", PASSWORD)
    admin = _signed_in(app, "admin@example.org")
    deactivate = admin.post(f"/admin/users/{rosa.id}/roles", data={"csrf_token": csrf_of(admin)})
    reactivate = admin.post(f"/admin/users/{rosa.id}/roles", data={"is_active": "true", "csrf_token": csrf_of(admin)})

    assert (deactivate.status_code, reactivate.status_code) == (303, 303)

    assert (_me(app, cookies=dict(browser.cookies)), _me(app, headers=headers)) == (401, 401)


# --- forgot password ---------------------------------------------------------------------------------------

def _forgot(client: TestClient, email: str) -> tuple[int, str, float]:
    token = csrf_of(client)
    started = time.monotonic()
    response = client.post("/password/forgot", data={"email": email, "csrf_token": token})
    return response.status_code, CSRF_RE.sub("", response.text), time.monotonic() - started


def _reset_messages(db) -> list[int]:
    db.expire_all()
    return [m.payload["user_id"] for m in db.exec(select(OutboxMessage).where(OutboxMessage.kind == "password_reset"))]


def test_forgot_password_is_limited_per_address_alike_for_known_and_unknown(app, db, settings):
    rosa = make_user(db, email="rosa@example.org")
    limit = settings.password_reset_per_email

    with TestClient(app, base_url="http://testserver", client=("203.0.113.7", 4000)) as client:
        known = [_forgot(client, "rosa@example.org") for _ in range(limit + 1)]
    with TestClient(app, base_url="http://testserver", client=("198.51.100.9", 4000)) as client:
        unknown = [_forgot(client, "nobody@example.org") for _ in range(limit + 1)]

    assert [status for status, _, _ in known] == [200] * limit + [429]
    assert [(status, page) for status, page, _ in known] == [(status, page) for status, page, _ in unknown]
    assert min(seconds for _, _, seconds in known + unknown) >= FORGOT_ANSWER_SECONDS
    assert "Too many requests for a new password" in known[-1][1]
    assert _reset_messages(db) == [rosa.id] * limit


def test_forgot_password_is_limited_per_client(app, db, settings):
    rosa = make_user(db, email="rosa@example.org")
    limit = settings.password_reset_per_client
    with TestClient(app, base_url="http://testserver", client=("203.0.113.7", 4000)) as busy:
        answers = [_forgot(busy, f"person{n}@example.org")[0] for n in range(limit)]
        refused = _forgot(busy, "rosa@example.org")[0]
    with TestClient(app, base_url="http://testserver", client=("198.51.100.9", 4000)) as other:
        accepted = _forgot(other, "rosa@example.org")[0]

    assert (answers, refused, accepted) == ([200] * limit, 429, 200)
    assert _reset_messages(db) == [rosa.id]


@pytest.fixture
def settings(settings) -> Settings:
    """Small per-client limit, so the test stays quick."""
    return settings.model_copy(update={"password_reset_per_client": 4})


def test_a_burst_of_forgot_requests_queues_exactly_the_limit(server, db):
    rosa = make_user(db, email="rosa@example.org")
    cookies, token = _anonymous_browser(server)
    form = {"email": "rosa@example.org", "csrf_token": token}

    responses = at_once(30, lambda c: c.post("/password/forgot", data=form), base_url=server, cookies=cookies)

    assert sorted(r.status_code for r in responses) == [200] * 3 + [429] * 27
    assert _reset_messages(db) == [rosa.id] * 3


def test_an_attempt_whose_throttle_row_a_right_password_clears_meanwhile_is_counted_not_a_500(db, settings,
                                                                                              monkeypatch):
    """A right password deletes the e-mail's throttle row; a parallel attempt that had just made sure
    the row existed then finds it gone. It counts itself on a new row instead of failing (a 500 on
    PostgreSQL under parallel sign-ins, seen in CI)."""
    from sqlalchemy import select as core_select

    from app.services import throttle

    real_insert, calls = throttle.insert_if_missing, []

    def insert_then_cleared_by_another_request(session, table, **values):
        real_insert(session, table, **values)
        calls.append(1)
        if len(calls) == 1:
            throttle.clear_login_failures(session, values["email_key"])

    monkeypatch.setattr(throttle, "insert_if_missing", insert_then_cleared_by_another_request)
    throttle.count_login_attempt(db, settings, "racer@example.org")
    failures = db.execute(core_select(throttle.LOGIN.c.failures)
                          .where(throttle.LOGIN.c.email_key == "racer@example.org")).scalar_one()
    assert (len(calls), failures) == (2, 1)
