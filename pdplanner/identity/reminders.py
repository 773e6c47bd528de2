"""Identity's mails: an invitation and a password reset, each with a sign-in link."""

from __future__ import annotations

from flask_babel import gettext as _

from pdplanner.reminders.kinds import Kind, Reader


def _reset_words(p: dict, reader: Reader):
    return _("Reset your pdplanner password"), [], _("Choose a new password")


def _invitation_words(p: dict, reader: Reader):
    return (_("%(name)s invites you to pdplanner", name=p.get("from") or _("HR")), [],
            _("Choose your password"))


KINDS = (
    Kind("password_reset", _reset_words, secret_link=True),
    Kind("invitation", _invitation_words, secret_link=True),
)
