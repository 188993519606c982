"""Running a program: creating and editing it, spoke sites, members, and public registration."""

from sqlmodel import select

from app.models import Membership, OutboxMessage, Program, User
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_site, make_user

PROGRAM = {"name": "Perinatal Substance Use", "timezone": "America/Phoenix", "description": "Monthly",
           "video_url": "https://zoom.us/j/777", "default_duration_minutes": 60, "visibility": "private"}


def test_admin_creates_program_and_becomes_its_coordinator(client, db):
    admin = make_user(db, email="admin@example.org", is_admin=True)
    response = client.post("/api/v1/programs", json=PROGRAM, headers=api_token(client, admin.email, PASSWORD))
    assert response.status_code == 201
    assert (response.json()["slug"], response.json()["my_role"]) == ("perinatal-substance-use", "coordinator")
    assert db.exec(select(Membership.role).where(Membership.user_id == admin.id)).all() == ["coordinator"]


def test_clinician_cannot_create_programs(client, db):
    clinician = make_user(db, email="jenna@example.org")
    response = client.post("/api/v1/programs", json=PROGRAM, headers=api_token(client, clinician.email, PASSWORD))
    assert response.status_code == 403
    assert db.exec(select(Program)).all() == []


def test_bad_program_is_refused_per_field(client, db):
    admin = make_user(db, email="admin@example.org", is_admin=True)
    bad = {**PROGRAM, "name": " ", "timezone": "Mars/Olympus", "video_url": "zoom.us/j/1", "default_duration_minutes": 5}
    response = client.post("/api/v1/programs", json=bad, headers=api_token(client, admin.email, PASSWORD))
    assert (response.status_code, sorted(response.json()["fields"])) == (
        422, ["default_duration_minutes", "name", "timezone", "video_url"])
    assert db.exec(select(Program)).all() == []


def test_program_form_page_round_trip(client, db):
    admin = make_user(db, email="admin@example.org", is_admin=True)
    sign_in(client, admin.email, PASSWORD)
    form = {**PROGRAM, "default_duration_minutes": "sixty", "csrf_token": csrf_of(client)}
    refused = client.post("/programs/new", data=form)
    assert refused.status_code == 422 and "Give the length in whole minutes." in refused.text
    created = client.post("/programs/new", data={**form, "default_duration_minutes": "60"})
    assert created.status_code == 303
    program = db.exec(select(Program)).one()
    assert (program.name, program.timezone) == ("Perinatal Substance Use", "America/Phoenix")


def test_coordinator_adds_site_and_members_including_a_new_person(client, db):
    program = make_program(db)
    coordinator = make_user(db, email="rosa@example.org")
    add_member(db, program, coordinator, "coordinator")
    existing = make_user(db, email="marcus@example.org", full_name="Marcus Tsosie")
    headers = api_token(client, coordinator.email, PASSWORD)
    site = client.post(f"/api/v1/programs/{program.id}/sites", headers=headers,
                       json={"organisation": "Four Corners Clinic", "city": "Farmington", "state": "nm"}).json()
    assert site["state"] == "NM"
    added = client.post(f"/api/v1/programs/{program.id}/members", headers=headers,
                        json={"email": "Marcus@Example.org", "role": "clinician", "site_id": site["id"]})
    assert (added.status_code, added.json()["user_id"], added.json()["site_id"]) == (201, existing.id, site["id"])
    invited = client.post(f"/api/v1/programs/{program.id}/members", headers=headers,
                          json={"email": "new.nurse@clinic.org", "full_name": "New Nurse", "role": "clinician"})
    assert invited.status_code == 201
    assert db.exec(select(User.email).where(User.id == invited.json()["user_id"])).one() == "new.nurse@clinic.org"
    assert db.exec(select(OutboxMessage.kind)).all() == ["account_invitation"]
    again = client.post(f"/api/v1/programs/{program.id}/members", headers=headers,
                        json={"email": "marcus@example.org", "role": "specialist"})
    assert (again.status_code, again.json()["detail"]) == (409, "Marcus Tsosie is already a member of this program.")


def test_site_of_another_program_is_refused(client, db):
    program, other = make_program(db), make_program(db, name="Other")
    foreign_site = make_site(db, other)
    coordinator = make_user(db, email="rosa@example.org")
    add_member(db, program, coordinator, "coordinator")
    make_user(db, email="marcus@example.org")
    response = client.post(f"/api/v1/programs/{program.id}/members", headers=api_token(client, coordinator.email, PASSWORD),
                           json={"email": "marcus@example.org", "role": "clinician", "site_id": foreign_site.id})
    assert (response.status_code, response.json()["fields"]) == (422, {"site_id": "Choose one of this program's spoke sites."})


def test_last_coordinator_cannot_be_removed(client, db):
    program = make_program(db)
    coordinator = make_user(db, email="rosa@example.org")
    membership = add_member(db, program, coordinator, "coordinator")
    response = client.delete(f"/api/v1/programs/{program.id}/members/{membership.id}",
                             headers=api_token(client, coordinator.email, PASSWORD))
    assert response.status_code == 409
    assert db.exec(select(Membership)).all() != []


def test_clinician_joins_public_program_with_site(client, db):
    public = make_program(db, name="Pediatric Asthma", visibility="public")
    site = make_site(db, public, "Delta Pediatrics", "MS")
    clinician = make_user(db, email="jorge@example.org")
    sign_in(client, clinician.email, PASSWORD)
    refused = client.post(f"/programs/{public.id}/join", data={"csrf_token": csrf_of(client)})
    assert refused.status_code == 422 and "Choose your spoke site." in refused.text
    joined = client.post(f"/programs/{public.id}/join", data={"site_id": str(site.id), "csrf_token": csrf_of(client)})
    assert joined.status_code == 303
    assert db.exec(select(Membership.role, Membership.site_id)).all() == [("clinician", site.id)]
    assert client.get(f"/programs/{public.id}/join").status_code == 403  # already a member


def test_private_program_cannot_be_joined(client, db):
    private = make_program(db, visibility="private")
    clinician = make_user(db, email="jorge@example.org")
    response = client.post(f"/api/v1/programs/{private.id}/join", headers=api_token(client, clinician.email, PASSWORD))
    assert response.status_code == 403
    assert db.exec(select(Membership)).all() == []


def test_non_member_sees_no_video_link(client, db):
    public = make_program(db, visibility="public", video_url="https://zoom.us/j/secret")
    outsider = make_user(db, email="out@example.org")
    body = client.get(f"/api/v1/programs/{public.id}", headers=api_token(client, outsider.email, PASSWORD)).json()
    assert body["video_url"] == ""
