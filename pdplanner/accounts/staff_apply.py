"""Write checked staff rows: supervisors resolved, loops refused, all in one transaction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pdplanner import audit, events
from pdplanner.accounts import policy
from pdplanner.accounts.models import ReminderChannel, User
from pdplanner.accounts.phones import check_channel
from pdplanner.accounts.staff_import import ImportResult, Row, parse
from pdplanner.errors import PermissionDenied, RuleViolation
from pdplanner.extensions import db
from pdplanner.transaction import use_case


def _check_supervisors(rows: list[Row], existing: dict[str, User], actor: User | None
                       ) -> list[tuple[int, str]]:
    """Check every supervisor exists (in the file or the database) and no loop forms."""
    errors = []
    boss = {email: ((u.supervisor.email or "").lower() or None if u.supervisor else None)
            for email, u in existing.items()}
    for row in rows:
        boss[row.email] = row.supervisor_email
    for row in rows:
        problems = []
        if row.supervisor_email and row.supervisor_email not in boss:
            problems.append(str(_l("Supervisor %(e)s is neither in the file nor in pdplanner.",
                                   e=row.supervisor_email)))
        elif row.supervisor_email:
            cursor, steps = row.supervisor_email, 0
            while cursor and steps <= len(boss):
                if cursor == row.email:
                    problems.append(str(_l("Supervisors form a loop through this person.")))
                    break
                cursor, steps = boss.get(cursor), steps + 1
        if actor is not None and (refusal := _refusal(actor, existing.get(row.email), row)):
            problems.append(refusal)
        if problems:
            errors.append((row.line, " ".join(problems)))
    return errors


def _check_channels(rows: list[Row], existing: dict[str, User]) -> list[tuple[int, str]]:
    """Check each row's channel has the number it needs (in the file or on the record)."""
    errors = []
    for row in rows:
        person = existing.get(row.email)
        phone = row.phone or (person.phone if person else None)
        channel = row.reminder_channel or (person.reminder_channel if person else None)
        try:
            check_channel(channel, row.email, phone)
        except RuleViolation as error:
            errors.append((row.line, str(error.message)))
    return errors


def _changes(person: User, row: Row) -> bool:
    """Tell whether the row would change anything on the person's record."""
    boss = (person.supervisor.email or "").lower() or None if person.supervisor else None
    return ((person.name, person.team_id, person.level_id, boss,
             bool(person.is_hr), bool(person.is_admin)) !=
            (row.name, row.team_id, row.level_id, row.supervisor_email,
             "hr" in row.roles, "admin" in row.roles)
            or (row.language is not None and row.language != person.language)
            or (row.phone is not None and row.phone != person.phone)
            or (row.reminder_channel is not None
                and row.reminder_channel != person.reminder_channel))


def _refusal(actor: User, person: User | None, row: Row) -> str | None:
    """Ask the person page's policy about this row; say why it is refused, or None.

    A row repeating an existing record unchanged writes nothing, so it is no edit."""
    if person is not None and not _changes(person, row):
        return None
    try:
        policy.check_person_write(actor, person, "hr" in row.roles, "admin" in row.roles)
    except PermissionDenied:
        return str(_l("You may not change this person's record (an administrator's record "
                      "is changed by an administrator)."))
    except RuleViolation as error:
        return str(error.message)
    return None


@use_case
def import_staff(actor: User | None, raw: bytes) -> ImportResult:
    """Import or update staff from CSV as `actor`, row by row under the person page's policy
    (actor None: the server's operator on the command line); all rows or none."""
    if actor is not None and not policy.is_hr(actor):
        raise PermissionDenied()
    rows, errors = parse(raw)
    emails = [r.email for r in rows]
    existing = {u.email.lower(): u for u in db.session.scalars(select(User))
                if u.email} if emails else {}
    errors += _check_supervisors(rows, existing, actor)
    errors += _check_channels(rows, existing)
    result = ImportResult(errors=sorted(errors))
    if result.errors:
        return result
    people = dict(existing)
    for row in rows:
        person = people.get(row.email)
        if person is None:
            person = User(email=row.email, name=row.name, active=True)
            db.session.add(person)
            people[row.email] = person
            result.created += 1
            result.new_people.append(person)
        else:
            result.updated += 1
        person.name, person.team_id, person.level_id = row.name, row.team_id, row.level_id
        if row.language:
            person.language = row.language
        if row.phone:
            person.phone = row.phone
        if row.reminder_channel:
            person.reminder_channel = ReminderChannel(row.reminder_channel)
        person.is_hr, person.is_admin = "hr" in row.roles, "admin" in row.roles
    before = {email: person.supervisor_id for email, person in existing.items()}
    for row in rows:
        people[row.email].supervisor = people.get(row.supervisor_email or "")
    db.session.flush()
    for row in rows:
        person = people[row.email]
        if row.email in before and before[row.email] != person.supervisor_id:
            events.supervisor_changed.send(person, old_id=before[row.email],
                                           new_id=person.supervisor_id)
    audit.record(actor.id if actor else None, "user.import", "user:*",
                 f"created={result.created} updated={result.updated}")
    return result
