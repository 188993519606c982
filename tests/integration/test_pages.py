"""Health, error pages and response headers."""

from fastapi import APIRouter

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_user


def test_healthz_checks_database(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_unknown_page_is_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "There is nothing at this address" in response.text


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert (response.status_code, response.json()) == (404, {"detail": "Page not found"})


def test_crash_shows_500_page_without_internals(app, client, caplog):
    router = APIRouter()

    @router.get("/boom")
    def boom():
        secret = " ".join(["patient", "John", "Smith"])
        raise RuntimeError(secret)

    app.include_router(router)
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "John Smith" not in response.text and "Traceback" not in response.text
    assert "John Smith" not in caplog.text and "RuntimeError" in caplog.text


def test_pages_send_security_headers(client):
    headers = client.get("/login").headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in headers["content-security-policy"]


def test_forbidden_page_explains(client, db):
    make_user(db, email="jenna@example.org")
    sign_in(client, "jenna@example.org", PASSWORD)
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "ask your program's coordinator" in response.text


def test_static_css_is_served(client):
    assert client.get("/static/vendor/pico/pico.min.css").status_code == 200
