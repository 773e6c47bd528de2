"""Browser fixtures: a live pdplanner on the demo organisation, and Debian's Chromium."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from pdplanner import create_app, demo
from pdplanner.accounts import demo_data
from pdplanner.accounts.models import Level, Team, User
from pdplanner.accounts.queries import timezone_of, today_for
from pdplanner.catalog.models import Alignment, Skill
from pdplanner.exchanges.models import Adoption, Exchange
from pdplanner.extensions import db
from pdplanner.learning import goals, plans, suggestions
from pdplanner.learning.goals import GoalData
from pdplanner.learning.models import Goal
from pdplanner.learning.plans import ActivityData
from pdplanner.reminders.models import Notification, OutboxMessage
from pdplanner.security import hash_password
from pdplanner.supervision import cadence, sessions
from pdplanner.supervision.cadence import local_to_utc
from pdplanner.supervision.models import Schedule, Session
from pdplanner.types import utcnow

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PASSWORD = demo_data.DEMO_PASSWORD
HR_EMAIL = "fatoumata.coulibaly@example.org"
ADMIN_EMAIL = "ibrahim.keita@example.org"
SUPERVISOR_EMAIL = "claire.martin@example.org"
FRENCH_STAFF_EMAIL = "kadiatou.diarra@example.org"
EMPLOYEE_EMAIL = "tara.johnson@example.org"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
BLOCKING_IMPACTS = {"serious", "critical"}
AXE = Axe()
#: Name the form controls in <main> that no label of their own names.
UNLABELLED = """() => [...document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea')]
  .filter(el => !el.labels.length && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => (el.closest('form')?.getAttribute('action') ?? '(no form)') + ' ' + el.name
             + ' (#' + el.id + ')')"""
#: Name the ids that more than one element of the page carries, but hidden inputs (every
#: form's CSRF token is id="csrf_token": invalid HTML, but nothing points at it).
DUPLICATE_IDS = """() => {
  const ids = [...document.querySelectorAll('[id]:not(input[type=hidden])')].map(el => el.id);
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}"""


@dataclass
class LiveServer:
    """A running pdplanner: its base URL, the app, and ids of demo rows worth visiting."""

    url: str
    app: Flask
    ids: dict[str, int] = field(default_factory=dict)


def _database_url(tmp_dir: Path) -> str:
    """Return TEST_DATABASE_URL, or a fresh SQLite file in `tmp_dir`."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'browser.db'}"


def _demo_ids() -> dict[str, int]:
    """Pick a person, team, level, value, skill, proposed topic, HR goal, exchange, lesson."""
    person = db.session.scalar(select(User).filter_by(email=SUPERVISOR_EMAIL))
    hr = db.session.scalar(select(User).filter_by(email=HR_EMAIL))
    return {
        "person": person.id,
        "team": db.session.scalar(select(Team.id).order_by(Team.id).limit(1)),
        "level": db.session.scalar(select(Level.id).order_by(Level.rank).limit(1)),
        "value": db.session.scalar(
            select(Alignment.id).filter_by(kind="value").order_by(Alignment.position).limit(1)),
        "skill": db.session.scalar(
            select(Skill.id).filter_by(status="catalogue").order_by(Skill.id).limit(1)),
        "proposal": db.session.scalar(
            select(Skill.id).filter_by(status="proposed").order_by(Skill.id).limit(1)),
        "hr_goal": db.session.scalar(
            select(Goal.id).filter_by(owner_id=hr.id, visibility="shared").limit(1)),
        "exchange": db.session.scalar(
            select(Exchange.id).filter_by(share_back_done_on=None).order_by(Exchange.id)
            .limit(1)),
        "lesson": db.session.scalar(select(Adoption.lesson_id).order_by(Adoption.id).limit(1)),
    }


def closing_early(app: Flask):
    """Wrap `app` so each response is read whole and closed before it is sent.

    Werkzeug's development server closes a response only after draining the socket; when the
    browser drops a connection first (a page left while its icon loads), that step raises
    and the response - an open static file - is left to the garbage collector, whose
    ResourceWarning our "warnings are errors" setting turns into a random test failure.
    Pages here are small, so buffering them costs nothing.
    """

    def wsgi(environ, start_response):
        result = app(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            if hasattr(result, "close"):
                result.close()

    return wsgi


class QuietRequestHandler(WSGIRequestHandler):
    """Serve requests without logging each one (errors are still logged)."""

    def log_request(self, *args, **kwargs) -> None:
        """Skip the per-request access log line."""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve the seeded demo organisation on 127.0.0.1 for one test module."""
    # Module scope (not session): on a shared PostgreSQL TEST_DATABASE_URL, other test
    # modules create and drop the same tables, so this server must not outlive its module.
    url = _database_url(tmp_path_factory.mktemp("browser-db"))
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        demo.seed()
        ids = _demo_ids()
    server = make_server("127.0.0.1", 0, closing_early(app), threaded=True,
                         request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app, ids=ids)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()  # before drop_all, or PostgreSQL waits on the open session
            db.drop_all()
            db.engine.dispose()


_people_counter = itertools.count(1)


@pytest.fixture
def make_person(live_server: LiveServer) -> Callable[..., User]:
    """Add a person of one's own to the live database (demo password); return them detached."""

    def make(name: str | None = None, *, like: str | None = None, **fields) -> User:
        n = next(_people_counter)
        with live_server.app.app_context():
            if like:  # same team, level and supervisor as this demo person
                model = db.session.scalar(select(User).filter_by(email=like))
                fields = {"team_id": model.team_id, "level_id": model.level_id,
                          "supervisor_id": model.supervisor_id, **fields}
            person = User(email=f"browser.person{n}@example.org",
                          name=name or f"Browser Person {n}",
                          password_hash=hash_password(PASSWORD), **fields)
            db.session.add(person)
            db.session.commit()
            db.session.refresh(person)
            db.session.expunge(person)
            db.session.remove()
        return person

    return make


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium once per session (skip when it is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian chromium not installed at {CHROMIUM}: apt-get install chromium "
                    "(or set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser, live_server: LiveServer):
    """Open fresh browser contexts (separate cookie jars) on the live server, closed after."""
    contexts = []

    def make(**options):
        options.setdefault("locale", "en-GB")
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh English desktop context."""
    return new_context().new_page()


#: Pages a signed-out visitor can reach.
ANONYMOUS_PAGES = ["/auth/login", "/auth/forgot"]
#: Pages HR can reach; {person}, {team}, {level}, {value}, {skill}, {proposal},
#: {hr_goal} (the demo HR lead's shared goal), {exchange} (a demo exchange still to share
#: back, so its lesson and share-back forms show) and {lesson} (a demo lesson someone
#: adopted) are demo row ids; {report} is the tour HR person's report and {goal} that
#: report's shared goal. The tour HR person has two notifications (one unread); insights
#: cover the whole organisation.
HR_PAGES = [
    "/", "/goals", "/plan", "/profile", "/profile/password",
    "/people", "/people/{person}", "/people/new", "/people/import",
    "/settings", "/settings/teams", "/settings/teams/{team}",
    "/settings/levels", "/settings/levels/{level}",
    "/catalog/values", "/catalog/values/{value}",
    "/catalog/skills", "/catalog/skills/{skill}", "/catalog/proposals/{proposal}",
    "/team/{report}", "/team/{report}/suggest", "/goals/{goal}", "/goals/{hr_goal}",
    "/notifications", "/profile/reminders", "/insights",
    "/insights/people?metric=with_goal", "/insights/people?metric=learned&present=0",
    "/exchanges", "/exchanges/new", "/exchanges/{exchange}", "/exchanges/partners",
    "/lessons", "/lessons?q=securite", "/lessons/{lesson}",
]
#: The same HR person's pages as the report's supervisor: {held_session} was held (with
#: points, a review, actions and notes), {open_session} is past and still to resolve,
#: {next_session} is the schedule's next one.
SUPERVISOR_PAGES = [
    "/team", "/team/to-resolve", "/team/{report}/sessions", "/team/{report}/schedule",
    "/team/{report}/sessions/new", "/sessions/{open_session}", "/sessions/{held_session}",
    "/sessions/{held_session}/print", "/sessions/{next_session}/move",
]
#: An employee's own learning pages; {goal}, {to_resolve} and {done} are their goal and
#: two of its dates, one still to resolve and one done (with a reflection). Then their
#: supervision sessions, as the report: one held, the next one planned.
EMPLOYEE_PAGES = [
    "/", "/goals", "/goals/new", "/goals/{goal}", "/goals/{goal}/edit",
    "/goals/{goal}/activities/new", "/plan", "/plan/print", "/skills",
    "/occurrences/{to_resolve}", "/occurrences/{done}/reflection",
    "/sessions", "/sessions/{held_session}", "/sessions/{next_session}",
]
#: A supervisor who is not HR: the insights on their branch.
LEAD_PAGES = ["/insights"]
#: An admin's outgoing mail; {outbox_message} is a reminder queued for the tour HR person.
ADMIN_PAGES = ["/admin/outbox", "/admin/outbox/{outbox_message}"]
LANGUAGES = {"en": "en-GB", "fr": "fr-FR"}
VIEWPORTS = {"360px": PHONE, "1280px": DESKTOP}


@pytest.fixture
def tour(new_context, live_server: LiveServer, make_person):
    """Walk every page of the app in one language and viewport: yields (path, loaded page)."""

    def walk(language: str, viewport: dict) -> Iterator[tuple[str, Page]]:
        options = {"locale": LANGUAGES[language], "viewport": viewport}
        anonymous = new_context(**options).new_page()
        for path in ANONYMOUS_PAGES:
            yield path, _visit(anonymous, path)
        # An HR person of our own whose profile language is `language`, placed like the
        # demo HR lead, with a report so the home page shows its "People you supervise".
        # The report is a plain employee with a learning plan of their own, and supervision
        # sessions with HR; a second report leads a team, so My team shows the branch below
        # (and that lead, a supervisor but not HR, has insights on their branch). An admin
        # of the same language reads the outgoing mail.
        hr = make_person(f"Tour HR {language}", like=HR_EMAIL, is_hr=True, language=language)
        employee = make_person(f"Tour report {language}", like=EMPLOYEE_EMAIL,
                               supervisor_id=hr.id, language=language)
        lead = make_person(f"Tour team lead {language}", like=EMPLOYEE_EMAIL,
                           supervisor_id=hr.id, language=language)
        make_person(f"Tour field worker {language}", like=EMPLOYEE_EMAIL,
                    supervisor_id=lead.id, language=language)
        ids = {**live_server.ids, "report": employee.id,
               **_plan_some_learning(live_server.app, hr.id, employee.id, language)}
        ids.update(_plan_some_supervision(live_server.app, hr.id, employee.id, ids["goal"]))
        ids.update(_remind_of_a_goal(live_server.app, hr.id))
        admin = make_person(f"Tour admin {language}", like=HR_EMAIL, is_admin=True,
                            language=language)
        for person, templates in [(hr, HR_PAGES + SUPERVISOR_PAGES),
                                  (employee, EMPLOYEE_PAGES), (lead, LEAD_PAGES),
                                  (admin, ADMIN_PAGES)]:
            page = new_context(**options).new_page()
            sign_in(page, person.email)
            for template in templates:
                path = template.format(**ids)
                yield path, _visit(page, path)

    return walk


def _plan_some_learning(app: Flask, supervisor_id: int, owner_id: int,
                        language: str) -> dict[str, int]:
    """Plan a shared goal for `owner` through the app's services; return the ids to visit."""
    # The goal's first date is done (with a reflection), its second past and unresolved;
    # there is also a check-in, a supervisor's comment, a self-rating, a suggestion waiting
    # for an answer and a deleted goal, so every section of the pages has something in it.
    with app.app_context():
        owner, supervisor = db.session.get(User, owner_id), db.session.get(User, supervisor_id)
        today = today_for(owner)
        skill_id = db.session.scalar(
            select(Skill.id).filter_by(status="catalogue").order_by(Skill.id).limit(1))
        value_id = db.session.scalar(select(Alignment.id).order_by(Alignment.position).limit(1))
        goal = goals.create_goal(owner, GoalData(
            title=f"Tour goal {language}: facilitate a QI meeting on my own",
            why="Our team meets every month.", success="I run one without help.",
            target_date=today + timedelta(days=90), skill_ids=[skill_id],
            alignment_ids=[value_id], visibility="shared",
            new_topic=f"Tour topic {language}"), start=True)
        activity = plans.add_activity(owner, goal, ActivityData(
            kind="peer_learning", title="Peer session with the QI team", with_whom="QI team",
            starts_on=today - timedelta(days=15), recurrence="fortnightly",
            until=today + timedelta(days=60)))
        done, to_resolve = activity.occurrences[:2]
        plans.resolve(owner, done, "done")
        plans.save_reflection(owner, done, "Open questions first.", "Ask one at each meeting.",
                              "shared")
        goals.add_checkin(owner, goal, today, 30, "First session went well.")
        goals.add_comment(supervisor, goal, "Good plan: tell me how the sessions go.")
        plans.assess_skill(owner, skill_id, 2, "Getting there.")
        suggestions.suggest(supervisor, owner, GoalData(title="Coach a new colleague"),
                            "You would be good at it.")
        gone = goals.create_goal(owner, GoalData(title="An old idea"), start=False)
        goals.set_deleted(owner, gone, True)
        ids = {"goal": goal.id, "done": done.id, "to_resolve": to_resolve.id}
        db.session.remove()
    return ids


def _plan_some_supervision(app: Flask, supervisor_id: int, report_id: int,
                           goal_id: int) -> dict[str, int]:
    """Give the pair a past and a schedule through the app's services; return session ids."""
    # Three weeks ago a session was held: points (one left uncovered), a review with a
    # rating, an action for each of them, shared and private notes. Two weeks ago one was
    # missed, and last week's is still to resolve, with the uncovered point carried over.
    # The goal stays unagreed, so the review forms still ask for agreement.
    with app.app_context():
        supervisor = db.session.get(User, supervisor_id)
        report = db.session.get(User, report_id)
        today, zone = today_for(supervisor), timezone_of(supervisor)
        held, missed, still_open = past = [
            Session(supervisor_id=supervisor_id, report_id=report_id,
                    starts_at=local_to_utc(today - timedelta(weeks=weeks), time(10), zone))
            for weeks in (3, 2, 1)]
        db.session.add_all(past)
        db.session.commit()
        sessions.add_item(report, held, "Time for the online course")
        sessions.add_item(supervisor, held, "Workload at the health centre")
        sessions.set_item_covered(report, held.items[0], True)
        goal = db.session.get(Goal, goal_id)
        sessions.review_goal(supervisor, held, goal_id, "Two peer sessions done.", False, 3,
                             goal.skills[0].id, "Keep going: the team sees the difference.")
        sessions.add_action(supervisor, held, "Lead the next QI meeting", "report",
                            today + timedelta(days=14), goal_id)
        sessions.add_action(supervisor, held, "Share the QI checklist with the team",
                            "supervisor", today + timedelta(days=7), None)
        sessions.save_notes(supervisor, held, "Good progress on the plan; next step agreed.",
                            "Check workload before the next visit.", held.version)
        sessions.mark_held(supervisor, held, today - timedelta(weeks=3))
        sessions.mark_missed(supervisor, missed, "Field visit moved at short notice.")
        # As the demo seeds it: set_schedule() fails for a supervisor without a time zone of
        # their own (see test_supervision.py).
        schedule = Schedule(supervisor_id=supervisor_id, report_id=report_id,
                            cadence="fortnightly", starts_on=today + timedelta(days=7),
                            at=time(9, 30), timezone=zone, duration_minutes=60)
        db.session.add(schedule)
        db.session.flush()
        cadence.top_up(schedule, today)
        db.session.commit()
        ids = {"held_session": held.id, "open_session": still_open.id,
               "next_session": db.session.scalar(
                   select(Session.id).filter_by(supervisor_id=supervisor_id,
                                                report_id=report_id, status="planned")
                   .where(Session.starts_at >= utcnow()).order_by(Session.starts_at)
                   .limit(1))}
        db.session.remove()
    return ids


def _remind_of_a_goal(app: Flask, person_id: int) -> dict[str, int]:
    """Notify `person` they have no goal (once read, once not) and queue the mail; its id."""
    # Written as the reminder sweep writes them: a notification and an outbox row sharing
    # a dedupe key (the mail's button leads where the notification does).
    key = f"tour:{person_id}"
    with app.app_context():
        person = db.session.get(User, person_id)
        db.session.add_all([
            Notification(dedupe_key=key, user_id=person_id, kind="no_goal", link="/goals/new"),
            Notification(dedupe_key=f"{key}:read", user_id=person_id, kind="no_goal",
                         link="/goals/new", read_at=utcnow() - timedelta(days=30)),
        ])
        message = OutboxMessage(dedupe_key=key, kind="no_goal", user_id=person_id,
                                to_address=person.email, message_id=f"<tour{person_id}@pdplanner>")
        db.session.add(message)
        db.session.commit()
        ids = {"outbox_message": message.id}
        db.session.remove()
    return ids


def _visit(page: Page, path: str) -> Page:
    """Open `path` (query string included) and check it answered 200 without redirecting."""
    response = page.goto(path)
    status = response.status if response else None
    assert status == 200, f"{path} answered {status}"
    url = urlsplit(page.url)
    assert url.path + (f"?{url.query}" if url.query else "") == path, \
        f"{path} redirected to {page.url}"
    return page


def describe(path: str, violation: dict) -> str:
    """Summarise one axe violation: page, rule, impact, help and the first node targets."""
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
    more = len(violation["nodes"]) - len(targets)
    suffix = f" (+{more} more)" if more > 0 else ""
    return (f"{path}: {violation['id']} [{violation['impact']}] {violation['help']} "
            f"→ {'; '.join(targets)}{suffix}")


def axe_problems(path: str, page: Page,
                 known: Container[tuple[str, str]] = frozenset()) -> list[str]:
    """Describe the page's serious and critical axe violations, but `known` (path, rule)."""
    violations = AXE.run(page).response["violations"]
    return [describe(path, v) for v in violations
            if v["impact"] in BLOCKING_IMPACTS and (path, v["id"]) not in known]


def page_checker(language: str, problems: list[str]) -> Callable[[Page], Page]:
    """Return ``checked(page)``: wait for the page, check it is in `language`, and add its
    serious axe violations to `problems` (a journey asserts the list empty at its end)."""

    def checked(page: Page) -> Page:
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", language)
        problems.extend(axe_problems(f"[{language}] {urlsplit(page.url).path}", page))
        return page

    return checked


def field_problems(path: str, page: Page) -> list[str]:
    """Describe the page's form fields without a label and its repeated ids."""
    return ([f"{path}: no label for {control}" for control in page.evaluate(UNLABELLED)]
            + [f"{path}: id {id_!r} repeated" for id_ in page.evaluate(DUPLICATE_IDS)])


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form."""
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_load_state()
