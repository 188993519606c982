"""Who sees which program: not found before forbidden, members only for members."""

from tests.conftest import api_token, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_site, make_user


def _setup(db):
    private = make_program(db, name="Chronic Pain and OUD", visibility="private", timezone="America/New_York")
    public = make_program(db, name="Pediatric Asthma", visibility="public", timezone="America/Chicago")
    coordinator = make_user(db, email="coord@example.org", full_name="Rosa Delgado")
    outsider = make_user(db, email="outsider@example.org", full_name="Out Sider")
    add_member(db, private, coordinator, "coordinator")
    clinician = make_user(db, email="jenna@example.org", full_name="Jenna Whitfield")
    add_member(db, private, clinician, "clinician", make_site(db, private, "Tug Valley Primary Care", "WV"))
    return private, public, coordinator, outsider, clinician


def test_programs_api_lists_member_and_public_programs_only(client, db):
    private, public, _, outsider, clinician = _setup(db)
    mine = client.get("/api/v1/programs", headers=api_token(client, clinician.email, PASSWORD)).json()
    theirs = client.get("/api/v1/programs", headers=api_token(client, outsider.email, PASSWORD)).json()
    assert [(p["id"], p["my_role"]) for p in mine] == [(private.id, "clinician"), (public.id, None)]
    assert [p["id"] for p in theirs] == [public.id]


def test_private_program_is_forbidden_to_outsider(client, db):
    private, *_ = _setup(db)
    headers = api_token(client, "outsider@example.org", PASSWORD)
    assert client.get(f"/api/v1/programs/{private.id}", headers=headers).status_code == 403


def test_missing_program_is_404_before_403(client, db):
    _setup(db)
    headers = api_token(client, "outsider@example.org", PASSWORD)
    response = client.get("/api/v1/programs/999999", headers=headers)
    assert (response.status_code, response.json()) == (404, {"detail": "No such program."})


def test_anonymous_api_is_401(client, db):
    private, *_ = _setup(db)
    assert client.get(f"/api/v1/programs/{private.id}").status_code == 401


def test_program_page_shows_members_to_members_only(client, db):
    private, public, coordinator, outsider, clinician = _setup(db)
    add_member(db, public, clinician, "clinician")
    sign_in(client, outsider.email, PASSWORD)
    page = client.get(f"/programs/{public.id}")
    assert page.status_code == 200 and "Members (" not in page.text
    forbidden = client.get(f"/programs/{private.id}")
    assert forbidden.status_code == 403 and "Chronic Pain" not in forbidden.text
    client.cookies.clear()
    sign_in(client, clinician.email, PASSWORD)
    page = client.get(f"/programs/{private.id}")
    assert "Members (2)" in page.text and "Tug Valley Primary Care" in page.text


def test_home_page_fits_each_role(client, db):
    _, _, coordinator, _, clinician = _setup(db)
    make_user(db, email="cme@example.org", full_name="Priya Raman", is_cme_office=True)
    make_user(db, email="admin@example.org", full_name="Alex Morgan", is_admin=True)
    expectations = {
        coordinator.email: "You manage the schedule",
        clinician.email: "You present cases",
        "cme@example.org": "Continuing education",
        "admin@example.org": "Site administration",
    }
    for email, text in expectations.items():
        client.cookies.clear()
        sign_in(client, email, PASSWORD)
        assert text in client.get("/").text, email
