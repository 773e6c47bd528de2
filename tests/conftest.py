"""Shared fixtures: a fresh app and database per test, people factories, a CSRF-aware client."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pdplanner import create_app
from pdplanner.accounts.models import Level, Organisation, Team, User
from pdplanner.extensions import db
from pdplanner.security import hash_password

PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def app() -> Iterator[Flask]:
    """Build an app on a fresh database (sqlite:// or TEST_DATABASE_URL)."""
    app = create_app("test")
    with app.app_context():
        db.create_all()
        db.session.add(Organisation(name="Test org", default_language="en",
                                    timezone="Africa/Bamako", default_cadence="monthly"))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def shared_database_url(tmp_path) -> str:
    """Return a database threads and app instances really share: a file, or PostgreSQL."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'shared.db'}"


@pytest.fixture
def shared_app(tmp_path) -> Iterator[Flask]:
    """An app on a database every thread really shares: a SQLite file, or PostgreSQL."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI=shared_database_url(tmp_path))
    app.test_client_class = Client
    with app.app_context():
        db.create_all()
        db.session.add(Organisation(name="Test org"))
        db.session.add(User(email="target@example.org", name="Target",
                            password_hash=hash_password(PASSWORD)))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def two_workers(tmp_path) -> Iterator[list[Flask]]:
    """Two apps on one database, as two gunicorn workers are: each keeps its own caches."""
    url = shared_database_url(tmp_path)
    apps = [create_app("test", SQLALCHEMY_DATABASE_URI=url) for _worker in range(2)]
    with apps[0].app_context():
        db.create_all()
        db.session.add(Organisation(name="Test org", timezone="Africa/Bamako"))
        db.session.commit()
    yield apps
    for app in apps:
        with app.app_context():
            db.session.remove()
    with apps[0].app_context():
        db.drop_all()
    for app in apps:
        with app.app_context():
            db.engine.dispose()


class Client(FlaskClient):
    """A test client that adds the CSRF token to every form post, like a browser would."""

    def csrf_token(self) -> str:
        """Fetch a page with a form and return its CSRF token."""
        page = self.get("/auth/login" if not self._signed_in() else "/profile")
        match = CSRF_RE.search(page.get_data(as_text=True))
        assert match, "no CSRF token on the page"
        return match.group(1)

    def _signed_in(self) -> bool:
        with self.session_transaction() as session:
            return "_user_id" in session

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        """POST `data` with a valid CSRF token."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def login(self, email: str, password: str = PASSWORD, **extra):
        """Sign in through the real form."""
        return self.post_form("/auth/login", {"email": email, "password": password, **extra})

    def logout(self):
        """Sign out through the real POST form."""
        return self.post_form("/auth/logout")


@pytest.fixture
def client(app: Flask) -> Client:
    """A CSRF-aware test client."""
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def make_client(app: Flask):
    """Make extra independent clients (other browsers)."""
    app.test_client_class = Client
    return app.test_client


@pytest.fixture
def make_team(app: Flask):
    """Create a team or site."""

    def make(name: str = "Quality improvement", kind: str = "team", **fields) -> Team:
        with app.app_context():
            team = Team(name=name, kind=kind, **fields)
            db.session.add(team)
            db.session.commit()
            db.session.refresh(team)
            db.session.expunge(team)
            return team

    return make


@pytest.fixture
def make_level(app: Flask):
    """Create a job level."""

    def make(name: str = "Field staff", rank: int = 4) -> Level:
        with app.app_context():
            level = Level(name=name, rank=rank)
            db.session.add(level)
            db.session.commit()
            db.session.refresh(level)
            db.session.expunge(level)
            return level

    return make


@pytest.fixture
def make_user(app: Flask):
    """Create a person with the test password; returns their id and e-mail."""
    counter = {"n": 0}

    def make(email: str | None = None, name: str | None = None, *, supervisor_id=None,
             password: str | None = PASSWORD, **fields) -> User:
        counter["n"] += 1
        email = email or f"person{counter['n']}@example.org"
        with app.app_context():
            user = User(email=email, name=name or f"Person {counter['n']}",
                        password_hash=hash_password(password) if password else None,
                        supervisor_id=supervisor_id, **fields)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def get_user(app: Flask, user_id: int) -> User:
    """Reload a person from the database, detached."""
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


@pytest.fixture
def hr(make_user) -> User:
    """An HR person."""
    return make_user("hr@example.org", "Hawa HR", is_hr=True)


@pytest.fixture
def admin(make_user) -> User:
    """An administrator."""
    return make_user("admin@example.org", "Ada Admin", is_admin=True)


@pytest.fixture
def employee(make_user) -> User:
    """A plain employee."""
    return make_user("employee@example.org", "Emma Employee")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    """Collects what the SMTP server received."""

    def __init__(self):
        self.messages = []
        #: Replies to give instead of accepting, one per message (e.g. "451 try later").
        self.replies: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes
        from email.policy import default

        if self.replies:
            return self.replies.pop(0)
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server_for():
    """Start a real SMTP server (aiosmtpd) on 127.0.0.1 for a given app; stop it after."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(app) -> _Inbox:
        inbox = _Inbox()
        # aiosmtpd waits 5 s for its thread by default; a busy CI machine can take longer.
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                                ready_timeout=30)
        controller.start()
        controllers.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                          MAIL_DEFAULT_SENDER="pdplanner <pd@example.org>")
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def smtp_server(app, smtp_server_for):
    """Run a real SMTP server (aiosmtpd) on 127.0.0.1 and point the app at it."""
    return smtp_server_for(app)


def field_error(html: str, field: str) -> str:
    """Return the message shown by a field, checking the field is marked invalid."""
    tag = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="{field}"[^>]*>', html)
    assert tag, f"no {field} field"
    assert 'aria-invalid="true"' in tag.group(0)
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error\b', tag.group(0))
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert error, f"no message by {field}"
    return unescape(error.group(1))
