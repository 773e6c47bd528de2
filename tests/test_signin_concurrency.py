"""Sign-in under real concurrency: threads on a file SQLite database or PostgreSQL."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.audit import AuditEvent
from pdplanner.extensions import db
from tests.conftest import CSRF_RE, PASSWORD


def post_at_once(app: Flask, path: str, forms: list[dict]) -> list[int]:
    """Post each form to `path` from its own client, all released together; the statuses."""
    clients = [app.test_client() for _ in forms]
    tokens = [CSRF_RE.search(c.get(path).get_data(as_text=True)).group(1) for c in clients]
    start = threading.Barrier(len(forms))
    statuses: list[int] = [0] * len(forms)

    def post(i: int) -> None:
        start.wait()
        try:
            statuses[i] = clients[i].post(path, data={**forms[i], "csrf_token": tokens[i]}
                                          ).status_code
        except Exception:  # the test app re-raises what a server would answer with 500
            statuses[i] = 500

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def sign_in_at_once(app: Flask, passwords: list[str]) -> list[int]:
    """Sign in to the target account with each password, all at once."""
    return post_at_once(app, "/auth/login", [{"email": "target@example.org", "password": p}
                                             for p in passwords])


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


def test_one_reset_link_used_twice_at_once_works_once(shared_app):
    """Two submissions of one reset link at once: one sets the password, one is refused."""
    from pdplanner.identity.services import make_reset_token

    with shared_app.test_request_context():
        user = db.session.scalar(select(User).filter_by(email="target@example.org"))
        path = f"/auth/reset/{make_reset_token(user)}"
    new = [{"password": f"new password {n}", "confirm": f"new password {n}"} for n in (1, 2)]
    assert 500 not in post_at_once(shared_app, path, new)
    winners = [f["password"] for f in new
               if sign_in_at_once(shared_app, [f["password"]]) == [302]]
    assert len(winners) == 1
