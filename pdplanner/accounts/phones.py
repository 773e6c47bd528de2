"""Mobile numbers: read as typed, checked, stored in E.164; how each person is reached."""

from __future__ import annotations

import phonenumbers
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pdplanner.accounts.models import ReminderChannel, User
from pdplanner.accounts.queries import organisation
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db

#: Kinds of number a text can reach (a fixed line cannot).
MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def default_region() -> str:
    """Return the organisation's country, the region of numbers typed without +."""
    found = organisation()
    return (found.country if found is not None and found.country else "ML").upper()


def e164(value: str | None, region: str | None = None) -> str | None:
    """Return a mobile number in E.164 (None when blank); raise ValueError when not one."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 32:
        raise ValueError(value)
    try:
        number = phonenumbers.parse(value, region or default_region())
    except phonenumbers.NumberParseException:
        raise ValueError(value) from None
    if (not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number) not in MOBILE_TYPES):
        raise ValueError(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(value: str | None, person: User | None = None, field: str = "phone",
                    region: str | None = None) -> str | None:
    """Return the number in E.164, refusing one that is not a mobile or is someone else's."""
    try:
        number = e164(value, region)
    except ValueError:
        raise RuleViolation(field, _l("Enter a mobile number, such as +223 70 12 34 56 "
                                      "(without + it is read as a number of the "
                                      "organisation's country).")) from None
    if number is not None:
        owner = db.session.scalar(select(User.id).where(User.phone == number))
        if owner is not None and (person is None or owner != person.id):
            raise RuleViolation(field, _l("Someone else already has this mobile number."))
    return number


def check_channel(channel: str | None, email: str | None, phone: str | None,
                  field: str = "reminder_channel") -> ReminderChannel:
    """Return the channel, refusing one the person has no address or number for."""
    try:
        chosen = ReminderChannel(channel or ReminderChannel.EMAIL)
    except ValueError:
        raise RuleViolation(field, _l("Choose e-mail, SMS, both or none.")) from None
    if chosen in (ReminderChannel.SMS, ReminderChannel.BOTH) and not phone:
        raise RuleViolation(field, _l("Give a mobile number to get reminders by SMS."))
    if chosen in (ReminderChannel.EMAIL, ReminderChannel.BOTH) and not email:
        raise RuleViolation(field, _l("Give an e-mail address to get reminders by e-mail."))
    return chosen


def channel_choices() -> list[tuple[str, object]]:
    """The channels a person may choose, labelled in the reader's language."""
    return [(ReminderChannel.EMAIL.value, _l("By e-mail")),
            (ReminderChannel.SMS.value, _l("By SMS")),
            (ReminderChannel.BOTH.value, _l("By e-mail and by SMS")),
            (ReminderChannel.NONE.value, _l("Only here, on the web"))]
