"""Open redirects, CSRF, session replay, cookies and headers (protection on)."""

import pytest

from pdplanner import create_app
from pdplanner.extensions import db
from pdplanner.security import safe_next
from tests.conftest import PASSWORD

REDIRECT_VECTORS = [
    "//evil.com", "/\\evil.com", "\t//evil.com", "https:evil.com", "https://evil.com",
    "http://evil.com/", "///evil.com", "/\t/evil.com", " //evil.com", "javascript:alert(1)",
    "\\\\evil.com", "evil.com", "//evil.com/%2f..", "/\r\n/evil.com",
]


@pytest.mark.parametrize("target", REDIRECT_VECTORS)
def test_open_redirect_vectors_land_on_home(client, employee, target):
    """A hostile `next` is ignored and the person lands on the home page."""
    token = client.csrf_token()
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": employee.email, "password": PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_same_site_next_is_followed(client, employee):
    """A relative path on this site is honoured."""
    token = client.csrf_token()
    response = client.post("/auth/login?next=/profile", data={
        "email": employee.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/profile"


@pytest.mark.parametrize("value", ["/people?q=a", "/profile"])
def test_safe_next_accepts_relative_paths(value):
    """Plain relative paths pass."""
    assert safe_next(value) == value


def test_login_without_csrf_token_is_refused(client, employee):
    """CSRF protection covers the sign-in form."""
    response = client.post("/auth/login", data={"email": employee.email, "password": PASSWORD})
    assert response.status_code == 400


def test_logout_without_csrf_token_is_refused(client, employee):
    """A cross-site POST cannot sign someone out."""
    client.login(employee.email)
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/profile").status_code == 200


def _session_cookie(client):
    return client.get_cookie("session").value


def test_session_cookie_replayed_after_logout_is_refused(app, make_client, employee):
    """A copied session cookie dies with the logout."""
    browser = make_client()
    browser.login(employee.email)
    stolen = _session_cookie(browser)
    browser.logout()
    thief = make_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/profile").status_code == 302


def test_remember_cookie_replayed_after_logout_is_refused(app, make_client, employee):
    """A copied remember-me cookie also dies with the logout."""
    browser = make_client()
    browser.login(employee.email, remember="y")
    remember = browser.get_cookie("remember_token").value
    browser.logout()
    thief = make_client()
    thief.set_cookie("remember_token", remember)
    assert thief.get("/profile").status_code == 302


def test_cookie_replayed_after_password_change_is_refused(make_client, employee):
    """Changing one's password signs out every other copy of the session."""
    browser = make_client()
    browser.login(employee.email)
    stolen = _session_cookie(browser)
    response = browser.post_form("/profile/password", {
        "current_password": PASSWORD, "password": "a brand new password",
        "confirm": "a brand new password"})
    assert response.status_code == 302
    assert browser.get("/profile").status_code == 200  # this browser stays signed in
    thief = make_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/profile").status_code == 302


def test_deactivation_ends_sessions(make_client, hr, employee):
    """A deactivated person's open session stops working at once."""
    person = make_client()
    person.login(employee.email)
    manager = make_client()
    manager.login(hr.email)
    manager.post_form(f"/people/{employee.id}/deactivate")
    assert person.get("/profile").status_code == 302


def test_security_headers_on_every_response(client):
    """CSP, framing, sniffing and referrer headers are set, even on the sign-in page."""
    headers = client.get("/auth/login").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_security_headers_are_sent_once_and_a_views_own_are_kept(app, client, monkeypatch):
    """Each default header comes once; one a view set itself is not overwritten."""
    from pdplanner.accounts import policy

    def framed():
        return "ok", 200, {"X-Frame-Options": "SAMEORIGIN"}

    app.add_url_rule("/framed-test", "framed_test", framed)
    monkeypatch.setitem(policy.ROUTES, "framed_test", policy.PUBLIC)
    headers = client.get("/framed-test").headers
    assert headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                 "Permissions-Policy"):
        assert len(headers.getlist(name)) == 1, name
    assert "Strict-Transport-Security" not in headers  # only in production


def test_a_sessions_signed_csrf_token_is_reused_and_stays_its_own(make_client, employee, hr):
    """The token signed once for a session is the same on each page and still accepted; another
    session's token is refused."""
    import re

    token_re = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    first, second = make_client(), make_client()
    first.login(employee.email)
    second.login(hr.email)
    tokens = {token_re.search(first.get(page).get_data(as_text=True)).group(1)
              for page in ("/goals", "/plan", "/notifications")}
    assert len(tokens) == 1
    theirs = token_re.search(second.get("/goals").get_data(as_text=True)).group(1)
    assert theirs not in tokens
    refused = second.post("/language", data={"csrf_token": tokens.pop(), "language": "fr"})
    assert refused.status_code == 400
    accepted = second.post("/language", data={"csrf_token": theirs, "language": "fr"})
    assert accepted.status_code == 302


def test_forms_are_accepted_when_flask_wtf_signs_tokens_another_way(client, employee,
                                                                   monkeypatch):
    """The token kept for a session is the one Flask-WTF signed: were an upgrade of Flask-WTF
    to sign with another salt, its forms would still be accepted."""
    import flask_wtf.csrf
    from itsdangerous import URLSafeTimedSerializer

    class Upgraded(URLSafeTimedSerializer):
        def __init__(self, secret_key, salt=None, **kwargs):
            super().__init__(secret_key, salt="flask-wtf-next", **kwargs)

    monkeypatch.setattr(flask_wtf.csrf, "URLSafeTimedSerializer", Upgraded)
    client.login(employee.email)
    response = client.post_form("/language", {"language": "fr"})
    assert response.status_code == 302


def test_start_up_fails_loudly_if_flask_wtf_refuses_a_kept_token(monkeypatch):
    """An app whose Flask-WTF would refuse the token kept from an earlier request does not
    start (rather than refusing every form)."""
    import flask_wtf.csrf
    from wtforms import ValidationError

    def refuses(data, *args, **kwargs):
        raise ValidationError("The CSRF token has expired.")

    monkeypatch.setattr(flask_wtf.csrf, "validate_csrf", refuses)
    with pytest.raises(RuntimeError, match="refuses a CSRF token it signed earlier"):
        create_app("test")


def test_signed_in_pages_are_not_cached(client, employee):
    """Pages with personal data carry Cache-Control: no-store."""
    client.login(employee.email)
    assert client.get("/profile").headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(client, employee):
    """The session cookie is HttpOnly and SameSite=Lax."""
    response = client.login(employee.email)
    cookie = next(v for k, v in response.headers.items()
                  if k == "Set-Cookie" and v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_hsts_is_sent(monkeypatch):
    """Production marks cookies Secure and sends HSTS."""
    monkeypatch.setenv("SECRET_KEY", "k" * 20 + "Zq9" + "x" * 30)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.app_context():
        db.create_all()
    response = app.test_client().get("/auth/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


@pytest.mark.parametrize("secret", [None, "short", "change-me-please-change-me-please-123"])
def test_production_refuses_a_weak_secret_key(monkeypatch, secret):
    """Production will not start without a strong SECRET_KEY."""
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_to_start_without_database_url(monkeypatch):
    """Production will not fall back to SQLite silently."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "Zq9" + "x" * 40)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")


def test_error_pages_leak_nothing(client):
    """A 404 is a plain page without stack traces or paths."""
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Traceback" not in html and "site-packages" not in html
