"""The session cookie is verified once per process and remembered by its exact text: a
tampered, expired or foreign-key cookie is still refused, and a request's changes to its
session never reach another request's copy."""

from __future__ import annotations

import time

from flask import flash, request

from pdplanner.identity import cookies


def _cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_remembered_cookie_still_signs_the_person_in(client, employee):
    client.login(employee.email)
    for _ in range(3):
        assert client.get("/goals").status_code == 200


def test_a_tampered_cookie_is_refused_after_the_genuine_one_was_remembered(
        app, client, make_client, employee):
    client.login(employee.email)
    assert client.get("/goals").status_code == 200  # the genuine cookie is now remembered
    genuine = _cookie(client)
    forged = genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")
    other = make_client()
    other.set_cookie("session", forged)
    assert other.get("/goals").status_code == 302  # signed out: to the sign-in page


def test_an_expired_cookie_is_refused_even_when_remembered(app, client, employee, monkeypatch):
    client.login(employee.email)
    assert client.get("/goals").status_code == 200
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(cookies.time, "time", lambda: later)
    assert client.get("/goals").status_code == 302


def test_a_cookie_from_the_future_is_refused(app, client, employee, monkeypatch):
    client.login(employee.email)
    assert client.get("/goals").status_code == 200
    earlier = time.time() - 3600
    monkeypatch.setattr(cookies.time, "time", lambda: earlier)
    assert client.get("/goals").status_code == 302


def test_a_cookie_signed_with_another_key_is_refused(app, client, make_client, employee):
    client.login(employee.email)
    assert client.get("/goals").status_code == 200
    cookie = _cookie(client)
    app.secret_key = "another-secret-key-" + "x" * 40  # the key was rotated
    other = make_client()
    other.set_cookie("session", cookie)
    assert other.get("/goals").status_code == 302


def test_a_requests_changes_to_its_session_stay_its_own(app, client, employee):
    client.login(employee.email)
    cookie = _cookie(client)
    interface = app.session_interface
    headers = {"Cookie": f"session={cookie}"}
    with app.test_request_context("/", headers=headers):
        first = interface.open_session(app, request)
        first["_flashes"] = [("info", "only mine")]
        first["_user_id"] = "999:1"
    with app.test_request_context("/", headers=headers):
        second = interface.open_session(app, request)
    assert "_flashes" not in second and second["_user_id"] != "999:1"


def test_a_flashed_message_shows_once(app, client, employee, monkeypatch):
    from pdplanner.accounts import policy

    def flashing():
        flash("Saved once", "info")
        return "ok"

    app.add_url_rule("/flash-test", "flash_test", flashing)
    monkeypatch.setitem(policy.ROUTES, "flash_test", policy.SIGNED_IN)
    client.login(employee.email)
    client.get("/flash-test")
    assert "Saved once" in client.get("/goals").get_data(as_text=True)
    assert "Saved once" not in client.get("/goals").get_data(as_text=True)
