"""Organisation settings, teams and sites, and the ordered list of job levels."""

from __future__ import annotations

import phonenumbers
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from pdplanner import audit
from pdplanner.accounts.models import (
    CADENCES,
    LANGUAGES,
    TEAM_KINDS,
    Level,
    Organisation,
    Team,
    User,
)
from pdplanner.accounts.people import valid_timezone
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.transaction import use_case


def _name(value: str, field: str = "name", limit: int = 120) -> str:
    """Return a trimmed name of 1..limit characters or raise RuleViolation."""
    value = (value or "").strip()
    if not 1 <= len(value) <= limit:
        raise RuleViolation(field, _l("Enter a name of 1 to %(n)d characters.", n=limit))
    return value


@use_case
def update_settings(actor: User, name: str, default_language: str, timezone: str,
                    default_cadence: str, participation_target: int = 60,
                    country: str | None = None, sms_monthly_cap: int | None = None
                    ) -> Organisation:
    """Save the organisation's name, language, time zone, cadence and SMS settings (a
    country or cap left out stays as it was)."""
    org = db.session.scalar(select(Organisation).limit(1)) or Organisation()
    org.name = _name(name, limit=200)
    if default_language not in LANGUAGES:
        raise RuleViolation("default_language", _l("Choose English or French."))
    if not timezone or not valid_timezone(timezone):
        raise RuleViolation("timezone", _l("Choose a time zone from the list."))
    if default_cadence not in CADENCES:
        raise RuleViolation("default_cadence", _l("Choose a cadence from the list."))
    if participation_target is None or not 0 <= participation_target <= 100:
        raise RuleViolation("participation_target", _l("Give a share from 0 to 100 %."))
    org.default_language, org.timezone, org.default_cadence = (
        default_language, timezone, default_cadence)
    org.participation_target = participation_target
    if country:
        if country.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise RuleViolation("country", _l("Choose a country from the list."))
        org.country = country.upper()
    if sms_monthly_cap is not None:
        if not 0 <= sms_monthly_cap <= 10_000_000:
            raise RuleViolation("sms_monthly_cap", _l("Give a number from 0 to 10,000,000."))
        org.sms_monthly_cap = sms_monthly_cap
    db.session.add(org)
    audit.record(actor.id, "organisation.update", "organisation")
    return org


def _french_name(name_fr: str | None) -> str:
    """Return the French name trimmed ('' keeps the English one), or refuse one too long."""
    name_fr = (name_fr or "").strip()
    if len(name_fr) > 120:
        raise RuleViolation("name_fr", _l("Use at most 120 characters."))
    return name_fr


@use_case
def save_team(actor: User, team: Team | None, name: str, kind: str, is_partner: bool,
              description: str, archived: bool = False, name_fr: str = "") -> Team:
    """Create or update a team or site (named in English and French), keeping names
    unique."""
    name = _name(name)
    if kind not in TEAM_KINDS:
        raise RuleViolation("kind", _l("Choose team or site."))
    clash = db.session.scalar(select(Team).where(func.lower(Team.name) == name.lower()))
    if clash is not None and (team is None or clash.id != team.id):
        raise RuleViolation("name", _l("A team or site already has this name."))
    if len(description or "") > 2000:
        raise RuleViolation("description", _l("Keep the description under 2000 characters."))
    team = team or Team()
    team.name, team.kind, team.is_partner = name, kind, bool(is_partner and kind == "site")
    team.description, team.archived = (description or "").strip(), archived
    team.name_fr = _french_name(name_fr)
    db.session.add(team)
    db.session.flush()
    audit.record(actor.id, "team.save", f"team:{team.id}")
    return team


@use_case
def save_level(actor: User, level: Level | None, name: str, name_fr: str = "") -> Level:
    """Create a level at the bottom of the list, or rename one (in English and French)."""
    name = _name(name)
    clash = db.session.scalar(select(Level).where(func.lower(Level.name) == name.lower()))
    if clash is not None and (level is None or clash.id != level.id):
        raise RuleViolation("name", _l("A level already has this name."))
    if level is None:
        bottom = db.session.scalar(select(func.max(Level.rank)))
        level = Level(rank=(bottom if bottom is not None else -1) + 1)
        db.session.add(level)
    level.name, level.name_fr = name, _french_name(name_fr)
    db.session.flush()
    audit.record(actor.id, "level.save", f"level:{level.id}")
    return level


@use_case
def move_level(actor: User, level: Level, direction: str) -> None:
    """Swap a level with its neighbour above ("up") or below ("down")."""
    ordered = list(db.session.scalars(select(Level).order_by(Level.rank, Level.id)))
    index = next(i for i, lv in enumerate(ordered) if lv.id == level.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for rank, lv in enumerate(ordered):
        lv.rank = rank
    audit.record(actor.id, "level.move", f"level:{level.id}", direction)
