"""Sign-in, sign-out, password changes and resets, invitation links: who may sign in, how."""

from __future__ import annotations

import hashlib

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from pdplanner import audit, events
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import find_by_email
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.reminders import outbox
from pdplanner.security import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    hash_password,
    needs_rehash,
    verify_password,
)
from pdplanner.transaction import use_case
from pdplanner.types import utcnow

#: One answer for unknown e-mail, wrong password and locked account alike.
GENERIC_LOGIN_ERROR = _l(
    "E-mail or password is incorrect, or the account is temporarily locked. "
    "Check them, or try again in a few minutes."
)


def authenticate(email: str, password: str) -> User:
    """Check credentials, count failures and lock; return the user or raise RuleViolation."""
    user = find_by_email(email)
    now = utcnow()
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not user.active:
        raise RuleViolation(None, GENERIC_LOGIN_ERROR)
    if user.locked_until and user.locked_until > now:
        raise RuleViolation(None, GENERIC_LOGIN_ERROR)
    if not ok:
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + current_app.config["LOGIN_LOCKOUT"]
            user.failed_logins = 0
            audit.record(user.id, "user.locked", f"user:{user.id}")
        db.session.commit()
        raise RuleViolation(None, GENERIC_LOGIN_ERROR)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return user


@use_case
def end_session(user: User) -> None:
    """Sign out everywhere: a copied session or remember cookie stops working."""
    user.session_version += 1


def check_new_password(password: str, field: str = "password") -> None:
    """Refuse passwords that are too short or absurdly long (no composition rules)."""
    if len(password) < PASSWORD_MIN:
        raise RuleViolation(field, _l("Use at least %(n)d characters.", n=PASSWORD_MIN))
    if len(password) > PASSWORD_MAX:
        raise RuleViolation(field, _l("Use at most %(n)d characters.", n=PASSWORD_MAX))


def _set_password(user: User, password: str) -> None:
    """Store a new hash and end every other session of this person."""
    check_new_password(password)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None


@use_case
def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password after checking the current one."""
    if not verify_password(user.password_hash, current):
        raise RuleViolation("current_password", _l("This is not your current password."))
    _set_password(user, new)
    audit.record(user.id, "user.password_changed", f"user:{user.id}")


#: What a password link is for: its signing salt, lifetime setting and page. An invitation
#: lives longer than a reset, and neither kind of token works as the other.
LINKS = {
    "reset": ("pdplanner.password-reset", "PASSWORD_RESET_MAX_AGE", "identity.reset_password"),
    "invite": ("pdplanner.invitation", "INVITATION_MAX_AGE", "identity.welcome"),
}


def _serializer(purpose: str = "reset") -> URLSafeTimedSerializer:
    """Sign tokens with the current key, accepting tokens signed with fallbacks."""
    keys = [*current_app.config.get("SECRET_KEY_FALLBACKS", []), current_app.secret_key]
    return URLSafeTimedSerializer(keys, salt=LINKS[purpose][0])


def _password_fingerprint(user: User) -> str:
    """Change whenever the password or session version changes, so a token is single-use."""
    raw = f"{user.password_hash or ''}:{user.session_version}".encode()
    return hashlib.sha256(raw).hexdigest()[:20]


def make_reset_token(user: User, purpose: str = "reset") -> str:
    """Return a token for `user`, valid until used, a password change, or expiry."""
    return _serializer(purpose).dumps({"u": user.id, "f": _password_fingerprint(user)})


def reset_link(user: User, purpose: str = "reset") -> str:
    """Return an absolute link where `user` chooses a password (a reset or an invitation)."""
    token = make_reset_token(user, purpose)
    endpoint = LINKS[purpose][2]
    if has_request_context():
        path = url_for(endpoint, token=token)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, token=token)
    return current_app.config["BASE_URL"].rstrip("/") + path


def user_for_reset_token(token: str, purpose: str = "reset") -> User | None:
    """Return the person a still-valid token belongs to, else None."""
    max_age = current_app.config[LINKS[purpose][1]]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("f") != _password_fingerprint(user):
        return None
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset link if the address belongs to an active person; say nothing otherwise."""
    user = find_by_email(email)
    if user is None or not user.active:
        return
    key = f"u{user.id}:{utcnow():%Y%m%dT%H%M%S%f}"
    outbox.enqueue(user, "password_reset", key, {"link": reset_link(user)})


@use_case
def reset_password(token: str, new: str, purpose: str = "reset") -> User:
    """Set a password from a reset or invitation token; the token then stops working."""
    user = user_for_reset_token(token, purpose)
    if user is None:
        raise RuleViolation(None, _l("This link is invalid or has expired."))
    _set_password(user, new)
    audit.record(user.id, "user.password_reset" if purpose == "reset" else "user.welcome",
                 f"user:{user.id}")
    return user


def send_invitations(actor: User | None, people: list[User]) -> int:
    """E-mail these people (e.g. those an import created) a link to choose their password."""
    now = utcnow()
    sender = actor.name if actor else ""
    items = [(person, "invitation", f"u{person.id}:{now:%Y%m%dT%H%M%S%f}",
              {"link": reset_link(person, "invite"), "from": sender})
             for person in people if person.active]
    for person, *_ in items:
        audit.record(actor.id if actor else None, "user.invite", f"user:{person.id}")
    outbox.enqueue_many(items)
    return len(items)


def _on_invitations_wanted(actor: User | None, people: list[User], **_) -> None:
    """Send the invitations HR asked for on a person's page or with an import."""
    send_invitations(actor, people)


def register() -> None:
    """Listen for people to invite (safe to call more than once)."""
    events.invitations_wanted.connect(_on_invitations_wanted)
