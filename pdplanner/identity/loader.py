"""Load the signed-in person from the session, and pick their language and time zone."""

from __future__ import annotations

from flask import g, request
from flask_login import current_user
from sqlalchemy.orm import lazyload

from pdplanner.accounts.models import LANGUAGES, User
from pdplanner.extensions import db


def load_user(login_id: str) -> User | None:
    """Return the user for "id:session_version", or None when the version moved on."""
    try:
        user_id, version = (int(part) for part in login_id.split(":", 1))
    except (ValueError, AttributeError):
        return None
    # Only the person: their supervisor (and the supervisor's team and level) load if a page
    # asks, instead of joining three more tables on every request.
    user = db.session.get(User, user_id, options=[lazyload(User.supervisor)])
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def _organisation():
    """Return the organisation once per request."""
    if "organisation" not in g:
        from pdplanner.accounts.queries import organisation

        g.organisation = organisation()
    return g.organisation


def select_locale() -> str:
    """Choose the profile's language, else the cookie, else the browser, else the organisation."""
    if current_user and current_user.is_authenticated and current_user.language:
        return current_user.language
    cookie = request.cookies.get("pdplanner_lang") if request else None
    if cookie in LANGUAGES:
        return cookie
    if request:
        best = request.accept_languages.best_match(LANGUAGES)
        if best:
            return best
    return _organisation().default_language or "en"


def select_timezone() -> str:
    """Choose the profile's time zone, else the organisation's."""
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return _organisation().timezone or "UTC"
