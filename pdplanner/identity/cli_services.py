"""Account operations used by the command line."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from pdplanner import audit
from pdplanner.accounts.models import Level, Team, User
from pdplanner.accounts.people import check_supervisor, normalise_email
from pdplanner.accounts.queries import find_by_email
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.identity.services import check_new_password, reset_link
from pdplanner.security import hash_password
from pdplanner.transaction import use_case


def _by_name(model, name: str | None, field: str):
    """Find a team or level by name (case-insensitive), or raise RuleViolation."""
    if not name:
        return None
    row = db.session.scalar(select(model).where(func.lower(model.name) == name.lower()))
    if row is None:
        raise RuleViolation(field, _l("Unknown: %(name)s", name=name))
    return row


@use_case
def create_user(email: str, name: str, role: str, supervisor_email: str | None,
                level: str | None, team: str | None, password: str | None
                ) -> tuple[User, str | None]:
    """Create a person from the command line; return them and a reset link if no password."""
    email, name = normalise_email(email), name.strip()
    if not 1 <= len(name) <= 120:  # the column's size: PostgreSQL refuses more
        raise RuleViolation("name", _l("Name must be 1 to 120 characters."))
    if find_by_email(email):
        raise RuleViolation("email", _l("Someone already uses this e-mail address."))
    supervisor = None
    if supervisor_email:
        boss = find_by_email(supervisor_email)
        if boss is None:
            raise RuleViolation("supervisor", _l("Unknown: %(name)s", name=supervisor_email))
        supervisor = check_supervisor(None, boss.id)
    person = User(email=email, name=name, active=True, is_hr=role == "hr",
                  is_admin=role == "admin", level=_by_name(Level, level, "level"),
                  team=_by_name(Team, team, "team"))
    if password is not None:
        check_new_password(password)
        person.password_hash = hash_password(password)
    db.session.add(person)
    person.supervisor = supervisor
    db.session.flush()
    audit.record(None, "user.create", f"user:{person.id}", "command line")
    return person, (None if password else reset_link(person))
