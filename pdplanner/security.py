"""Password hashing, safe redirects and security headers; knows no room."""

import ipaddress
from collections import OrderedDict
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, g, request, session
from flask_login import current_user
from flask_wtf import csrf as flask_wtf_csrf
from werkzeug.middleware.proxy_fix import ProxyFix
from wtforms import ValidationError

#: Passwords are at least this long; no composition rules, no truncation (ASVS V6).
PASSWORD_MIN = 8
PASSWORD_MAX = 256

_DUMMY_HASH_CACHE: dict[tuple, str] = {}


def _hasher() -> PasswordHasher:
    """Build an argon2id hasher with the configured cost."""
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; an unknown account still pays the cost of one verification."""
    hasher = _hasher()
    if not stored_hash:
        key = (hasher.time_cost, hasher.memory_cost)
        if key not in _DUMMY_HASH_CACHE:
            _DUMMY_HASH_CACHE[key] = hasher.hash("not-a-real-password")
        stored_hash = _DUMMY_HASH_CACHE[key]
        password = password + "\x00never-matches"
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Tell whether a hash was made with older or weaker parameters."""
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def safe_next(target: str | None) -> str | None:
    """Return `target` only when it is a same-site relative path, else None."""
    if not target or len(target) > 2000:
        return None
    if any(ch in target for ch in "\\\r\n\t\x00") or any(ord(ch) < 32 for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def trust_proxies(app: Flask) -> None:
    """Read the client's address from X-Forwarded-For only behind TRUSTED_PROXIES proxies."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def client_address() -> str:
    """Return who is asking, for attempt limits: the IPv4 address, or the IPv6 /64."""
    address = request.remote_addr or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    # One IPv6 subscriber usually holds a whole /64: count it as one address.
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


_DEFAULT_HEADERS = (
    ("Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
     "base-uri 'self'; form-action 'self'; object-src 'none'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
_HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def register_security_headers(app: Flask) -> None:
    """Add CSP, framing, sniffing, referrer and caching headers to every response."""
    defaults = _DEFAULT_HEADERS + ((_HSTS,) if app.config.get("SECURITY_HSTS") else ())

    @app.after_request
    def set_headers(response):
        headers = response.headers
        # A view may set its own (a stricter policy, say): those it set are kept. One pass over
        # the headers (setdefault looks each name up and raises a KeyError when it is absent).
        present = {name.lower() for name in headers.keys()}
        headers.extend([pair for pair in defaults if pair[0].lower() not in present])
        if request.endpoint != "static" and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
            headers["Vary"] = "Cookie"
        return response


_SIGNED_TOKENS: OrderedDict[tuple[str, str], str] = OrderedDict()
_SIGNED_TOKENS_KEPT = 4096


def register_csrf_signing(app: Flask) -> None:
    """Sign a session's CSRF token once per process instead of on every page.

    Flask-WTF signs the session's token anew on each request that shows a form; with no time
    limit on tokens (WTF_CSRF_TIME_LIMIT None) the signature of the same token stays valid,
    so the one Flask-WTF made (its signer, its salt) is kept (bounded, per secret key) and
    handed back to it for later requests. Start-up fails if Flask-WTF would refuse it.
    """
    if app.config.get("WTF_CSRF_TIME_LIMIT") is not None or not app.config.get(
            "WTF_CSRF_ENABLED", True):
        return
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")

    @app.before_request
    def reuse_signed_csrf_token():
        raw = session.get(field)
        if not isinstance(raw, str):
            return  # none yet: Flask-WTF makes one when a form needs it
        key = (app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key, raw)
        signed = _SIGNED_TOKENS.get(key)
        if signed is None:
            _SIGNED_TOKENS[key] = flask_wtf_csrf.generate_csrf()  # kept in g by Flask-WTF
            if len(_SIGNED_TOKENS) > _SIGNED_TOKENS_KEPT:
                _SIGNED_TOKENS.popitem(last=False)
        else:
            setattr(g, field, signed)

    _check_kept_token_accepted(app, field)


def _check_kept_token_accepted(app: Flask, field: str) -> None:
    """Fail loudly unless Flask-WTF hands out, and accepts, a token it signed in an earlier
    request (else every form would be refused after an upgrade of Flask-WTF)."""
    raw = "pdplanner start-up check"
    with app.test_request_context():
        session[field] = raw
        signed = flask_wtf_csrf.generate_csrf()
    with app.test_request_context():
        session[field] = raw
        setattr(g, field, signed)
        given = flask_wtf_csrf.generate_csrf()
        try:
            flask_wtf_csrf.validate_csrf(given)
        except ValidationError as error:
            raise RuntimeError(f"Flask-WTF refuses a CSRF token it signed earlier ({error}): "
                               "pdplanner.security.register_csrf_signing must change") from error
    if given != signed:
        raise RuntimeError("Flask-WTF no longer hands out the CSRF token kept for the request: "
                           "pdplanner.security.register_csrf_signing must change")
