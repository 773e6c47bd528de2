"""Sign-in and sign-out: credentials, attempt limits, failure counting and lockout."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, literal, or_, update

from pdplanner import audit
from pdplanner.accounts import throttle
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import find_by_email, normal_email
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.security import hash_password, needs_rehash, verify_password
from pdplanner.types import utcnow

#: One answer for unknown e-mail, wrong password and locked account alike.
GENERIC_LOGIN_ERROR = _l(
    "E-mail or password is incorrect, or the account is temporarily locked. "
    "Check them, or try again in a few minutes."
)


def authenticate(email: str, password: str, address: str | None = None) -> User:
    """Check credentials, count failures and lock; return the user or raise RuleViolation.

    Attempts are limited per client `address` and per typed e-mail (Throttled), known
    or not, before any password is checked.
    """
    attempts = throttle.attempt(("THROTTLE_SIGN_IN_PER_ADDRESS", address),
                                ("THROTTLE_SIGN_IN_PER_ACCOUNT", normal_email(email)))
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
USERS = User.__table__


def _not_locked(now):
    """Match the row only while the account is not locked."""
    return or_(USERS.c.locked_until.is_(None), USERS.c.locked_until <= now)


def _count_failure(user_id: int, now) -> None:
    """Add one failure in SQL; the one that reaches the limit locks the account."""
    failed = USERS.c.failed_logins + 1
    reached = failed >= current_app.config["LOGIN_MAX_FAILURES"]
    until = literal(now + current_app.config["LOGIN_LOCKOUT"], USERS.c.locked_until.type)
    row = db.session.execute(
        update(USERS).where(USERS.c.id == user_id, _not_locked(now))
        .values(failed_logins=case((reached, 0), else_=failed),
                locked_until=case((reached, until), else_=USERS.c.locked_until))
        .returning(USERS.c.failed_logins)
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
        update(USERS).where(USERS.c.id == user.id, _not_locked(now))
        .values(**values).returning(USERS.c.id)
    ).first()
    db.session.commit()
    return row is not None


def end_session(user: User) -> None:
    """Sign out everywhere: a copied session or remember cookie stops working."""
    db.session.execute(update(USERS).where(USERS.c.id == user.id)
                       .values(session_version=USERS.c.session_version + 1))
    db.session.commit()
