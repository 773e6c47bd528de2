"""Adding, editing, deactivating people and setting their supervisor (HR and admin)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select

from pdplanner import audit, events
from pdplanner.accounts import policy, throttle
from pdplanner.accounts.models import LANGUAGES, Level, ReminderChannel, Team, User
from pdplanner.accounts.phones import check_channel, normalise_phone
from pdplanner.accounts.queries import MAX_DEPTH, find_by_email
from pdplanner.errors import PermissionDenied, RuleViolation, StaleEdit
from pdplanner.extensions import db
from pdplanner.transaction import use_case


@dataclass
class PersonData:
    """The fields HR may set on a person's record."""

    #: Empty for someone reached by SMS only.
    email: str | None
    name: str
    team_id: int | None = None
    level_id: int | None = None
    supervisor_id: int | None = None
    #: When given (a large organisation), the supervisor's address replaces supervisor_id.
    supervisor_email: str | None = None
    language: str | None = None
    timezone: str | None = None
    is_hr: bool = False
    is_admin: bool = False
    #: None leaves the number and the channel as they are (an import without those columns).
    phone: str | None = None
    reminder_channel: str | None = None


def normalise_email(email: str, field: str = "email") -> str:
    """Return a lower-cased, syntactically valid address or raise RuleViolation."""
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise RuleViolation(field, _l("Enter a valid e-mail address.")) from None


def supervisor_by_email(email: str) -> int | None:
    """Return the id of the active person with this address (blank: none) or raise."""
    if not (email or "").strip():
        return None
    supervisor = find_by_email(normalise_email(email, "supervisor_email"))
    if supervisor is None or not supervisor.active:
        raise RuleViolation("supervisor_email",
                            _l("No active person has this e-mail address."))
    return supervisor.id


def _above(supervisor: User, person: User) -> bool:
    """Tell whether `person` is `supervisor` or above them, in one recursive query."""
    up = (select(User.id, User.supervisor_id, literal(0).label("depth"))
          .where(User.id == supervisor.id).cte("up", recursive=True))
    up = up.union(select(User.id, User.supervisor_id, up.c.depth + 1)
                  .join(up, User.id == up.c.supervisor_id).where(up.c.depth < MAX_DEPTH))
    return bool(db.session.scalar(select(func.count()).select_from(up)
                                  .where(up.c.id == person.id)))


def check_supervisor(person: User | None, supervisor_id: int | None,
                     field: str = "supervisor_id") -> User | None:
    """Return the supervisor, refusing self-supervision, inactive people and cycles."""
    if supervisor_id is None:
        return None
    supervisor = db.session.get(User, supervisor_id)
    if supervisor is None or not supervisor.active:
        raise RuleViolation(field, _l("Choose an active person as supervisor."))
    if person is not None and _above(supervisor, person):
        raise RuleViolation(
            field,
            _l("%(name)s reports to %(person)s already, directly or indirectly: "
               "this would make a loop.", name=supervisor.name, person=person.name),
        )
    return supervisor


def _apply(actor: User, person: User, data: PersonData) -> None:
    """Validate `data` and copy it onto `person` (no commit)."""
    email = normalise_email(data.email) if (data.email or "").strip() else None
    other = find_by_email(email) if email else None
    if other is not None and other.id != person.id:
        raise RuleViolation("email", _l("Someone already uses this e-mail address."))
    phone = person.phone if data.phone is None else normalise_phone(data.phone, person)
    if email is None and phone is None:
        raise RuleViolation("email", _l("Give an e-mail address or a mobile number."))
    channel = check_channel(data.reminder_channel or person.reminder_channel or
                            (ReminderChannel.EMAIL if email else ReminderChannel.SMS),
                            email, phone)
    name = (data.name or "").strip()
    if not 1 <= len(name) <= 120:
        raise RuleViolation("name", _l("Enter a name of 1 to 120 characters."))
    if data.team_id is not None and db.session.get(Team, data.team_id) is None:
        raise RuleViolation("team_id", _l("Choose a team from the list."))
    if data.level_id is not None and db.session.get(Level, data.level_id) is None:
        raise RuleViolation("level_id", _l("Choose a level from the list."))
    if data.language and data.language not in LANGUAGES:
        raise RuleViolation("language", _l("Choose English or French."))
    if not valid_timezone(data.timezone):
        raise RuleViolation("timezone", _l("Choose a time zone from the list."))
    policy.check_person_write(actor, person if person.id else None, data.is_hr, data.is_admin)
    supervisor_id, field = data.supervisor_id, "supervisor_id"
    if data.supervisor_email is not None:
        supervisor_id, field = supervisor_by_email(data.supervisor_email), "supervisor_email"
    old_supervisor_id = person.supervisor_id
    person.supervisor = check_supervisor(person if person.id else None, supervisor_id, field)
    if person.id and old_supervisor_id != supervisor_id:
        events.supervisor_changed.send(person, old_id=old_supervisor_id, new_id=supervisor_id)
    person.email, person.name = email, name
    person.phone, person.reminder_channel = phone, channel
    person.team_id, person.level_id = data.team_id, data.level_id
    person.language, person.timezone = data.language or None, data.timezone or None
    person.is_hr, person.is_admin = data.is_hr, data.is_admin


@use_case
def create_person(actor: User, data: PersonData) -> User:
    """Add a person; they set their password through a reset link."""
    person = User(email=None, name="", active=True)
    _apply(actor, person, data)
    db.session.add(person)
    db.session.flush()
    audit.record(actor.id, "user.create", f"user:{person.id}")
    return person


@use_case
def update_person(actor: User, person: User, data: PersonData, version: int) -> None:
    """Save HR's edit of a person, refusing it when the record changed meanwhile."""
    policy.check_person_write(actor, person, bool(person.is_hr), bool(person.is_admin))
    if version != person.version:
        raise StaleEdit()
    with db.session.no_autoflush:
        _apply(actor, person, data)
    audit.record(actor.id, "user.update", f"user:{person.id}")


@use_case
def set_active(actor: User, person: User, active: bool) -> None:
    """Deactivate (ending every session) or reactivate a person; nobody is deleted."""
    if not policy.may_manage_person(actor, person):
        raise PermissionDenied()
    if person.id == actor.id and not active:
        raise RuleViolation(None, _l("You cannot deactivate your own account."))
    if person.active == active:
        return
    person.active = active
    if not active:
        person.session_version += 1
    audit.record(actor.id, "user.activate" if active else "user.deactivate", f"user:{person.id}")


def valid_timezone(name: str | None) -> bool:
    """Tell whether `name` is a known IANA time zone (or empty)."""
    return not name or name in available_timezones()


@use_case
def update_profile(user: User, name: str, language: str | None, timezone: str | None,
                   phone: str | None = None, channel: str | None = None) -> None:
    """Change one's own name, language, time zone and, when given, mobile and channel."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 120:
        raise RuleViolation("name", _l("Enter a name of 1 to 120 characters."))
    if language and language not in LANGUAGES:
        raise RuleViolation("language", _l("Choose English or French."))
    if not valid_timezone(timezone):
        raise RuleViolation("timezone", _l("Choose a time zone from the list."))
    if phone is not None or channel is not None:
        number = user.phone if phone is None else normalise_phone(phone, user)
        chosen = check_channel(channel or user.reminder_channel, user.email, number)
        if chosen in (ReminderChannel.SMS, ReminderChannel.BOTH):
            user.sms_stopped_at = None  # choosing SMS again undoes a STOP
        user.phone, user.reminder_channel = number, chosen
    user.name = name
    user.language = language or None
    user.timezone = timezone or None


@use_case
def invite(actor: User, person: User) -> None:
    """E-mail `person` a link to choose their password and sign in (for days, once)."""
    if not policy.may_manage_person(actor, person):
        raise PermissionDenied()
    if not person.active:
        raise RuleViolation(None, _l("Reactivate this person before inviting them."))
    invite_many(actor, [person])


@use_case
def resend_invitation(actor: User, person: User, address: str) -> None:
    """Invite `person` again, within the limits per client address and per person."""
    if not person.active:
        raise RuleViolation(None, _l("Reactivate this person before inviting them."))
    if not person.email:
        raise RuleViolation(None, _l("Give this person an e-mail address before inviting "
                                     "them."))
    throttle.attempt(("THROTTLE_INVITE_PER_ADDRESS", address),
                     ("THROTTLE_INVITE_PER_ACCOUNT", f"user:{person.id}"))
    invite_many(actor, [person])


def invite_many(actor: User | None, people: list[User]) -> int:
    """Invite these people (e.g. those an import created) in one go; return how many."""
    active = [person for person in people if person.active and person.email]
    events.invitations_wanted.send(actor, people=active)
    return len(active)
