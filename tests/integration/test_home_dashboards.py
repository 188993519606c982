"""The home page's dashboards (#11): each role sees what waits for it in the programs where it holds
that role, each item linking to where the work is done, and nothing of other programs or other
people; the page takes the same SQL statements with little or much data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.db import utcnow
from app.models import (
    AttendanceImport,
    AuditEvent,
    CasePresentation,
    Certificate,
    CreditAward,
    CreditSettings,
    EchoSession,
    Evaluation,
    ImprovementMeasure,
    MeasureReport,
    Recommendation,
    ReportPerson,
)
from app.permissions import Actor
from app.services import dashboard
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_member, make_program, make_site, make_user
from tests.integration.attendance_helpers import past_session
from tests.querycount import count_queries

_numbers: dict[int, int] = {}


def a_case(db, program, presenter, status: str, **fields) -> CasePresentation:
    _numbers[program.id] = _numbers.get(program.id, 0) + 1
    case = CasePresentation(program_id=program.id, presenter_id=presenter.id, status=status,
                            number=f"C{program.id}-{_numbers[program.id]}",
                            submitted_at=utcnow() - timedelta(days=3), question="Which regimen?", **fields)
    db.add(case)
    db.commit()
    return case


def final_recommendation(db, case, *, days_ago: float = 1) -> Recommendation:
    recommendation = Recommendation(case_id=case.id, items=["Treat for 12 weeks."], status="final",
                                    finalised_at=utcnow() - timedelta(days=days_ago))
    db.add(recommendation)
    db.commit()
    return recommendation


def ahead(db, program, days: float, *, invited: bool = False, cancelled: bool = False) -> EchoSession:
    starts_at = utcnow() + timedelta(days=days)
    session = EchoSession(program_id=program.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
                          status="cancelled" if cancelled else "scheduled",
                          invited_at=utcnow() if invited else None)
    db.add(session)
    db.commit()
    return session


def report_rows(db, session, statuses: list[str], *, active: bool = True) -> AttendanceImport:
    report = AttendanceImport(session_id=session.id, source="zoom", layout="zoom-participants",
                              fingerprint=f"{session.id}-{len(statuses)}-{active}", active=active)
    db.add(report)
    db.commit()
    db.add_all(ReportPerson(import_id=report.id, display_name=f"Person {n}", status=status)
               for n, status in enumerate(statuses))
    db.commit()
    return report


def last_month(program) -> date:
    first = datetime.now(ZoneInfo(program.timezone)).date().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def home_as(client, user) -> str:
    sign_in(client, user.email, PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    return response.text


def section(page: str, heading: str) -> str:
    """The text of the page's <section> whose heading is `heading` ("" when there is none)."""
    start = page.find(f">{heading}</h2>")
    return page[start:page.index("</section>", start)] if start >= 0 else ""


@pytest.fixture
def world(db):
    hcv = make_program(db, name="Hepatitis C ECHO")
    pain = make_program(db, name="Pain ECHO")
    valley, river = make_site(db, hcv, "Valley Clinic"), make_site(db, hcv, "River Clinic")
    people = {name: make_user(db, email=f"{name}@example.org", full_name=name.title())
              for name in ("jenna", "omar", "sam", "cora", "pat")}
    add_member(db, hcv, people["jenna"], "clinician", valley)
    add_member(db, hcv, people["omar"], "clinician", river)
    add_member(db, hcv, people["sam"], "specialist")
    add_member(db, hcv, people["cora"], "coordinator")
    add_member(db, pain, people["pat"], "coordinator")
    people["cme"] = make_user(db, email="cme@example.org", full_name="Carla CME", is_cme_office=True)
    people["admin"] = make_user(db, email="admin@example.org", full_name="Ada Admin", is_admin=True)
    return hcv, pain, (valley, river), people


def test_a_clinician_sees_the_recommendations_ready_on_her_own_cases(client, db, world):
    hcv, pain, _, people = world
    jenna, omar = people["jenna"], people["omar"]
    ready = a_case(db, hcv, jenna, "presented")
    final_recommendation(db, ready)
    opened = a_case(db, hcv, jenna, "presented")
    final_recommendation(db, opened, days_ago=2)
    db.add(AuditEvent(actor_id=jenna.id, action="case.viewed", object_type="case_presentation", object_id=opened.id))
    drafted = a_case(db, hcv, jenna, "scheduled")
    db.add(Recommendation(case_id=drafted.id, items=["Not yet"], status="draft"))
    others = a_case(db, hcv, omar, "presented")
    final_recommendation(db, others)
    db.commit()

    mine = section(home_as(client, jenna), "Your cases and reports")

    assert "Recommendations ready: 1 case" in mine
    assert f'href="/cases/{ready.id}#recommendations"' in mine
    for absent in (opened, drafted, others):
        assert f"/cases/{absent.id}#" not in mine
    # Opening the case (every read is audited) takes it off the list.
    assert client.get(f"/cases/{ready.id}").status_code == 200
    assert "Recommendations ready" not in client.get("/").text
    assert f'href="/cases/{others.id}#recommendations"' in section(home_as(client, omar), "Your cases and reports")


def test_a_clinician_sees_the_measure_report_due_from_her_own_site(client, db, world):
    hcv, pain, (valley, river), people = world
    month = last_month(hcv)
    monthly = ImprovementMeasure(program_id=hcv.id, name="SVR12 checked", numerator_definition="Checked",
                                 denominator_definition="Treated", period="monthly", goal="up")
    archived = ImprovementMeasure(program_id=hcv.id, name="Old measure", numerator_definition="Checked",
                                  denominator_definition="Treated", period="monthly", goal="up", archived=True)
    db.add_all([monthly, archived])
    db.commit()
    db.add(MeasureReport(measure_id=monthly.id, spoke_site_id=river.id, period_start=month, numerator=3, denominator=4))
    db.commit()

    jenna_page = section(home_as(client, people["jenna"]), "Your cases and reports")
    omar_page = home_as(client, people["omar"])

    assert "Measure reports due from your site: 1" in jenna_page
    assert f'href="/programs/{hcv.id}/measures/{monthly.id}#report">SVR12 checked</a>, {month:%B %Y}' in jenna_page
    assert "Old measure" not in jenna_page
    assert "Measure reports due" not in omar_page  # River Clinic reported last month


def test_the_next_session_says_when_check_in_is_open(client, db, world):
    hcv, pain, _, people = world
    hcv.video_url = "https://zoom.example/j/111"
    db.add(hcv)
    starting = ahead(db, hcv, 5 / 1440)  # in five minutes: check-in opened five minutes ago
    ahead(db, hcv, 7)

    coming = section(home_as(client, people["jenna"]), "Coming up")

    assert f'<a href="/sessions/{starting.id}/checkin">check in</a>' in coming
    assert coming.count("Check-in") == 1  # the next session's only
    assert 'href="https://zoom.example/j/111"' in coming


def test_check_in_opens_ten_minutes_before_the_start_and_closes_at_the_end(db, world):
    hcv, *_ = world
    session = ahead(db, hcv, 2)
    window = dashboard.checkin_window(session, now=session.starts_at - timedelta(minutes=11))
    assert (window.opens, window.closes, window.open_now) == (
        session.starts_at - timedelta(minutes=10), session.ends_at, False)
    assert dashboard.checkin_window(session, now=session.starts_at - timedelta(minutes=10)).open_now is True
    assert dashboard.checkin_window(session, now=session.ends_at + timedelta(seconds=1)).open_now is False


def test_a_specialist_sees_cases_to_review_recommendations_to_finalise_and_follow_ups(client, db, world):
    hcv, pain, _, people = world
    jenna = people["jenna"]
    held, coming = past_session(db, hcv, start=datetime.now(UTC) - timedelta(days=2)), ahead(db, hcv, 5)
    submitted = a_case(db, hcv, jenna, "submitted")
    in_review = a_case(db, hcv, jenna, "in_review")
    draft = a_case(db, hcv, jenna, "draft")
    discussed = a_case(db, hcv, jenna, "scheduled", session_id=held.id)
    drafted = a_case(db, hcv, jenna, "scheduled", session_id=held.id)
    db.add(Recommendation(case_id=drafted.id, items=["Start"], status="draft"))
    on_agenda = a_case(db, hcv, jenna, "scheduled", session_id=coming.id)
    follow_up = a_case(db, hcv, jenna, "presented", follow_up_on=date.today() + timedelta(days=3))
    later = a_case(db, hcv, jenna, "presented", follow_up_on=date.today() + timedelta(days=40))
    closed = a_case(db, hcv, jenna, "closed", follow_up_on=date.today() + timedelta(days=3))
    elsewhere = a_case(db, pain, people["pat"], "submitted")
    third, fourth = a_case(db, hcv, jenna, "submitted"), a_case(db, hcv, jenna, "submitted")

    hub = section(home_as(client, people["sam"]), "Hub review")

    assert "4 cases waiting for review" in hub and '<a href="/review">Open the review queue</a>' in hub
    # The three waiting longest, the longest first.
    assert hub.index(f'"/cases/{submitted.id}"') < hub.index(f'"/cases/{in_review.id}"') < hub.index(
        f'"/cases/{third.id}"')
    assert f'"/cases/{fourth.id}"' not in hub
    assert "2 cases presented, recommendations to finalise" in hub
    assert f'href="/cases/{discussed.id}#recommendations"' in hub
    assert f'href="/cases/{drafted.id}#recommendations"' in hub and "draft saved" in hub
    assert "1 follow-up due" in hub and f'href="/cases/{follow_up.id}"' in hub
    for absent in (draft, on_agenda, later, closed, elsewhere):
        assert f"/cases/{absent.id}" not in hub
    for other in (people["jenna"], people["cora"], people["cme"]):
        assert "Hub review" not in home_as(client, other)


def test_a_coordinator_sees_her_programs_backlog_with_links_to_where_it_is_done(client, db, world):
    hcv, pain, (valley, river), people = world
    approved = a_case(db, hcv, people["jenna"], "approved")
    a_case(db, hcv, people["jenna"], "scheduled", session_id=ahead(db, hcv, 3, invited=True).id)
    held = past_session(db, hcv, start=datetime.now(UTC) - timedelta(days=2))
    report_rows(db, held, ["email", "unmatched", "ambiguous", "conflict", "guest", "member"])
    report_rows(db, held, ["unmatched"], active=False)  # a report replaced before reports were kept
    resolved = past_session(db, hcv, start=datetime.now(UTC) - timedelta(days=9))
    report_rows(db, resolved, ["email", "member", "ignored"])
    uninvited = ahead(db, hcv, 4)
    ahead(db, hcv, 6, cancelled=True)
    ahead(db, hcv, 20)
    measure = ImprovementMeasure(program_id=hcv.id, name="SVR12 checked", numerator_definition="Checked",
                                 denominator_definition="Treated", period="monthly", goal="up")
    db.add(measure)
    db.commit()
    db.add(MeasureReport(measure_id=measure.id, spoke_site_id=valley.id, period_start=last_month(hcv),
                         numerator=3, denominator=4))
    db.add(CasePresentation(program_id=pain.id, presenter_id=people["pat"].id, number="PAIN-1", status="approved"))
    db.commit()

    work = section(home_as(client, people["cora"]), "Coordination")

    assert "1 approved case on no session’s agenda" in work and f'href="/cases/{approved.id}"' in work
    assert "Attendance to reconcile: 3 people in 1 session" in work
    assert f'href="/sessions/{held.id}/attendance"' in work and f"/sessions/{resolved.id}/" not in work
    assert "1 session in the next two weeks without invites" in work
    assert f'href="/sessions/{uninvited.id}#manage-h"' in work
    assert "Measure reports missing: 1 site report for 1 measure" in work
    assert f'href="/programs/{hcv.id}/measures/{measure.id}"' in work and "1 of 2 sites not reported" in work
    assert "PAIN-1" not in work


def test_a_member_of_another_program_sees_none_of_this_programs_items(client, db, world):
    hcv, pain, _, people = world
    a_case(db, hcv, people["jenna"], "approved")
    a_case(db, hcv, people["jenna"], "submitted")
    report_rows(db, past_session(db, hcv, start=datetime.now(UTC) - timedelta(days=2)), ["unmatched"])
    ahead(db, hcv, 4)

    page = home_as(client, people["pat"])

    assert "Nothing waiting: every approved case has a session" in section(page, "Coordination")
    assert "/cases/" not in page and "/attendance" not in page and "#manage-h" not in page
    assert "Hub review" not in page and "Your cases and reports" not in page


def test_a_site_admin_gets_no_coordinator_section_for_programs_they_do_not_coordinate(client, db, world):
    hcv, pain, _, people = world
    a_case(db, hcv, people["jenna"], "approved")
    ahead(db, hcv, 4)
    page = home_as(client, people["admin"])
    assert "Site administration" in page
    assert "Coordination" not in page and "/cases/" not in page


def test_the_cme_office_sees_certificates_not_issued_and_credit_awaiting_evaluations(client, db, world):
    hcv, pain, _, people = world
    db.add(CreditSettings(program_id=hcv.id, provider_name="Mountain West CME", evaluation_required=True))
    held = past_session(db, hcv, start=datetime.now(UTC) - timedelta(days=2))
    evaluated, waiting = people["jenna"], people["omar"]
    for learner in (evaluated, waiting):
        db.add(CreditAward(session_id=held.id, user_id=learner.id, credit_type="ama_pra_1", credits=Decimal("1.00"),
                           attended_seconds=3600))
    db.add(Evaluation(session_id=held.id, user_id=evaluated.id, answers={"relevance": "5"}))
    db.commit()

    work = section(home_as(client, people["cme"]), "Certificates and evaluations")

    assert "Certificates not issued: 1 learner in 1 session" in work
    assert "Credit awaiting evaluations: 1 learner in 1 session" in work
    assert work.count(f'href="/sessions/{held.id}/credit"') == 2
    for other in ("jenna", "cora", "admin"):
        assert "Certificates and evaluations" not in home_as(client, people[other])


def test_the_cme_office_counts_the_last_90_days_and_this_years_totals(db, world):
    hcv, pain, _, people = world
    now = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)
    db.add(CreditSettings(program_id=hcv.id, provider_name="Mountain West CME", evaluation_required=True))
    db.add(CreditSettings(program_id=pain.id, provider_name="Mountain West CME", evaluation_required=False))
    june, february, december = (past_session(db, hcv, start=datetime(*day, 18, tzinfo=UTC))
                                for day in ((2026, 6, 10), (2026, 2, 10), (2025, 12, 20)))
    no_evaluation_needed = past_session(db, pain, start=datetime(2026, 6, 1, 18, tzinfo=UTC))
    cancelled = past_session(db, hcv, start=datetime(2026, 3, 1, 18, tzinfo=UTC))
    cancelled.status = "cancelled"
    learners = [make_user(db, email=f"learner{n}@example.org") for n in range(6)]

    def award(session, learner, credits, *, evaluated=False, certificate=False, revoked=False):
        db.add(CreditAward(session_id=session.id, user_id=learner.id, credit_type="ama_pra_1",
                           credits=Decimal(credits), attended_seconds=3600))
        if evaluated:
            db.add(Evaluation(session_id=session.id, user_id=learner.id, answers={}))
        if certificate:
            db.add(Certificate(code=f"C{session.id}-{learner.id}-{revoked}", session_id=session.id, user_id=learner.id,
                               credit_type="ama_pra_1", credits=Decimal(credits), learner_name="L",
                               revoked_at=now if revoked else None))

    award(june, learners[0], "1", evaluated=True)  # certificate not issued
    award(june, learners[1], "1")  # waits on the evaluation
    award(june, learners[2], "1", evaluated=True, certificate=True)
    award(june, learners[3], "0")  # too little attendance
    award(june, learners[4], "1", certificate=True)  # issued before the evaluation was required
    award(february, learners[0], "1.5", evaluated=True, certificate=True)
    award(february, learners[1], "1.5", evaluated=True, certificate=True, revoked=True)  # outside the 90 days
    award(december, learners[0], "1", evaluated=True)  # last year
    award(no_evaluation_needed, learners[5], "0.5")  # certificate not issued: no evaluation needed
    db.add(cancelled)
    db.commit()

    cme = dashboard.cme_office(db, Actor(people["cme"]), now=now)

    assert [(row.id, row.learners) for row in cme.unissued.rows] == [(no_evaluation_needed.id, 1), (june.id, 1)]
    assert (cme.unissued.total, cme.unissued.amount) == (2, 2)
    assert [(row.id, row.learners) for row in cme.awaiting_evaluation.rows] == [(june.id, 1)]
    assert (cme.awaiting_evaluation.total, cme.awaiting_evaluation.amount) == (1, 1)
    assert (cme.year.year, cme.year.sessions, cme.year.certificates, cme.year.credits) == (2026, 3, 3, Decimal("3.5"))


def test_measure_periods_follow_each_programs_time_zone(db, world):
    hcv, pain, (valley, river), people = world
    # 1 July, 03:00 UTC: still 30 June in Denver, so June is not over there.
    now = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
    quarterly = ImprovementMeasure(program_id=hcv.id, name="Screened", numerator_definition="Screened",
                                   denominator_definition="Seen", period="quarterly", goal="up")
    monthly = ImprovementMeasure(program_id=hcv.id, name="Checked", numerator_definition="Checked",
                                 denominator_definition="Treated", period="monthly", goal="up")
    db.add_all([quarterly, monthly])
    db.commit()
    db.add(MeasureReport(measure_id=monthly.id, spoke_site_id=valley.id, period_start=date(2026, 5, 1),
                         numerator=1, denominator=2))
    db.commit()
    actor = Actor(people["jenna"], {hcv.id: "clinician"})

    section_ = dashboard.clinician(db, actor, {hcv.id: hcv}, now=now)

    assert [(due.name, due.period) for due in section_.measures_due.rows] == [("Screened", "2026 Q1")]


def test_the_home_page_takes_the_same_statements_with_little_or_much_data(client, db, world):
    hcv, pain, (valley, river), people = world
    everyone = make_user(db, email="all-roles@example.org", full_name="All Roles", is_cme_office=True)
    third = make_program(db, name="Diabetes ECHO")
    add_member(db, hcv, everyone, "clinician", valley)
    add_member(db, pain, everyone, "specialist")
    add_member(db, third, everyone, "coordinator")
    for program in (hcv, pain, third):
        db.add(CreditSettings(program_id=program.id, provider_name="Mountain West CME"))
    db.commit()
    sign_in(client, everyone.email, PASSWORD)

    def add_data(copies: int) -> None:
        for n in range(copies):
            for program in (hcv, pain, third):
                held = past_session(db, program, start=datetime.now(UTC) - timedelta(days=2 + n))
                db.add(CreditAward(session_id=held.id, user_id=everyone.id, credit_type="ama_pra_1",
                                   credits=Decimal("1.00"), attended_seconds=3600))
                report_rows(db, held, ["unmatched", "email"])
                ahead(db, program, 1 + n % 10)
                for status in ("submitted", "approved", "presented"):
                    case = a_case(db, program, everyone, status, session_id=held.id,
                                  follow_up_on=date.today() + timedelta(days=2))
                    if status == "presented":
                        final_recommendation(db, case)
                db.add(ImprovementMeasure(program_id=program.id, name=f"Measure {n}", numerator_definition="N",
                                          denominator_definition="D", period="monthly", goal="up"))
            db.commit()

    counts = []
    for copies in (1, 12):
        add_data(copies)
        with count_queries(client.app.state.engine) as counted:
            page = client.get("/")
        assert page.status_code == 200
        counts.append(counted.total)
    assert all(heading in page.text for heading in ("Your cases and reports", "Hub review", "Coordination",
                                                    "Certificates and evaluations", "Credit waiting for you"))
    assert counts[0] == counts[1], counts
