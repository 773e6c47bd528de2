"""Load the signed-in person from the session, and pick their language and time zone."""

from __future__ import annotations

from functools import cache

from flask import g, request
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from pdplanner.accounts import queries as accounts_queries
from pdplanner.accounts.models import LANGUAGES, Organisation, User
from pdplanner.extensions import db
from pdplanner.reminders.queries import unread_count_of


def load_user(login_id: str) -> User | None:
    """Return the user for "id:session_version", or None when the version moved on.

    What every page's header needs comes in the same statement: the organisation, whether
    the person supervises anyone, and their unread notifications.
    """
    try:
        user_id, version = (int(part) for part in login_id.split(":", 1))
    except (ValueError, AttributeError):
        return None
    row = db.session.execute(_signed_in_statement(), {"user_id": user_id}).first()
    if row is None:
        return None
    user, org, supervises, unread = row
    if not user.active or user.session_version != version:
        return None
    user.remember_supervises(bool(supervises))
    if org is not None:
        accounts_queries.remember_organisation(org)
    g.unread_notifications = unread or 0
    return user


@cache
def _signed_in_statement():
    """The statement load_user runs on every request, built once (building it costs more
    than running it)."""
    # Only the person: their supervisor (and the supervisor's team and level) load if a page
    # asks, instead of joining three more tables on every request.
    return (select(User, Organisation, User.supervises_anyone(User.id),
                   unread_count_of(User.id))
            .outerjoin(Organisation, Organisation.id == accounts_queries.the_organisation_id())
            .where(User.id == bindparam("user_id")).options(lazyload(User.supervisor)))


def select_locale() -> str:
    """Choose the profile's language, else the cookie, else the browser, else the organisation."""
    user = current_user._get_current_object()
    if user is not None and user.is_authenticated and user.language:
        return user.language
    cookie = request.cookies.get("pdplanner_lang") if request else None
    if cookie in LANGUAGES:
        return cookie
    if request:
        best = request.accept_languages.best_match(LANGUAGES)
        if best:
            return best
    return accounts_queries.organisation().default_language or "en"


def select_timezone() -> str:
    """Choose the profile's time zone, else the organisation's."""
    user = current_user._get_current_object()
    if user is not None and user.is_authenticated and user.timezone:
        return user.timezone
    return accounts_queries.organisation().timezone or "UTC"
