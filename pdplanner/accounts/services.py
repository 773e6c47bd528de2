"""Sign-in, sign-out, password changes and resets, and profile edits."""

from __future__ import annotations

import hashlib
from zoneinfo import available_timezones

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import case, func, literal, or_, select, update

from pdplanner import audit
from pdplanner.accounts import throttle
from pdplanner.accounts.models import LANGUAGES, User
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.security import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    hash_password,
    needs_rehash,
    verify_password,
)
from pdplanner.types import utcnow

#: One answer for unknown e-mail, wrong password and locked account alike.
GENERIC_LOGIN_ERROR = _l(
    "E-mail or password is incorrect, or the account is temporarily locked. "
    "Check them, or try again in a few minutes."
)


def _normal(email: str | None) -> str:
    """Return an e-mail address as it is compared: trimmed, lower case."""
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    """Return the person with this e-mail (case-insensitive), if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == _normal(email)))


def authenticate(email: str, password: str, address: str | None = None) -> User:
    """Check credentials, count failures and lock; return the user or raise RuleViolation.

    Attempts are limited per client `address` and per typed e-mail (Throttled), known
    or not, before any password is checked.
    """
    attempts = throttle.attempt(("THROTTLE_SIGN_IN_PER_ADDRESS", address),
                                ("THROTTLE_SIGN_IN_PER_ACCOUNT", _normal(email)))
    user = find_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    now = utcnow()
    if user is None or not user.active:
        raise RuleViolation(None, GENERIC_LOGIN_ERROR)
    if user.locked_until and user.locked_until > now:
        raise RuleViolation(None, GENERIC_LOGIN_ERROR)
    if not ok:
        _count_failure(user.id, now)
        raise RuleViolation(None, GENERIC_LOGIN_ERROR)
    if not _record_sign_in(user, password, now):
        raise RuleViolation(None, GENERIC_LOGIN_ERROR)  # locked by a concurrent failure
    throttle.refund(attempts)
    return user


#: Login bookkeeping is written with Core statements on the table: they neither read the
#: row first nor bump the optimistic `version`, so concurrent sign-ins never conflict.
_USERS = User.__table__


def _not_locked(now):
    """Match the row only while the account is not locked."""
    return or_(_USERS.c.locked_until.is_(None), _USERS.c.locked_until <= now)


def _count_failure(user_id: int, now) -> None:
    """Add one failure in SQL; the one that reaches the limit locks the account."""
    failed = _USERS.c.failed_logins + 1
    reached = failed >= current_app.config["LOGIN_MAX_FAILURES"]
    until = literal(now + current_app.config["LOGIN_LOCKOUT"], _USERS.c.locked_until.type)
    row = db.session.execute(
        update(_USERS).where(_USERS.c.id == user_id, _not_locked(now))
        .values(failed_logins=case((reached, 0), else_=failed),
                locked_until=case((reached, until), else_=_USERS.c.locked_until))
        .returning(_USERS.c.failed_logins)
    ).first()
    if row is not None and row.failed_logins == 0:
        audit.record(user_id, "user.locked", f"user:{user_id}")
    db.session.commit()


def _record_sign_in(user: User, password: str, now) -> bool:
    """Reset the failures, note the time, upgrade an old hash; False if locked meanwhile."""
    values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if needs_rehash(user.password_hash):
        values["password_hash"] = hash_password(password)
    row = db.session.execute(
        update(_USERS).where(_USERS.c.id == user.id, _not_locked(now))
        .values(**values).returning(_USERS.c.id)
    ).first()
    db.session.commit()
    return row is not None


def end_session(user: User) -> None:
    """Sign out everywhere: a copied session or remember cookie stops working."""
    db.session.execute(update(_USERS).where(_USERS.c.id == user.id)
                       .values(session_version=_USERS.c.session_version + 1))
    db.session.commit()


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
        update(_USERS).where(_USERS.c.id == user.id,
                             _USERS.c.session_version == user.session_version,
                             _USERS.c.password_hash.is_not_distinct_from(user.password_hash))
        .values(password_hash=hash_password(password), password_changed_at=utcnow(),
                session_version=_USERS.c.session_version + 1, failed_logins=0,
                locked_until=None)
        .returning(_USERS.c.id)
    ).first()
    return row is not None


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password after checking the current one."""
    if not verify_password(user.password_hash, current) or not _set_password(user, new):
        db.session.rollback()
        raise RuleViolation("current_password", _l("This is not your current password."))
    audit.record(user.id, "user.password_changed", f"user:{user.id}")
    db.session.commit()


#: What a password link is for: its signing salt, lifetime setting and page. An invitation
#: lives longer than a reset, and neither kind of token works as the other.
LINKS = {
    "reset": ("pdplanner.password-reset", "PASSWORD_RESET_MAX_AGE", "accounts.reset_password"),
    "invite": ("pdplanner.invitation", "INVITATION_MAX_AGE", "accounts.welcome"),
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
    from pdplanner.reminders.services import queue_mail

    throttle.attempt(("THROTTLE_RESET_PER_ADDRESS", address),
                     ("THROTTLE_RESET_PER_ACCOUNT", _normal(email)))
    user = find_by_email(email)
    if user is None or not user.active:
        return
    key = f"u{user.id}:{utcnow():%Y%m%dT%H%M%S%f}"
    queue_mail(user, "password_reset", key, {"link": reset_link(user)})


def reset_password(token: str, new: str, purpose: str = "reset") -> User:
    """Set a password from a reset or invitation token; the token then stops working."""
    user = user_for_reset_token(token, purpose)
    if user is None or not _set_password(user, new):
        db.session.rollback()
        raise RuleViolation(None, _l("This link is invalid or has expired."))
    audit.record(user.id, "user.password_reset" if purpose == "reset" else "user.welcome",
                 f"user:{user.id}")
    db.session.commit()
    return user


def invite(actor: User, person: User) -> None:
    """E-mail `person` a link to choose their password and sign in (for days, once)."""
    if not person.active:
        raise RuleViolation(None, _l("Reactivate this person before inviting them."))
    invite_many(actor, [person])


def resend_invitation(actor: User, person: User, address: str) -> None:
    """Invite `person` again, within the limits per client address and per person."""
    if not person.active:
        raise RuleViolation(None, _l("Reactivate this person before inviting them."))
    throttle.attempt(("THROTTLE_INVITE_PER_ADDRESS", address),
                     ("THROTTLE_INVITE_PER_ACCOUNT", f"user:{person.id}"))
    invite_many(actor, [person])


def invite_many(actor: User | None, people: list[User]) -> int:
    """Invite these people (e.g. those an import created) in one go; return how many."""
    from pdplanner.reminders.services import queue_mails

    now = utcnow()
    sender = actor.name if actor else ""
    items = [(person, "invitation", f"u{person.id}:{now:%Y%m%dT%H%M%S%f}",
              {"link": reset_link(person, "invite"), "from": sender})
             for person in people if person.active]
    for person, *_ in items:
        audit.record(actor.id if actor else None, "user.invite", f"user:{person.id}")
    queue_mails(items)
    return len(items)


def valid_timezone(name: str | None) -> bool:
    """Tell whether `name` is a known IANA time zone (or empty)."""
    return not name or name in available_timezones()


def update_profile(user: User, name: str, language: str | None, timezone: str | None) -> None:
    """Change one's own name, language and time zone."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 120:
        raise RuleViolation("name", _l("Enter a name of 1 to 120 characters."))
    if language and language not in LANGUAGES:
        raise RuleViolation("language", _l("Choose English or French."))
    if not valid_timezone(timezone):
        raise RuleViolation("timezone", _l("Choose a time zone from the list."))
    user.name = name
    user.language = language or None
    user.timezone = timezone or None
    db.session.commit()
