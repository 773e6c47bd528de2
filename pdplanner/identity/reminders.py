"""Identity's mails: an invitation and a password reset, each with a sign-in link."""

from __future__ import annotations

from flask_babel import gettext as _

from pdplanner.reminders.kinds import Kind, Reader


def _reset_subject(p: dict, reader: Reader) -> str:
    return _("Reset your pdplanner password")


def _reset_body(p: dict, reader: Reader):
    return [], _("Choose a new password")


def _invitation_subject(p: dict, reader: Reader) -> str:
    return _("%(name)s invites you to pdplanner", name=p.get("from") or _("HR"))


def _invitation_body(p: dict, reader: Reader):
    return [], _("Choose your password")


KINDS = (
    Kind("password_reset", _reset_subject, _reset_body, secret_link=True),
    Kind("invitation", _invitation_subject, _invitation_body, secret_link=True),
)
