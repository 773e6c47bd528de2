"""What a person's record lists: active teams and sites, job levels, how many people are
active and the person's direct reports, read by one statement; then the active people who
may supervise, when few enough to list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

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


class Report(NamedTuple):
    """One of a person's direct reports."""

    id: int
    name: str


@dataclass(frozen=True)
class PersonChoices:
    """(id, name in the reader's language) of teams and of levels; (id, name, email, phone)
    of active people, or None when more than the form lists; (id, name) of the person's
    direct reports, active or not, by name."""

    teams: list[tuple[int, str]]
    levels: list[tuple[int, str]]
    people: list[tuple[int, str, str | None, str | None]] | None
    reports: list[Report]


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
    """Four parts, each row (part, three sort keys, id, name, name_fr): teams by kind and
    name, levels by rank, how many people are active (counting no further than `most` + 1:
    a large organisation is not counted through), and the direct reports of the person
    `person_id` (none for a new person) by name."""
    counted = (select(User.id).where(User.active.is_(True)).order_by(None)
               .limit(bindparam("most") + 1).subquery())
    active = select(func.count()).select_from(counted).scalar_subquery()
    teams = _part(0, Team.kind, Team.name, _number(), Team.id, Team.name, Team.name_fr
                  ).where(Team.archived.is_(False))
    levels = _part(1, _text(), _text(), Level.rank, Level.id, Level.name, Level.name_fr)
    count = _part(2, _text(), _text(), active, _number(), _text(), _text())
    reports = _part(3, User.name, _text(), _number(), User.id, User.name, _text()
                    ).where(User.supervisor_id == bindparam("person_id"))
    both = union_all(teams, levels, count, reports)
    return both.order_by(*(both.selected_columns[name] for name in _COLUMNS[:5]))


@cache
def _people() -> Select:
    return (select(User.id, User.name, User.email, User.phone).where(User.active.is_(True))
            .order_by(func.lower(User.name), User.id))


def person_choices(language: str, most: int, person_id: int | None) -> PersonChoices:
    """Return the teams, levels and (if at most `most` are active) people to choose from,
    and the direct reports of the person `person_id` (None: a person not yet added)."""
    teams, levels, active, reports = [], [], 0, []
    for part, _t1, _t2, number, row_id, name, name_fr in db.session.execute(
            _statement(), {"most": most, "person_id": person_id}):
        if part == 0:
            teams.append((row_id, (name_fr if language == "fr" else name) or name))
        elif part == 1:
            levels.append((row_id, (name_fr if language == "fr" else name) or name))
        elif part == 2:
            active = number
        else:
            reports.append(Report(row_id, name))
    people = [tuple(row) for row in db.session.execute(_people())] if active <= most else None
    return PersonChoices(teams, levels, people, reports)
