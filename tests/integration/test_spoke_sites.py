"""Spoke sites: a coordinator adds and edits a site's state (from a list of states, DC and the
territories), county and rural flag, on the members page, the site's edit page and the JSON API;
the trends page's reach table reads what was saved."""

import re

import pytest
from sqlmodel import select

from app.models import AuditEvent, SpokeSite
from app.services import trends
from tests.conftest import api_token, csrf_of, sign_in
from tests.factories import PASSWORD, add_member, make_program, make_site, make_user
from tests.integration import trends_world


@pytest.fixture
def site_world(db):
    program = make_program(db, name="Hepatitis C")
    other = make_program(db, name="Diabetes")
    site = make_site(db, program, "Valley Clinic", "NM")
    foreign = make_site(db, other, "Hill Clinic", "TX")
    coordinator = make_user(db, email="coord@example.org", full_name="Cora Coordinator")
    clinician = make_user(db, email="clin@example.org", full_name="Cli Nician")
    add_member(db, program, coordinator, "coordinator")
    add_member(db, program, clinician, "clinician", site)
    return program, site, foreign


def options_of(html: str, name: str) -> list[tuple[str, str]]:
    select_html = re.search(rf'<select id="f-{name}" name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select_html)


def selected_of(html: str, name: str) -> str:
    select_html = re.search(rf'<select id="f-{name}" name="{name}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]*)" selected', select_html).group(1)


def test_the_state_of_a_new_site_is_chosen_from_the_states_dc_and_territories(client, db, site_world):
    program, _, _ = site_world
    sign_in(client, "coord@example.org", PASSWORD)

    html = client.get(f"/programs/{program.id}/members").text

    states = options_of(html, "state")
    assert len(states) == 1 + 56 and states[0] == ("", "— not given —")
    assert ("NM", "New Mexico (NM)") in states and ("DC", "District of Columbia (DC)") in states
    assert ("PR", "Puerto Rico (PR)") in states and ("GU", "Guam (GU)") in states
    assert '<label for="f-state">State or territory</label>' in html
    assert 'name="state" type="text"' not in html
    assert options_of(html, "rural") == [("", "Not recorded"), ("rural", "Rural"), ("urban", "Urban")]
    assert '<label for="f-county">County</label>' in html


def test_coordinator_adds_a_site_with_its_county_and_rural_flag_and_is_told(client, db, site_world):
    program, _, _ = site_world
    sign_in(client, "coord@example.org", PASSWORD)

    response = client.post(f"/programs/{program.id}/sites", data={
        "organisation": " Luna Rural Health ", "city": "Deming", "state": "NM", "county": "Luna", "rural": "rural",
        "csrf_token": csrf_of(client)})
    page = client.get(response.headers["location"]).text

    assert response.status_code == 303
    site = db.exec(select(SpokeSite).where(SpokeSite.organisation == "Luna Rural Health")).one()
    assert (site.city, site.state, site.county, site.rural) == ("Deming", "NM", "Luna", True)
    assert "Added the spoke site Luna Rural Health." in page
    assert "Luna Rural Health, Deming, NM · county: Luna · rural" in page


def test_edit_page_shows_the_site_as_saved(client, db, site_world):
    program, site, _ = site_world
    site.county, site.rural = "Cibola", False
    db.add(site)
    db.commit()
    sign_in(client, "coord@example.org", PASSWORD)

    html = client.get(f"/programs/{program.id}/sites/{site.id}/edit").text

    assert (selected_of(html, "state"), selected_of(html, "rural")) == ("NM", "urban")
    assert 'id="f-county" name="county" type="text" value="Cibola"' in html
    assert f'href="/programs/{program.id}/sites/{site.id}/edit" aria-label="Edit Valley Clinic"' in \
        client.get(f"/programs/{program.id}/members").text


def test_coordinator_edits_state_county_and_rural_flag_and_the_change_is_audited(client, db, site_world):
    program, site, _ = site_world
    sign_in(client, "coord@example.org", PASSWORD)

    response = client.post(f"/programs/{program.id}/sites/{site.id}/edit", data={
        "organisation": "Valley Clinic", "city": "Grants", "state": "az", "county": "Apache", "rural": "rural",
        "csrf_token": csrf_of(client)})
    page = client.get(response.headers["location"]).text

    db.expire_all()
    saved = db.get(SpokeSite, site.id)
    assert (response.status_code, saved.state, saved.county, saved.rural) == (303, "AZ", "Apache", True)
    assert "Saved Valley Clinic." in page
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "site.changed")).one()
    assert (event.object_id, event.details) == (site.id, {
        "old": {"county": "", "rural": None, "state": "NM"}, "new": {"county": "Apache", "rural": True, "state": "AZ"}})


def test_saving_a_site_unchanged_says_so_and_records_nothing(client, db, site_world):
    program, site, _ = site_world
    sign_in(client, "coord@example.org", PASSWORD)

    response = client.post(f"/programs/{program.id}/sites/{site.id}/edit", data={
        "organisation": "Valley Clinic", "city": "Grants", "state": "NM", "county": "", "rural": "",
        "csrf_token": csrf_of(client)})

    assert "Nothing changed for Valley Clinic." in client.get(response.headers["location"]).text
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "site.changed")).all() == []


@pytest.mark.parametrize("field, value, message", [
    ("state", "ZZ", "Choose a US state, DC or a territory from the list."),
    ("state", "New Mexico", "Choose a US state, DC or a territory from the list."),
    ("organisation", "  ", "Name the organisation."),
    ("county", "x" * 121, "Use at most 120 characters."),
    ("rural", "sometimes", "Choose rural, urban or not recorded."),
])
def test_a_wrong_field_is_named_and_nothing_changes(client, db, site_world, field, value, message):
    program, site, _ = site_world
    sign_in(client, "coord@example.org", PASSWORD)
    form = {"organisation": "Renamed Clinic", "city": "Grants", "state": "NM", "county": "Cibola", "rural": "urban",
            field: value, "csrf_token": csrf_of(client)}

    response = client.post(f"/programs/{program.id}/sites/{site.id}/edit", data=form)

    assert response.status_code == 422
    assert f'<small id="e-{field}" class="field-error">{message}</small>' in response.text
    assert "<title>Error: Edit Valley Clinic" in response.text
    db.expire_all()
    saved = db.get(SpokeSite, site.id)
    assert (saved.organisation, saved.county, saved.rural) == ("Valley Clinic", "", None)


def test_a_new_site_with_a_wrong_state_is_refused_on_the_members_page(client, db, site_world):
    program, _, _ = site_world
    sign_in(client, "coord@example.org", PASSWORD)

    response = client.post(f"/programs/{program.id}/sites", data={
        "organisation": "Typo Clinic", "state": "N", "csrf_token": csrf_of(client)})

    assert response.status_code == 422
    assert '<small id="e-state" class="field-error">Choose a US state, DC or a territory from the list.</small>' \
        in response.text
    assert db.exec(select(SpokeSite).where(SpokeSite.organisation == "Typo Clinic")).all() == []


def test_api_replaces_a_site_and_returns_it(client, db, site_world):
    program, site, _ = site_world
    headers = api_token(client, "coord@example.org", PASSWORD)

    response = client.put(f"/api/v1/programs/{program.id}/sites/{site.id}", headers=headers, json={
        "organisation": "Valley Clinic", "city": "Grants", "state": "pr", "county": "Ponce", "rural": False})

    assert response.status_code == 200
    assert response.json() == {"id": site.id, "program_id": program.id, "organisation": "Valley Clinic",
                               "city": "Grants", "state": "PR", "county": "Ponce", "rural": False}
    listed = client.get(f"/api/v1/programs/{program.id}/sites", headers=headers).json()
    assert [(s["county"], s["rural"]) for s in listed] == [("Ponce", False)]


def test_a_site_is_looked_up_in_its_program_and_only_a_coordinator_edits_it(client, db, site_world):
    program, site, foreign = site_world
    coordinator = api_token(client, "coord@example.org", PASSWORD)
    clinician = api_token(client, "clin@example.org", PASSWORD)
    body = {"organisation": "Hill Clinic", "state": "TX", "rural": True}

    elsewhere = client.put(f"/api/v1/programs/{program.id}/sites/{foreign.id}", headers=coordinator, json=body)
    not_allowed = client.put(f"/api/v1/programs/{program.id}/sites/{site.id}", headers=clinician, json=body)

    assert (elsewhere.status_code, not_allowed.status_code) == (404, 403)
    db.expire_all()
    assert (db.get(SpokeSite, foreign.id).rural, db.get(SpokeSite, site.id).organisation) == (None, "Valley Clinic")


def test_the_trends_reach_counts_a_site_by_the_flag_set_in_the_form(client, db):
    world = trends_world.build(db)
    sites = {s.organisation: s for s in db.exec(select(SpokeSite).where(SpokeSite.program_id == world.program.id))}
    sign_in(client, "coord@trends.example.org", PASSWORD)
    for name, county, rural in (("Valley Clinic", "Cibola", "rural"), ("Plains Clinic", "Potter", "urban")):
        site = sites[name]
        client.post(f"/programs/{world.program.id}/sites/{site.id}/edit", data={
            "organisation": name, "city": site.city, "state": site.state, "county": county, "rural": rural,
            "csrf_token": csrf_of(client)})

    rows = trends.reach(db, world.program, period="12")

    assert [(r.state, r.county, r.rural) for r in rows] == [("NM", "Cibola", True), ("TX", "Potter", False)]
    assert trends.rural_share(rows) == 2 / 3
