"""Sign-in under real concurrency: threads on a file SQLite database or PostgreSQL."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.audit import AuditEvent
from pdplanner.extensions import db
from tests.conftest import CSRF_RE, PASSWORD


def sign_in_at_once(app: Flask, passwords: list[str]) -> list[int]:
    """Post one sign-in per password from as many clients, all released together."""
    clients = [app.test_client() for _ in passwords]
    tokens = [CSRF_RE.search(c.get("/auth/login").get_data(as_text=True)).group(1)
              for c in clients]
    start = threading.Barrier(len(passwords))
    statuses: list[int] = [0] * len(passwords)

    def post(i: int) -> None:
        start.wait()
        try:
            statuses[i] = clients[i].post("/auth/login", data={
                "email": "target@example.org", "password": passwords[i],
                "csrf_token": tokens[i]}).status_code
        except Exception:  # the test app re-raises what a server would answer with 500
            statuses[i] = 500

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(passwords))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _target(app: Flask) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email="target@example.org"))
        db.session.expunge(user)
        return user


def test_concurrent_wrong_passwords_are_each_counted(shared_app):
    """Four wrong passwords at once: four refusals, the counter at exactly four."""
    statuses = sign_in_at_once(shared_app, ["wrong password"] * 4)
    assert statuses == [422] * 4
    assert _target(shared_app).failed_logins == 4
    assert _target(shared_app).locked_until is None


def test_concurrent_wrong_passwords_lock_the_account_once(shared_app):
    """Eight wrong passwords at once: no 500, the account locked, one lock recorded."""
    statuses = sign_in_at_once(shared_app, ["wrong password"] * 8)
    assert statuses == [422] * 8
    user = _target(shared_app)
    assert user.locked_until is not None and user.failed_logins == 0
    with shared_app.app_context():
        locks = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "user.locked"))
    assert locks == 1
    assert sign_in_at_once(shared_app, [PASSWORD]) == [422]


def test_concurrent_right_passwords_all_sign_in(shared_app):
    """Six right passwords at once all sign in, and the edit version does not move."""
    version = _target(shared_app).version
    assert sign_in_at_once(shared_app, [PASSWORD] * 6) == [302] * 6
    user = _target(shared_app)
    assert user.last_login_at is not None and user.version == version
