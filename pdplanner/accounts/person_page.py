"""What the person form's lists offer: active teams and sites, job levels and how many people
are active, read by one statement; then the active people who may supervise, when few
enough to list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal,
    select,
    union_all,
)

from pdplanner.accounts.models import Level, Team, User
from pdplanner.extensions import db


@dataclass(frozen=True)
class PersonChoices:
    """(id, name in the reader's language) of teams and of levels; (id, name, email, phone)
    of active people, or None when more than the form lists."""

    teams: list[tuple[int, str]]
    levels: list[tuple[int, str]]
    people: list[tuple[int, str, str | None, str | None]] | None


def _text(value: str = ""):
    return literal(value, String)


def _number(value: int = 0):
    return literal(value, Integer)


#: The columns of every part, by name.
_COLUMNS = ("part", "text1", "text2", "number", "row_id", "name", "name_fr")


def _part(part: int, *columns) -> Select:
    """One part of the statement: its number, then the columns named as `_COLUMNS`."""
    return select(*(column.label(name) for name, column
                    in zip(_COLUMNS, (_number(part), *columns), strict=True)))


@cache
def _statement() -> CompoundSelect:
    """Three parts, each row (part, three sort keys, id, name, name_fr): teams by kind and
    name, levels by rank, and how many people are active (counting no further than
    `most` + 1: a large organisation is not counted through)."""
    counted = (select(User.id).where(User.active.is_(True)).order_by(None)
               .limit(bindparam("most") + 1).subquery())
    active = select(func.count()).select_from(counted).scalar_subquery()
    teams = _part(0, Team.kind, Team.name, _number(), Team.id, Team.name, Team.name_fr
                  ).where(Team.archived.is_(False))
    levels = _part(1, _text(), _text(), Level.rank, Level.id, Level.name, Level.name_fr)
    count = _part(2, _text(), _text(), active, _number(), _text(), _text())
    both = union_all(teams, levels, count)
    return both.order_by(*(both.selected_columns[name] for name in _COLUMNS[:5]))


@cache
def _people() -> Select:
    return (select(User.id, User.name, User.email, User.phone).where(User.active.is_(True))
            .order_by(func.lower(User.name), User.id))


def person_choices(language: str, most: int) -> PersonChoices:
    """Return the teams, levels and (if at most `most` are active) people to choose from."""
    teams, levels, active = [], [], 0
    for part, _t1, _t2, number, row_id, name, name_fr in db.session.execute(
            _statement(), {"most": most}):
        if part == 0:
            teams.append((row_id, (name_fr if language == "fr" else name) or name))
        elif part == 1:
            levels.append((row_id, (name_fr if language == "fr" else name) or name))
        else:
            active = number
    people = [tuple(row) for row in db.session.execute(_people())] if active <= most else None
    return PersonChoices(teams, levels, people)
