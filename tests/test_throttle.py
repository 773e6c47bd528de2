"""Attempt limits per client address and per account, shared by every worker and host."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from pdplanner import create_app
from pdplanner.accounts.models import Throttle
from pdplanner.extensions import db
from pdplanner.reminders.models import OutboxMessage
from pdplanner.types import utcnow
from tests.conftest import PASSWORD, Client, shared_database_url

TOO_MANY = "Too many attempts"


def _from(make_client, address: str, **headers) -> Client:
    """A browser at `address`."""
    client = make_client()
    client.environ_base.update(REMOTE_ADDR=address, **headers)
    return client


def test_spraying_from_one_address_is_refused_with_retry_after(app, client, employee):
    """Past the limit, wrong passwords on many accounts get 429, a wait and the e-mail kept."""
    app.config["THROTTLE_SIGN_IN_PER_ADDRESS"] = (5, 600)
    for n in range(5):
        assert client.login(f"someone{n}@example.org", "wrong password").status_code == 422
    response = client.login(employee.email, "wrong password")
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 600
    assert TOO_MANY in html and f'value="{employee.email}"' in html
    assert client.login(employee.email, PASSWORD).status_code == 429  # not even checked


def test_the_limit_message_is_in_french(app, make_client):
    """A French browser reads the refusal in French."""
    app.config["THROTTLE_SIGN_IN_PER_ADDRESS"] = (1, 600)
    client = _from(make_client, "127.0.0.1", HTTP_ACCEPT_LANGUAGE="fr")
    client.login("a@example.org", "wrong password")
    response = client.login("b@example.org", "wrong password")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_another_address_is_not_affected(app, make_client, employee):
    """One address at its limit does not slow anybody else down."""
    app.config["THROTTLE_SIGN_IN_PER_ADDRESS"] = (3, 600)
    attacker = _from(make_client, "203.0.113.9")
    for n in range(4):
        attacker.login(f"someone{n}@example.org", "wrong password")
    assert attacker.login(employee.email).status_code == 429
    assert _from(make_client, "198.51.100.7").login(employee.email).status_code == 302


def test_forwarded_for_is_not_trusted_by_default(app, make_client):
    """A client cannot pick a new address per try with X-Forwarded-For."""
    app.config["THROTTLE_SIGN_IN_PER_ADDRESS"] = (2, 600)
    statuses = [_from(make_client, "203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
                .login(f"someone{n}@example.org", "wrong password").status_code
                for n in range(3)]
    assert statuses == [422, 422, 429]


def test_forwarded_for_is_read_behind_trusted_proxies(make_client):
    """With TRUSTED_PROXIES=1 the address the proxy saw is the one counted."""
    app = create_app("test", TRUSTED_PROXIES=1, THROTTLE_SIGN_IN_PER_ADDRESS=(2, 600))
    with app.app_context():
        db.create_all()
    app.test_client_class = Client
    try:
        for n in range(3):
            client = app.test_client()
            client.environ_base.update(REMOTE_ADDR="10.0.0.1",
                                       HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
            assert client.login(f"someone{n}@example.org", "wrong").status_code == 422
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_an_account_attacked_from_many_addresses_has_its_own_limit(app, make_client,
                                                                   employee):
    """Each address tries once; the account's own limit still stops them."""
    app.config.update(THROTTLE_SIGN_IN_PER_ACCOUNT=(3, 600), LOGIN_MAX_FAILURES=100)
    statuses = [_from(make_client, f"203.0.113.{n}").login(employee.email, "wrong password")
                .status_code for n in range(4)]
    assert statuses == [422, 422, 422, 429]


def test_an_unknown_account_is_limited_alike(app, make_client):
    """An address that belongs to nobody is limited exactly like a real one."""
    app.config.update(THROTTLE_SIGN_IN_PER_ACCOUNT=(2, 600))
    statuses = [_from(make_client, f"203.0.113.{n}").login("ghost@example.org", "wrong")
                .status_code for n in range(3)]
    assert statuses == [422, 422, 429]


def test_successful_sign_ins_do_not_use_up_the_limit(app, client, employee):
    """An office behind one address can sign in all day."""
    app.config.update(THROTTLE_SIGN_IN_PER_ADDRESS=(2, 600),
                      THROTTLE_SIGN_IN_PER_ACCOUNT=(2, 600))
    for _ in range(5):
        assert client.login(employee.email).status_code == 302
        client.logout()


def test_the_limit_lifts_when_the_window_ends_and_old_counters_go(app, client, employee):
    """After the window, sign-in works again and the ended window's counters are deleted."""
    app.config["THROTTLE_SIGN_IN_PER_ADDRESS"] = (1, 600)
    client.login("a@example.org", "wrong password")
    assert client.login(employee.email).status_code == 429
    with time_machine.travel(utcnow() + timedelta(seconds=601)):
        assert client.login(employee.email).status_code == 302
        with app.app_context():
            assert db.session.scalar(select(func.max(Throttle.hits))) == 0
            assert db.session.scalar(select(func.count()).select_from(Throttle)) == 2


def test_limits_are_shared_by_two_app_instances(shared_app, tmp_path):
    """Two workers (two apps on one database) count the same attempts."""
    shared_app.config["THROTTLE_SIGN_IN_PER_ADDRESS"] = (4, 600)
    other = create_app("test", SQLALCHEMY_DATABASE_URI=shared_database_url(tmp_path),
                       THROTTLE_SIGN_IN_PER_ADDRESS=(4, 600))
    other.test_client_class = Client
    clients = [shared_app.test_client(), other.test_client()]
    try:
        statuses = [clients[n % 2].login(f"x{n}@example.org", "wrong").status_code
                    for n in range(6)]
    finally:
        with other.app_context():
            db.engine.dispose()
    assert statuses == [422, 422, 422, 422, 429, 429]


def test_password_reset_requests_are_limited_per_account(app, make_client, employee):
    """A fourth reset link for one account within the hour is refused, from any address."""
    app.config["THROTTLE_RESET_PER_ACCOUNT"] = (3, 3600)
    for n in range(3):
        reply = _from(make_client, f"203.0.113.{n}").post_form(
            "/auth/forgot", {"email": employee.email})
        assert reply.status_code == 302
    response = _from(make_client, "198.51.100.7").post_form("/auth/forgot",
                                                            {"email": employee.email})
    assert response.status_code == 429 and response.headers["Retry-After"]
    html = response.get_data(as_text=True)
    assert TOO_MANY in html and f'value="{employee.email}"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_password_reset_requests_are_limited_per_address(app, client):
    """One address cannot ask for links to every account."""
    app.config["THROTTLE_RESET_PER_ADDRESS"] = (2, 3600)
    statuses = [client.post_form("/auth/forgot", {"email": f"p{n}@example.org"}).status_code
                for n in range(3)]
    assert statuses == [302, 302, 429]


def test_invitations_sent_again_are_limited(app, client, hr, make_user):
    """HR may send a person's invitation again, but not endlessly."""
    app.config["THROTTLE_INVITE_PER_ACCOUNT"] = (2, 3600)
    person = make_user("new@example.org", password=None)
    client.login(hr.email)
    for _ in range(2):
        assert client.post_form(f"/people/{person.id}/invite").status_code == 302
    response = client.post_form(f"/people/{person.id}/invite")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert TOO_MANY in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
