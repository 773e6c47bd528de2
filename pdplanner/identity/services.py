"""Passwords (changes, reset and invitation links) and sign-in: who may sign in, and how."""

from __future__ import annotations

import hashlib

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update

from pdplanner import audit, events
from pdplanner.accounts import throttle
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import find_by_email, normal_email
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.identity.signin import (  # noqa: F401  (sign-in is part of this service)
    GENERIC_LOGIN_ERROR,
    USERS,
    authenticate,
    end_session,
)
from pdplanner.reminders import outbox
from pdplanner.security import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    hash_password,
    verify_password,
)
from pdplanner.transaction import use_case
from pdplanner.types import utcnow


def check_new_password(password: str, field: str = "password") -> None:
    """Refuse passwords that are too short or absurdly long (no composition rules)."""
    if len(password) < PASSWORD_MIN:
        raise RuleViolation(field, _l("Use at least %(n)d characters.", n=PASSWORD_MIN))
    if len(password) > PASSWORD_MAX:
        raise RuleViolation(field, _l("Use at most %(n)d characters.", n=PASSWORD_MAX))


def _set_password(user: User, password: str) -> bool:
    """Store a new hash and end every other session; False if it changed meanwhile.

    One conditional UPDATE: of two concurrent uses of one link (or changes), one wins and
    the other is refused, and the edit version of the person does not move.
    """
    check_new_password(password)
    row = db.session.execute(
        update(USERS).where(USERS.c.id == user.id,
                             USERS.c.session_version == user.session_version,
                             USERS.c.password_hash.is_not_distinct_from(user.password_hash))
        .values(password_hash=hash_password(password), password_changed_at=utcnow(),
                session_version=USERS.c.session_version + 1, failed_logins=0,
                locked_until=None)
        .returning(USERS.c.id)
    ).first()
    return row is not None


@use_case
def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password after checking the current one."""
    if not verify_password(user.password_hash, current) or not _set_password(user, new):
        raise RuleViolation("current_password", _l("This is not your current password."))
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


def request_password_reset(email: str, address: str | None = None) -> None:
    """Queue a reset link if the address belongs to an active person; say nothing otherwise."""
    throttle.attempt(("THROTTLE_RESET_PER_ADDRESS", address),
                     ("THROTTLE_RESET_PER_ACCOUNT", normal_email(email)))
    user = find_by_email(email)
    if user is None or not user.active:
        return
    key = f"u{user.id}:{utcnow():%Y%m%dT%H%M%S%f}"
    outbox.enqueue(user, "password_reset", key, {"link": reset_link(user)})


@use_case
def reset_password(token: str, new: str, purpose: str = "reset") -> User:
    """Set a password from a reset or invitation token; the token then stops working."""
    user = user_for_reset_token(token, purpose)
    if user is None or not _set_password(user, new):
        raise RuleViolation(None, _l("This link is invalid or has expired."))
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
