"""Sign-in, sign-out, lockout and password hashing."""

from datetime import timedelta

import time_machine

from pdplanner.extensions import db
from pdplanner.identity.services import GENERIC_LOGIN_ERROR
from pdplanner.types import utcnow
from tests.conftest import CSRF_RE, PASSWORD, get_user


def test_sign_in_with_right_password_lands_on_home(client, employee):
    """The right e-mail and password sign in and show the person's name."""
    response = client.login(employee.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert employee.name in client.get("/").get_data(as_text=True)


def test_email_is_case_insensitive(client, employee):
    """People may type their address with capitals."""
    assert client.login(employee.email.upper()).status_code == 302


def test_unknown_email_and_wrong_password_get_the_same_answer(client, employee):
    """An attacker cannot tell which addresses exist."""
    unknown = client.login("nobody@example.org", PASSWORD)
    wrong = client.login(employee.email, "wrong password!")
    assert unknown.status_code == wrong.status_code == 422
    message = str(GENERIC_LOGIN_ERROR)
    unknown_html, wrong_html = unknown.get_data(as_text=True), wrong.get_data(as_text=True)
    assert message.split(",")[0] in unknown_html
    def scrub(html: str, email: str) -> str:
        return CSRF_RE.sub("", html.replace(email, ""))

    assert scrub(unknown_html, "nobody@example.org") == scrub(wrong_html, employee.email)


def test_failed_sign_in_keeps_the_typed_email(client, employee):
    """The e-mail typed is shown again after a failure."""
    html = client.login(employee.email, "nope-nope").get_data(as_text=True)
    assert f'value="{employee.email}"' in html


def test_lockout_refuses_even_the_right_password_then_lifts(app, client, employee):
    """Five failures lock the account; after the window the right password works."""
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert client.login(employee.email, "bad password").status_code == 422
    assert client.login(employee.email, PASSWORD).status_code == 422
    assert get_user(app, employee.id).locked_until is not None
    with time_machine.travel(utcnow() + app.config["LOGIN_LOCKOUT"] + timedelta(seconds=5)):
        assert client.login(employee.email, PASSWORD).status_code == 302


def test_deactivated_person_cannot_sign_in(client, make_user):
    """Deactivated people get the generic refusal."""
    person = make_user(active=False)
    assert client.login(person.email).status_code == 422


def test_new_hashes_are_argon2id(app, employee):
    """Stored hashes use argon2id."""
    assert get_user(app, employee.id).password_hash.startswith("$argon2id$")


def test_weaker_hash_is_upgraded_on_sign_in(app, client, employee):
    """A hash made with older, cheaper parameters is replaced at the next sign-in."""
    from argon2 import PasswordHasher

    from pdplanner.accounts.models import User

    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    with app.app_context():
        db.session.get(User, employee.id).password_hash = weak
        db.session.commit()
    assert client.login(employee.email).status_code == 302
    stored = get_user(app, employee.id).password_hash
    assert stored != weak and f"m={app.config['ARGON2_MEMORY_COST']}" in stored


def test_logout_is_post_only(client, employee):
    """GET on the logout URL does not sign out."""
    client.login(employee.email)
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/profile").status_code == 200


def test_logout_signs_out(client, employee):
    """After signing out, protected pages send you to sign in."""
    client.login(employee.email)
    client.logout()
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_signed_in_person_visiting_login_goes_home(client, employee):
    """The sign-in page sends signed-in people home."""
    client.login(employee.email)
    assert client.get("/auth/login").headers["Location"] == "/"


def _password_link(app, user_id: int, purpose: str) -> str:
    """Return the path of a valid reset (or invitation) link for a person."""
    from pdplanner.accounts.models import User
    from pdplanner.identity.services import make_reset_token

    with app.test_request_context():
        token = make_reset_token(db.session.get(User, user_id), purpose)
    return f"/auth/{'reset' if purpose == 'reset' else 'welcome'}/{token}"


def _error_by(html: str, field: str) -> str:
    """Return the message shown under a field ('' when there is none)."""
    import re
    from html import unescape

    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    return unescape(found.group(1)) if found else ""


def test_invalid_password_link_does_not_sign_out(app, client, employee):
    """A broken reset or invitation link leaves whoever is signed in signed in."""
    client.login(employee.email)
    for path in ("/auth/reset/not-a-token", "/auth/welcome/not-a-token"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/auth/forgot"
        assert client.get("/profile").status_code == 200
    assert client.get(_password_link(app, employee.id, "reset")).status_code == 200
    assert client.get("/profile").status_code == 302  # a valid link does sign out


def test_password_link_forms_report_length_and_mismatch_at_once(app, client, employee):
    """A short password and a different confirmation are both flagged in one round (422)."""
    for purpose in ("reset", "invite"):
        response = client.post_form(_password_link(app, employee.id, purpose),
                                    {"password": "abc", "confirm": "abd"})
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert _error_by(html, "password") == "Use at least 8 characters."
        assert _error_by(html, "confirm") == "The two passwords differ."
        assert get_user(app, employee.id).password_changed_at is None
