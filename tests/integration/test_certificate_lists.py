"""Certificate lists: a learner's own (/certificates) and every certificate for the CME office
(/credit/certificates): search, orders, keyset pages, the same statements at any size, and who may
open them."""

import re
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.models import Certificate, EchoSession
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_program, make_user
from tests.integration.list_helpers import statements_of

T0 = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)


def add_session(db, program, starts_at: datetime) -> EchoSession:
    session = EchoSession(program_id=program.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    db.add(session)
    db.commit()
    return session


def issue(db, sessions, learner, *, revoked: bool = False, printed: str | None = None) -> list[Certificate]:
    certificates = [Certificate(code=secrets.token_hex(8), session_id=s.id, user_id=learner.id, credit_type="ama_pra_1",
                                credits=Decimal("1.00"), learner_name=printed or learner.full_name,
                                revoked_at=T0 if revoked else None, revoke_reason="Wrong session." if revoked else "")
                    for s in sessions]
    db.add_all(certificates)
    db.commit()
    return certificates


def weekly(db, program, count: int, start: int = 0) -> list[EchoSession]:
    return [add_session(db, program, T0 + timedelta(weeks=start + n)) for n in range(count)]


def dates(html: str) -> list[str]:
    return re.findall(r"<td>(\d{1,2} \w{3} \d{4})</td>", html)


def next_url(html: str) -> str | None:
    found = re.findall(r'href="([^"]+)" rel="next"', html)
    return found[0].replace("&amp;", "&") if found else None


@pytest.fixture
def people(db):
    return {"ana": make_user(db, email="ana@example.org", full_name="Ana Ortiz"),
            "ben": make_user(db, email="ben@example.org", full_name="Ben Lee"),
            "cme": make_user(db, email="cme@example.org", full_name="Priya Raman", is_cme_office=True)}


# --- the learner's own ----------------------------------------------------------------------------


def test_my_certificates_take_the_same_statements_for_3_or_60_and_page_by_50(client, db, people):
    program = make_program(db, name="Hepatitis C")
    issue(db, weekly(db, program, 3), people["ana"])
    sign_in(client, "ana@example.org", PASSWORD)
    few, _ = statements_of(client, "/certificates")
    issue(db, weekly(db, program, 57, start=3), people["ana"])

    many, page = statements_of(client, "/certificates")
    second = client.get(next_url(page.text)).text

    assert len(many) == len(few)
    assert len(dates(page.text)) == 50 and len(dates(second)) == 10
    assert dates(page.text)[0] == "19 Apr 2027" and dates(second)[-1] == "2 Mar 2026"
    assert "60 certificates" in page.text
    assert next_url(second) is None


def test_my_certificates_are_found_by_program_and_ordered(client, db, people):
    hep, pain = make_program(db, name="Hepatitis C"), make_program(db, name="Chronic Pain")
    issue(db, weekly(db, hep, 2), people["ana"])
    issue(db, weekly(db, pain, 2, start=2), people["ana"])
    issue(db, weekly(db, pain, 3, start=4), people["ben"])
    sign_in(client, "ana@example.org", PASSWORD)

    found = client.get("/certificates", params={"q": "pain"}).text
    oldest = client.get("/certificates", params={"sort": "oldest"}).text
    by_program = client.get("/certificates", params={"sort": "program"}).text
    nothing = client.get("/certificates", params={"q": "asthma"}).text

    assert dates(found) == ["23 Mar 2026", "16 Mar 2026"]
    assert dates(oldest) == ["2 Mar 2026", "9 Mar 2026", "16 Mar 2026", "23 Mar 2026"]
    assert re.findall(r"<td>(Chronic Pain|Hepatitis C)</td>", by_program) == [
        "Chronic Pain", "Chronic Pain", "Hepatitis C", "Hepatitis C"]
    assert "No certificate of a program matching “asthma”." in nothing
    assert '<label>Program <input type="search" name="q"' in found


def test_transcript_years_are_the_years_in_each_programs_time_zone(client, db, people):
    denver = make_program(db, name="Hepatitis C", timezone="America/Denver")
    auckland = make_program(db, name="Rural Health NZ", timezone="Pacific/Auckland")
    # 31 Dec 2025, 23:30 in Denver; 1 Jan 2024, 00:30 in Auckland (still 2023 in UTC).
    issue(db, [add_session(db, denver, datetime(2026, 1, 1, 6, 30, tzinfo=UTC))], people["ana"])
    issue(db, [add_session(db, auckland, datetime(2023, 12, 31, 11, 30, tzinfo=UTC))], people["ana"])
    issue(db, [add_session(db, denver, datetime(2022, 6, 1, 18, 0, tzinfo=UTC))], people["ben"])
    sign_in(client, "ana@example.org", PASSWORD)

    html = client.get("/certificates").text

    assert re.findall(r"transcript\.pdf\?year=(\d{4})", html) == ["2025", "2024"]


def test_my_certificates_page_with_every_filter_empty_shows_all(client, db, people):
    issue(db, weekly(db, make_program(db), 2), people["ana"], revoked=True)
    sign_in(client, "ana@example.org", PASSWORD)

    response = client.get("/certificates", params={"q": "", "sort": "", "cursor": "", "limit": ""})

    assert response.status_code == 200 and response.text.count("<small>Revoked</small>") == 2


# --- every certificate, for the CME office --------------------------------------------------------


def test_the_cme_list_takes_the_same_statements_for_3_or_60(client, db, people):
    program = make_program(db)
    issue(db, weekly(db, program, 3), people["ana"])
    sign_in(client, "cme@example.org", PASSWORD)
    few, _ = statements_of(client, "/credit/certificates", params={"q": "ana", "program_id": str(program.id)})
    issue(db, weekly(db, program, 57, start=3), people["ana"])

    many, page = statements_of(client, "/credit/certificates", params={"q": "ana", "program_id": str(program.id)})

    assert len(many) == len(few)
    assert page.text.count("Download (PDF)") == 50


def test_the_cme_list_finds_by_learner_email_or_code(client, db, people):
    program = make_program(db)
    sessions = weekly(db, program, 2)
    [ana_first, _] = issue(db, sessions, people["ana"])
    issue(db, sessions, people["ben"], printed="Benjamin Lee")
    sign_in(client, "cme@example.org", PASSWORD)

    def learners(params):
        html = client.get("/credit/certificates", params=params).text
        return re.findall(r"<td>(Ana Ortiz|Ben Lee)", html)

    assert learners({"q": "ORTIZ"}) == ["Ana Ortiz", "Ana Ortiz"]
    assert learners({"q": "ben@"}) == ["Ben Lee", "Ben Lee"]
    assert learners({"q": ana_first.code}) == ["Ana Ortiz"]
    assert "(printed as Benjamin Lee)" in client.get("/credit/certificates", params={"q": "ben"}).text


def test_the_cme_list_filters_by_program_and_state_and_orders(client, db, people):
    hep, pain = make_program(db, name="Hepatitis C"), make_program(db, name="Chronic Pain")
    issue(db, weekly(db, hep, 1), people["ben"])
    issue(db, weekly(db, pain, 1, start=1), people["ana"], revoked=True)
    issue(db, weekly(db, hep, 1, start=2), people["ana"])
    sign_in(client, "cme@example.org", PASSWORD)

    def rows(params):
        html = client.get("/credit/certificates", params=params).text
        return re.findall(r"(Hepatitis C|Chronic Pain), (\d{1,2} \w{3} \d{4})</a>", html)

    assert rows({}) == [("Hepatitis C", "16 Mar 2026"), ("Chronic Pain", "9 Mar 2026"), ("Hepatitis C", "2 Mar 2026")]
    assert rows({"program_id": str(hep.id)}) == [("Hepatitis C", "16 Mar 2026"), ("Hepatitis C", "2 Mar 2026")]
    assert rows({"state": "revoked"}) == [("Chronic Pain", "9 Mar 2026")]
    assert rows({"state": "valid", "sort": "learner"}) == [
        ("Hepatitis C", "16 Mar 2026"), ("Hepatitis C", "2 Mar 2026")]
    assert rows({"sort": "session", "limit": "2"}) == [("Hepatitis C", "16 Mar 2026"), ("Chronic Pain", "9 Mar 2026")]
    assert rows({"q": "", "program_id": "", "state": "", "sort": "", "cursor": ""}) == rows({})


def test_the_cme_list_pages_by_learner_to_the_end(client, db, people):
    program = make_program(db)
    issue(db, weekly(db, program, 3), people["ben"])
    issue(db, weekly(db, program, 3), people["ana"])
    sign_in(client, "cme@example.org", PASSWORD)

    pages = [client.get("/credit/certificates", params={"sort": "learner", "limit": "4"}).text]
    while url := next_url(pages[-1]):
        pages.append(client.get(url).text)

    assert [re.findall(r"<td>(Ana Ortiz|Ben Lee)", page) for page in pages] == [
        ["Ana Ortiz"] * 3 + ["Ben Lee"], ["Ben Lee"] * 2]


@pytest.mark.parametrize("params, field", [
    ({"state": "expired"}, "state"), ({"program_id": "hep"}, "program_id"), ({"sort": "credits"}, "sort"),
    ({"cursor": "abc"}, "cursor"), ({"limit": "0"}, "limit"),
])
def test_a_wrong_filter_is_a_page_naming_it(client, db, people, params, field):
    sign_in(client, "cme@example.org", PASSWORD)

    response = client.get("/credit/certificates", params=params)

    assert response.status_code == 422 and f"<strong>{field}</strong>" in response.text


@pytest.mark.parametrize("who, status", [("ana@example.org", 403), ("cme@example.org", 200)])
def test_only_the_cme_office_and_admins_see_every_certificate(client, db, people, who, status):
    sign_in(client, who, PASSWORD)

    assert client.get("/credit/certificates").status_code == status
