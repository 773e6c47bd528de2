"""Seed the demo organisation; each room adds its part. Idempotent and deterministic."""

from __future__ import annotations

from sqlalchemy import func, select, text

from pdplanner.accounts import demo_data as data
from pdplanner.accounts.models import Level, Organisation, ReminderChannel, Team, User
from pdplanner.catalog.models import Alignment
from pdplanner.extensions import db
from pdplanner.security import hash_password


def is_empty() -> bool:
    """Tell whether the database holds no people yet."""
    return not db.session.scalar(select(func.count()).select_from(User))


def _get_or_add(model, defaults: dict, **keys):
    """Return the row matching `keys`, creating it with `defaults` if absent."""
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **defaults)
        db.session.add(row)
    return row


def seed_people() -> None:
    """Create or refresh the organisation, teams, levels and staff (no commit)."""
    org = db.session.scalar(select(Organisation).limit(1))
    if org is None:
        db.session.add(Organisation(**data.ORGANISATION))
    levels = [_get_or_add(Level, {"rank": rank}, name=name)
              for rank, name in enumerate(data.LEVELS)]
    teams = [_get_or_add(Team, {"kind": kind, "is_partner": partner, "description": text},
                         name=name) for name, kind, partner, text in data.TEAMS]
    for row in (*levels, *teams):  # both languages, on a fresh seed and a re-seed alike
        row.name_fr = data.FRENCH_NAMES.get(row.name, row.name_fr)
    db.session.flush()
    password = hash_password(data.DEMO_PASSWORD)
    people: dict[str, User] = {}
    for name, local, level, team, boss, language, roles in data.PEOPLE:
        email = f"{local}@{data.EMAIL_DOMAIN}"
        person = _get_or_add(User, {"name": name, "password_hash": password}, email=email)
        person.name, person.level, person.team = name, levels[level], teams[team]
        person.language, person.active = language, True
        person.is_hr, person.is_admin = roles == "hr", roles == "admin"
        person.supervisor = people.get(boss) if boss else None
        people[local] = person
    name, phone, level, team, boss, language = data.SMS_ONLY
    worker = _get_or_add(User, {"name": name, "email": None}, phone=phone)
    worker.name, worker.level, worker.team = name, levels[level], teams[team]
    worker.language, worker.active, worker.supervisor = language, True, people[boss]
    worker.reminder_channel = ReminderChannel.SMS
    db.session.flush()


def seed_catalog() -> None:
    """Create the core values and strategic priorities (no commit)."""
    for position, (kind, name_en, name_fr) in enumerate(data.ALIGNMENTS):
        item = _get_or_add(Alignment, {"kind": kind, "name_fr": name_fr, "position": position},
                           name_en=name_en)
        item.kind, item.name_fr, item.position = kind, name_fr, position


def seed() -> None:
    """Seed every room's demo data in one transaction."""
    from pdplanner.exchanges.demo import seed_exchanges
    from pdplanner.insights.snapshot import refresh
    from pdplanner.learning.demo import seed_learning
    from pdplanner.supervision.demo import seed_supervision

    seed_people()
    seed_catalog()
    seed_learning()
    seed_supervision()
    seed_exchanges()
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        # Statistics for the tables just filled, so the planner picks the right indexes.
        db.session.execute(text("PRAGMA optimize"))
        db.session.commit()
    refresh()  # the dashboard shows the demo's figures at once


def base_url(host: str, port: int) -> str:
    """Return the demo's own address, for the links in the e-mails it sends."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 - every interface: reach it as localhost
        host = "localhost"
    elif ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


def sign_ins() -> list[tuple[str, str, str]]:
    """Return (role, e-mail, password) for the demo accounts worth trying."""
    return [(label, f"{local}@{data.EMAIL_DOMAIN}", data.DEMO_PASSWORD)
            for label, local in data.SHOWCASE]
