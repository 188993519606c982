"""Every case and recommendation route against every kind of caller: the status code, and that no
case text reaches anyone who may not read it."""

import pytest

from tests.conftest import api_token, sign_in
from tests.factories import PASSWORD
from tests.integration.test_reviews import CASE, first_session, hub, scheduled_case  # noqa: F401

SECRET_TEXT = "Fatigue only."  # from CASE["presenting_problem"]
CALLERS = ["anonymous", "presenter", "colleague", "outsider", "specialist", "coordinator", "cme", "admin"]

# route -> expected status per caller, in CALLERS order
API_MATRIX = {
    ("GET", "/api/v1/cases/{case}"): [401, 200, 403, 403, 200, 200, 403, 200],
    ("GET", "/api/v1/cases/{case}/recommendation"): [401, 200, 403, 403, 200, 200, 403, 200],
    ("GET", "/api/v1/cases/{case}/audit"): [401, 403, 403, 403, 403, 200, 403, 200],
    ("POST", "/api/v1/cases/{case}/approve"): [401, 403, 403, 403, 409, 409, 403, 403],
    ("POST", "/api/v1/cases/{case}/return"): [401, 403, 403, 403, 409, 409, 403, 403],
    ("POST", "/api/v1/cases/{case}/assign"): [401, 403, 403, 403, 403, 422, 403, 422],
    ("PUT", "/api/v1/cases/{case}"): [401, 403, 403, 403, 403, 403, 403, 403],
    ("PUT", "/api/v1/cases/{case}/recommendation"): [401, 403, 403, 403, 409, 409, 403, 403],
    ("POST", "/api/v1/cases/{case}/recommendation/finalise"): [401, 403, 403, 403, 409, 409, 403, 403],
    ("POST", "/api/v1/cases/{case}/recommendation/addenda"): [401, 403, 403, 403, 422, 422, 403, 403],
    ("GET", "/cases/{case}/letter.pdf"): [303, 200, 403, 403, 200, 200, 403, 200],
}
PAGE_MATRIX = {
    "/cases/{case}": [303, 200, 403, 403, 200, 200, 403, 200],
    "/cases/{case}/edit": [303, 403, 403, 403, 403, 403, 403, 403],
    "/cases/{case}/audit": [303, 403, 403, 403, 403, 200, 403, 200],
    "/cases": [303, 200, 200, 200, 200, 200, 200, 200],
    "/review": [303, 409, 409, 409, 200, 200, 409, 200],
    "/sessions/{session}": [303, 200, 200, 403, 200, 200, 200, 200],
}
ALLOWED_TO_READ = {"presenter", "specialist", "coordinator", "admin"}


@pytest.fixture
def world(client, db, hub):  # noqa: F811
    program, people = hub
    case_id = scheduled_case(client, db, program, people)
    token = api_token(client, people["specialist"].email, PASSWORD)
    url = f"/api/v1/cases/{case_id}/recommendation"
    client.put(url, json={"version": 0, "items": ["Start treatment."]}, headers=token)
    client.post(f"{url}/finalise", json={"version": 1}, headers=token)
    tokens = {caller: api_token(client, people[caller].email, PASSWORD) for caller in CALLERS[1:]}
    tokens["anonymous"] = {}
    return program, people, case_id, first_session(db, program).id, tokens


def call(client, method, path, headers):
    bodies = {"return": {"reason": "More detail please."}, "assign": {"session_id": 0},
              "recommendation": {"version": 1, "items": ["x"]}, "finalise": {"version": 1}, "addenda": {"text": " "}}
    body = next((b for key, b in bodies.items() if path.endswith(key)), None)
    if method == "PUT" and path.count("/") == 4:
        body = {**CASE, "submit": False}
    return client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("route", list(API_MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_api_route_against_every_caller(client, db, world, route):
    program, people, case_id, session_id, tokens = world
    method, template = route
    path = template.format(case=case_id, session=session_id)
    seen = []
    for caller in CALLERS:
        response = call(client, method, path, tokens[caller])
        seen.append(response.status_code)
        if caller not in ALLOWED_TO_READ or response.status_code != 200:
            assert SECRET_TEXT not in response.text, (caller, path)
    assert seen == API_MATRIX[route]


@pytest.mark.parametrize("template", list(PAGE_MATRIX))
def test_page_against_every_caller(client, db, world, template):
    program, people, case_id, session_id, _ = world
    path = template.format(case=case_id, session=session_id)
    seen = []
    for caller in CALLERS:
        client.cookies.clear()
        if caller != "anonymous":
            sign_in(client, people[caller].email, PASSWORD)
        response = client.get(path)
        seen.append(response.status_code)
        if caller not in ALLOWED_TO_READ or template != "/cases/{case}":
            assert SECRET_TEXT not in response.text, (caller, path)
    assert seen == PAGE_MATRIX[template]


def test_case_list_api_carries_no_text_for_anyone(client, db, world):
    program, people, case_id, _, tokens = world
    for caller in CALLERS[1:]:
        response = client.get("/api/v1/cases", headers=tokens[caller])
        assert SECRET_TEXT not in response.text
        expected = [case_id] if caller in {"presenter", "specialist", "coordinator", "admin"} else []
        assert [c["id"] for c in response.json()] == expected, caller
