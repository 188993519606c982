"""Every page, for every kind of person, at 1280 and 390 px: axe-core finds no WCAG 2.2 AA or
best-practice violation, and the checks of accessibility_checks.js pass (no sideways scrolling on
a phone, focus indicators and control borders of 3:1, scrollable tables reachable by keyboard and
named, names that contain the visible text). Issue #11.

The pages are the app's own GET routes that answer HTML (response_class=HTMLResponse), so a page
added later is checked without touching this file; other GET routes outside /api must be listed in
NOT_PAGES with the reason. Path parameters are filled with the demo hub's ids (plus a pending
sign-up, a Zoom connection, an adjustment waiting for the CME office and a draft recommendation):
each person visits the first candidate that answers them 200, and every one that does for a case's
or a session's page (their states show different parts). A page whose <main> shows exactly what an
earlier person's did is not checked twice. Closed <details> are opened first, so what they hide is
checked too. Each page is loaded once, checked wide, then narrowed and checked again. One browser,
one context per person, axe-core (tests/axe, `npm ci`) loaded as an init script."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts
from sqlmodel import Session, select
from starlette.routing import Mount

from app import demo, security
from app.config import Settings
from app.db import utcnow
from app.main import create_app
from tests.conftest import ROOT, TEST_SECRET, empty_tables
from tests.e2e.conftest import browser_sign_in
from tests.integration.live_server import free_port
from tests.integration.live_server import live_server as serve

pytestmark = pytest.mark.e2e

PASSWORD = "demo-password-1"
AXE_JS = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHECKS_JS = (Path(__file__).parent / "accessibility_checks.js").read_text()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    # Experimental in axe 4.x, so off unless asked for: an aria-label must contain the visible text (2.5.3).
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}
WIDTHS = (1280, 390)
PEOPLE = {  # kind of person: (e-mail, full name) of the demo hub's user; None signs nobody in
    "anonymous": None,
    "admin": ("admin@example.org", "Alex Morgan"),
    "cme": ("cme@example.org", "Priya Raman"),
    "coordinator": ("coordinator@example.org", "Rosa Delgado"),
    "specialist": ("specialist@example.org", "Samuel Okafor"),
    "clinician": ("clinician@example.org", "Jenna Whitfield"),
}
# GET routes outside /api that are not pages, and why they are not checked here.
NOT_PAGES = {
    "/healthz": "JSON for load balancers",
    "/openapi.json": "JSON (the API's schema)",
    "/docs": "FastAPI's Swagger UI: its script and styles come from a CDN (unreachable offline), not our templates",
    "/docs/oauth2-redirect": "Swagger UI's sign-in relay: a script, no content",
    "/redoc": "FastAPI's ReDoc: its script comes from a CDN (unreachable offline), not our templates",
    "/static/{path}": "CSS, scripts and fonts",
    "/calendar/{token}.ics": "calendar feed (.ics)",
    "/certificates/{code}.pdf": "PDF download",
    "/cases/{case_id}/letter.pdf": "PDF download",
    "/programs/{program_id}/trends/{metric}.csv": "CSV download",
    "/programs/{program_id}/measures/{measure_id}.csv": "CSV download",
}
# Pages whose object's state changes what they show: visited for every candidate a person may see.
EVERY_STATE = {"/cases/{case_id}", "/sessions/{session_id}"}
PARAM = re.compile(r"{(\w+)}")


def get_routes(app) -> dict[str, bool]:
    """Pattern of every GET route outside /api: True if it answers HTML (a page)."""
    routes = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            routes[f"{context.path}/{{path}}"] = False
        elif "GET" in context.methods and not context.path.startswith("/api/"):
            routes[context.path] = isinstance(route, APIRoute) and route.response_class is HTMLResponse
    return routes


@dataclass
class Hub:
    base_url: str
    candidates: dict[str, list[str]]
    routes: dict[str, bool]
    visited: set[str] = field(default_factory=set)  # patterns some person was answered 200 on
    checked: set[str] = field(default_factory=set)  # content_key() of the pages checked
    swept: set[str] = field(default_factory=set)  # the people whose sweep ran


def _extras(db: Session, settings: Settings, programs: dict) -> dict[str, list]:
    """What the demo lacks for some pages to show their lists: a sign-up waiting for its e-mail to
    be confirmed (the members page's requests, the confirmation page), a Zoom connection, an
    attendance raise waiting for the CME office and a draft recommendation (the finalise page)."""
    from app.models import CasePresentation, CreditSettings, EchoSession, Membership, SpokeSite, User
    from app.services import credit_adjustments, integrations, recommendations, signup

    hcv = programs["hcv"]
    site = db.exec(select(SpokeSite.id).where(SpokeSite.program_id == hcv.id).order_by(SpokeSite.id)).first()
    form = signup.SignupForm(full_name="Nia Newcomer", email="nia.newcomer@example.org", timezone="America/Denver",
                             timezone_confirmed=True, site_id=site)
    signup.register(db, settings, hcv, form, client="accessibility-test")
    newcomer = db.exec(select(User).where(User.email == "nia.newcomer@example.org")).one()
    admin = db.exec(select(User).where(User.email == "admin@example.org")).one()
    connection = integrations.add_connection(db, settings, platform="zoom", label="Hub Zoom", account_id="acct",
                                             client_id="client", client_secret="a-secret-of-the-hub", actor=admin)
    credit = db.exec(select(CreditSettings).where(CreditSettings.program_id == hcv.id)).one()
    credit.raise_needs_approval = True
    past = db.exec(select(EchoSession).where(EchoSession.program_id == hcv.id, EchoSession.status == "scheduled",
                                             EchoSession.ends_at < utcnow())
                   .order_by(EchoSession.starts_at.desc())).first()
    coordinator = db.exec(select(User).where(User.email == "coordinator@example.org")).one()
    learner = db.exec(select(Membership.user_id).where(Membership.program_id == hcv.id, Membership.role == "clinician")
                      .order_by(Membership.id)).first()
    credit_adjustments.adjust(db, past, hcv, user_id=learner, minutes=int((past.ends_at - past.starts_at)
                              / timedelta(minutes=1)), reason="Joined by phone.", actor=coordinator)
    specialist = db.exec(select(User).where(User.email == "specialist@example.org")).one()
    scheduled = db.exec(select(CasePresentation).where(CasePresentation.status == "scheduled")).first()
    draft = recommendations.RecommendationForm(summary="Treat now.", items=["Start sofosbuvir-velpatasvir."])
    recommendations.save(db, scheduled, draft, actor=specialist)
    clinician = db.exec(select(User).where(User.email == "clinician@example.org")).one()
    return {"connection_id": [connection.id], "token": [security.make_token(settings.secret_key, "password-reset",
                                          {"uid": clinician.id, "epoch": clinician.auth_epoch}),
                      signup.verification_link(settings, newcomer).rsplit("/", 1)[1]]}


def _candidates(db: Session, settings: Settings) -> dict[str, list]:
    from app.models import (
        AttendanceImport, CasePresentation, Certificate, EchoSession, ImprovementMeasure, Membership, Program,
        SpokeSite, TrendAnnotation,
    )

    programs = {p.slug: p for p in db.exec(select(Program).order_by(Program.id)).all()}
    extras = _extras(db, settings, programs)
    hcv = programs["hcv"].id
    sessions = select(EchoSession).where(EchoSession.program_id == hcv)
    imported = db.exec(select(AttendanceImport).join(EchoSession, EchoSession.id == AttendanceImport.session_id)
                       .where(EchoSession.program_id == hcv).order_by(EchoSession.starts_at.desc())).first()
    upcoming = db.exec(sessions.where(EchoSession.starts_at > utcnow(), EchoSession.status == "scheduled")
                       .order_by(EchoSession.starts_at)).first()
    cancelled = db.exec(sessions.where(EchoSession.status == "cancelled")).first()
    cases = {}
    for case in db.exec(select(CasePresentation).order_by(CasePresentation.id)).all():
        cases.setdefault(case.status, case.id)
    return {
        "program_id": [p.id for p in programs.values()],
        "session_id": [s.id for s in (db.get(EchoSession, imported.session_id), upcoming, cancelled) if s],
        "case_id": list(cases.values()),
        "report_id": [imported.id],
        "site_id": list(db.exec(select(SpokeSite.id).order_by(SpokeSite.id)).all()),
        "membership_id": [db.exec(select(Membership.id).where(Membership.program_id == p.id,
                                                              Membership.role == "clinician")
                                  .order_by(Membership.id)).first() for p in programs.values()],
        "measure_id": list(db.exec(select(ImprovementMeasure.id)).all()),
        "annotation_id": list(db.exec(select(TrendAnnotation.id).order_by(TrendAnnotation.id)).all()),
        "code": [db.exec(select(Certificate.code).order_by(Certificate.id)).first()],
        **extras,
    }


@pytest.fixture(scope="module")
def hub(database_url, engine, tmp_path_factory):
    """The demo hub served on a loopback port, built once for this module."""
    empty_tables(engine)
    port = free_port()
    settings = Settings(env="test", database_url=database_url, secret_key=TEST_SECRET,
                        base_url=f"http://127.0.0.1:{port}", mail_dir=tmp_path_factory.mktemp("mail"), smtp_url=None)
    application = create_app(settings)
    with Session(application.state.engine, expire_on_commit=False) as db:
        demo.build(db, settings, password=PASSWORD)
        candidates = _candidates(db, settings)
        db.commit()
    with serve(application, port=port, lifespan="auto") as base_url:
        yield Hub(base_url, candidates, get_routes(application))
    application.state.engine.dispose()
    empty_tables(engine)


def reachable(request, hub: Hub, pattern: str) -> list[tuple[str, str]]:
    """(URL, HTML) of the URLs of `pattern` that answer this context's person 200: the first, or
    all for EVERY_STATE."""
    names = PARAM.findall(pattern)
    missing = [name for name in names if not hub.candidates.get(name)]
    assert not missing, f"{pattern}: give _candidates() ids for {missing}"
    found = []
    for values in itertools.product(*(hub.candidates[name] for name in names)):
        url = PARAM.sub(lambda m, v=dict(zip(names, values)): str(v[m.group(1)]), pattern)
        response = request.get(f"{hub.base_url}{url}", max_redirects=0)
        if response.status == 200:
            found.append((url, response.text()))
            if pattern not in EVERY_STATE:
                break
    return found


def content_key(html: str) -> str:
    """What a page shows inside <main>, but for numbers and tokens: two people shown the same need
    one check (the navigation and the rest of base.html are checked on every person's pages)."""
    main = html[html.find("<main"):html.find("</main>")]
    return re.sub(r"\d+", "0", re.sub(r'name="csrf_token" value="[^"]*"', "", main))


def check(page, width: int) -> list[str]:
    """axe's violations and our own checks of the page shown, at `width` px."""
    page.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true; })")  # inside too
    violations = page.evaluate(
        """options => axe.run(document, options).then(result => result.violations.map(v => (
             {id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' '))})))""",
        AXE_OPTIONS)
    problems = [f"axe {v['id']} ({v['impact']}): {v['help']} -- {v['targets']}" for v in violations]
    page.keyboard.press("Tab")  # keyboard use, so that focus moved by script shows as :focus-visible
    return problems + page.evaluate(CHECKS_JS, {"narrow": width < 600})


def check_at_both_widths(page, url: str, status: int = 200) -> dict[str, list[str]]:
    """Loads `url` once at the wide width, then checks it wide and narrowed (media queries apply at once)."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    response = page.goto(url)
    assert response.status == status, (url, response.status)
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        if problems := check(page, width):
            found[f"{url} at {width} px"] = problems
    return found


@contextmanager
def signed_in(browser, hub: Hub, person: str) -> Iterator:
    """A page of a new context with axe loaded in every document, signed in as `person`."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci --prefix tests/axe` (scripts/test.sh does)")
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    context.add_init_script(path=str(AXE_JS))  # runs in every document, whatever its CSP; sent once, not per page
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        if PEOPLE[person]:
            browser_sign_in(page, hub.base_url, PEOPLE[person][0], PASSWORD, PEOPLE[person][1])
        yield page
    finally:
        context.close()


def report(person: str, found: dict[str, list[str]]) -> None:
    for where, problems in found.items():
        print(f"\n{person} {where}:\n  " + "\n  ".join(problems))


@pytest.mark.parametrize("person", list(PEOPLE))
def test_every_page_is_accessible(browser, hub, person):
    found = {}
    with signed_in(browser, hub, person) as page:
        for pattern in sorted(p for p, is_page in hub.routes.items() if is_page):
            for url, html in reachable(page.context.request, hub, pattern):
                hub.visited.add(pattern)
                if content_key(html) not in hub.checked:
                    hub.checked.add(content_key(html))
                    found |= check_at_both_widths(page, f"{hub.base_url}{url}")
    hub.swept.add(person)
    report(person, found)
    assert found == {}


@pytest.mark.parametrize(("path", "status"), [("/programs/2000000000", 404), ("/admin/users", 403),
                                              ("/programs/not-a-number", 422)])
def test_error_page_is_accessible(browser, hub, path, status):
    with signed_in(browser, hub, "clinician") as page:
        found = check_at_both_widths(page, f"{hub.base_url}{path}", status)
    report("clinician", found)
    assert found == {}


def test_every_page_route_was_checked(hub):
    """Each page was shown to at least one person: a page no one could open is a page no one checked
    (give _candidates() the ids it needs). Reads what the sweeps above saw."""
    if set(PEOPLE) - hub.swept:
        pytest.skip(f"needs the sweeps of {sorted(set(PEOPLE) - hub.swept)} (run the whole file)")
    assert sorted(p for p, is_page in hub.routes.items() if is_page and p not in hub.visited) == []


def test_every_get_route_is_a_page_or_listed(hub):
    assert {pattern for pattern, is_page in hub.routes.items() if not is_page} == set(NOT_PAGES)
