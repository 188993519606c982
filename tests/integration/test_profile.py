import pytest
from sqlmodel import select

from app.models import AuditEvent, User
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, make_user


def test_profile_page_saves_changes(client, db):
    user = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    sign_in(client, user.email, PASSWORD)
    form = {"full_name": "Jenna A. Whitfield", "degree": "NP", "profession": "Family nurse practitioner",
            "timezone": "America/Denver", "csrf_token": csrf_of(client)}
    response = client.post("/profile", data=form)
    assert (response.status_code, response.headers["location"]) == (303, "/profile")
    db.expire_all()
    saved = db.get(User, user.id)
    assert (saved.full_name, saved.degree, saved.profession, saved.timezone) == (
        "Jenna A. Whitfield", "NP", "Family nurse practitioner", "America/Denver")
    events = db.exec(select(AuditEvent.action, AuditEvent.details)).all()
    assert events == [("profile.updated", {"fields": ["degree", "full_name", "profession", "timezone"]})]


def test_profile_bad_timezone_changes_nothing(client, db):
    user = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield", timezone="America/Denver")
    sign_in(client, user.email, PASSWORD)
    form = {"full_name": "", "timezone": "Mars/Olympus", "csrf_token": csrf_of(client)}
    response = client.post("/profile", data=form)
    assert response.status_code == 422
    assert "Unknown time zone &#39;Mars/Olympus&#39;." in response.text
    assert "Enter your name as it should appear on certificates." in response.text
    db.expire_all()
    assert (db.get(User, user.id).full_name, db.get(User, user.id).timezone) == ("Jenna Whitfield", "America/Denver")


def test_profile_api_validation_names_fields(client, db):
    make_user(db, email="jenna@example.org")
    headers = api_token(client, "jenna@example.org", PASSWORD)
    response = client.put("/api/v1/users/me", json={"full_name": " ", "timezone": "Nowhere/Land"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "full_name": "Enter your name as it should appear on certificates.",
        "timezone": "Unknown time zone 'Nowhere/Land'.",
    }


@pytest.mark.parametrize("zone", ["America", "../../etc/passwd", "UTC/"])
def test_profile_zone_that_is_a_folder_or_path_is_refused_cleanly(client, db, zone):
    make_user(db, email="jenna@example.org")
    response = client.put("/api/v1/users/me", json={"full_name": "Jenna", "timezone": zone},
                          headers=api_token(client, "jenna@example.org", PASSWORD))
    assert (response.status_code, response.json()["fields"]["timezone"]) == (422, f"Unknown time zone {zone!r}.")
