"""Write a reminder's words in its reader's language and time zone, from its parameters."""

from __future__ import annotations

import json

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation
from pdplanner.extensions import db
from pdplanner.reminders.kinds import KINDS, Reader, is_secret
from pdplanner.reminders.mail import Message
from pdplanner.reminders.models import Notification


def render_defaults() -> tuple[str, str]:
    """Return the organisation's language and time zone (looked up once per batch)."""
    org = organisation()
    return org.default_language or "en", org.timezone or "UTC"


def language_of(user: User, defaults: tuple[str, str] | None = None) -> str:
    """Return the person's language, else the organisation's."""
    return user.language or (defaults or render_defaults())[0]


def zone_of(user: User, defaults: tuple[str, str] | None = None) -> str:
    """Return the person's time zone, else the organisation's."""
    return user.timezone or (defaults or render_defaults())[1]


def reader_of(user: User, defaults: tuple[str, str] | None = None) -> Reader:
    """Return who reads a mail: the person in their language and time zone."""
    defaults = defaults or render_defaults()
    return Reader(user, language_of(user, defaults), zone_of(user, defaults))


def words(kind: str, params: dict, user: User,
          defaults: tuple[str, str] | None = None) -> tuple[str, list[str], str]:
    """Return (subject, lines, button label) for a reminder, in the current locale."""
    found = KINDS.get(kind)
    if found is None:
        return (kind, [], _("Open pdplanner"))
    return found.words(dict(params), reader_of(user, defaults))


def organisation_name() -> str:
    """The organisation's name, for mails that introduce pdplanner."""
    found = organisation()
    return found.name if found else "pdplanner"


def render_outbox(row, user: User, link: str | None = None,
                  defaults: tuple[str, str] | None = None,
                  organisation: str | None = None) -> Message:
    """Render an outbox row's mail (text and HTML from the same context, both escaped).

    A batch passes `defaults` and the `organisation`'s name, looked up once for all its mails.
    """
    params = json.loads(row.params or "{}")
    base = current_app.config["BASE_URL"].rstrip("/")
    defaults = defaults or render_defaults()
    with force_locale(language_of(user, defaults)):
        subject, lines, action = words(row.kind, params, user, defaults)
        context = {"user": user, "lines": lines, "action": action,
                   "link": base + (link or _default_link(row, params)),
                   "prefs_link": base + "/profile/reminders", "subject": subject,
                   "minutes": current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
                   "days": current_app.config["INVITATION_MAX_AGE"] // 86400,
                   "organisation": organisation or organisation_name()}
        # A mail that signs someone in has its own template and carries its link.
        template = row.kind if is_secret(row.kind) else "reminder"
        if is_secret(row.kind):
            context["link"] = params["link"]
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
    return Message(to=row.to_address, subject=subject, text=text, html=html,
                   message_id=row.message_id)


def _default_link(row, params: dict) -> str:
    """Where the mail's button leads, from the notification stored with it."""
    link = db.session.scalar(select(Notification.link).where(
        Notification.dedupe_key == row.dedupe_key))
    return link or "/"


def notification_texts(notices, user: User, defaults: tuple[str, str] | None = None
                       ) -> list[str]:
    """Return each notice's line (its mail's subject) in the reader's current language: the
    names they mention read in one query, no body built."""
    params = [json.loads(notice.params or "{}") for notice in notices]
    wanted = {p["with_id"] for p in params if p.get("with_id")}
    names = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_(wanted))).all()) if wanted else {}
    reader = reader_of(user, defaults)
    reader = Reader(reader.user, reader.language, reader.zone, names)
    lines = []
    for notice, p in zip(notices, params, strict=True):
        found = KINDS.get(notice.kind)
        lines.append(found.subject(p, reader) if found else notice.kind)
    return lines
