"""The outbox's own notices to administrators (not reminders: nobody turns them off)."""

from __future__ import annotations

from flask_babel import gettext as _

from pdplanner.reminders.kinds import Kind, Reader


def _cap_subject(p: dict, reader: Reader) -> str:
    return _("This month's SMS cap is reached: texts wait until next month.")


def _cap_body(p: dict, reader: Reader):
    return ([_("Raise the cap in the settings to send them now.")], _("Open the SMS page"))


KINDS = (Kind("sms_cap", _cap_subject, _cap_body),)
