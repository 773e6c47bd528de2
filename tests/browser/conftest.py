"""Browser fixtures: a live pdplanner on the demo organisation, and Debian's Chromium."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from pdplanner import create_app, demo
from pdplanner.accounts import demo_data
from pdplanner.accounts.models import Level, Team, User
from pdplanner.catalog.models import Alignment
from pdplanner.extensions import db
from pdplanner.security import hash_password

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
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


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
    """Pick a person, team, level and value of the demo organisation to visit."""
    person = db.session.scalar(select(User).filter_by(email=SUPERVISOR_EMAIL))
    return {
        "person": person.id,
        "team": db.session.scalar(select(Team.id).order_by(Team.id).limit(1)),
        "level": db.session.scalar(select(Level.id).order_by(Level.rank).limit(1)),
        "value": db.session.scalar(
            select(Alignment.id).filter_by(kind="value").order_by(Alignment.position).limit(1)),
    }


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
    server = make_server("127.0.0.1", 0, app, threaded=True,
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
#: Pages HR can reach; {person}, {team}, {level} and {value} are demo row ids.
HR_PAGES = [
    "/", "/profile", "/profile/password",
    "/people", "/people/{person}", "/people/new", "/people/import",
    "/settings", "/settings/teams", "/settings/teams/{team}",
    "/settings/levels", "/settings/levels/{level}",
    "/catalog/values", "/catalog/values/{value}",
]
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
        # demo HR lead, with a report so the home page shows its "Your team" card.
        hr = make_person(f"Tour HR {language}", like=HR_EMAIL, is_hr=True, language=language)
        make_person(f"Tour report {language}", supervisor_id=hr.id)
        page = new_context(**options).new_page()
        sign_in(page, hr.email)
        for template in HR_PAGES:
            path = template.format(**live_server.ids)
            yield path, _visit(page, path)

    return walk


def _visit(page: Page, path: str) -> Page:
    """Open `path` and check it answered 200 without redirecting."""
    response = page.goto(path)
    status = response.status if response else None
    assert status == 200, f"{path} answered {status}"
    assert urlsplit(page.url).path == path, f"{path} redirected to {page.url}"
    return page


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form."""
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_load_state()
