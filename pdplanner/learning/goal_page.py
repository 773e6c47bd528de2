"""What a goal's page reads, in three statements whatever the goal's history: the goal with
the names of its owner and of who suggested and agreed it; its plan (`goal_plan`); and, in
one statement, its skills, aims, latest check-ins and comments as rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    cast,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.catalog.models import Alignment, Skill, SkillStatus
from pdplanner.extensions import db
from pdplanner.learning.models import (
    CheckIn,
    Goal,
    GoalComment,
    goal_alignment,
    goal_skill,
)
from pdplanner.learning.queries import OWNER, readable_by, visible_goals
from pdplanner.types import UTCDateTime


class Owner(NamedTuple):
    """A goal's owner as its page needs them (the policy reads `supervisor_id`)."""

    id: int
    name: str
    supervisor_id: int | None


@dataclass(frozen=True)
class People:
    """Who a goal's page names: its owner, and who suggested and agreed it (or None)."""

    owner: Owner
    suggested_by: str | None
    agreed_by: str | None


_SUGGESTED, _AGREED = aliased(User, name="suggested"), aliased(User, name="agreed")


@cache
def _goal(hr: bool) -> Select:
    """The goal and the names its page shows, built once per kind of viewer."""
    return (visible_goals(hr).add_columns(OWNER.name, OWNER.supervisor_id, _SUGGESTED.name,
                                          _AGREED.name)
            .outerjoin(_SUGGESTED, _SUGGESTED.id == Goal.suggested_by_id)
            .outerjoin(_AGREED, _AGREED.id == Goal.agreed_by_id)
            .where(Goal.id == bindparam("goal_id")))


def goal(viewer: User, goal_id: int) -> tuple[Goal, People] | None:
    """Return a goal the viewer may read and the people its page names, else None."""
    row = db.session.execute(_goal(policy.is_hr(viewer)),
                             {**readable_by(viewer), "goal_id": goal_id}).first()
    if row is None:
        return None
    found, name, supervisor_id, suggested_by, agreed_by = row
    return found, People(Owner(found.owner_id, name, supervisor_id), suggested_by, agreed_by)


def people_of(found: Goal) -> People:
    """The people of a goal already loaded (a form sent back with errors)."""
    owner = found.owner
    return People(Owner(owner.id, owner.name, owner.supervisor_id),
                  found.suggested_by.name if found.suggested_by else None,
                  found.agreed_by.name if found.agreed_by else None)


class CheckInRow(NamedTuple):
    """A check-in as the page lists it."""

    on: date
    progress: int
    note: str


class CommentRow(NamedTuple):
    """A comment as the page lists it."""

    author: str
    created_at: datetime
    text: str


@dataclass(frozen=True)
class Details:
    """A goal's skills as (name, proposed topic?), the names of the aims it serves, its
    latest check-ins (newest first) and its comments (oldest first)."""

    skills: list[tuple[str, bool]]
    aims: list[str]
    checkins: list[CheckInRow]
    comments: list[CommentRow]


#: The columns of every part of the details' statement, with their types.
_COLUMNS = (("part", Integer), ("row_id", Integer), ("name_en", String), ("name_fr", String),
            ("status", String), ("progress", Integer), ("on", Date), ("text", Text),
            ("at", UTCDateTime()))


def _part(part: int, **columns) -> Select:
    """One part: its number, then each column of `_COLUMNS` given, or a typed NULL."""
    values = [literal(part, Integer)] + [
        columns[name] if name in columns else cast(null(), kind)
        for name, kind in _COLUMNS[1:]]
    return select(*(value.label(name) for value, (name, _kind) in zip(values, _COLUMNS,
                                                                       strict=True)))


@cache
def _details() -> CompoundSelect:
    """Skills, aims, the latest `limit` check-ins and the comments (with their authors'
    names), each part by id (joined to the goal instead, SQLite read every goal's skills
    first)."""
    goal_id = bindparam("goal_id")
    skills = (_part(0, row_id=Skill.id, name_en=Skill.name_en, name_fr=Skill.name_fr,
                    status=type_coerce(Skill.status, String))
              .join(goal_skill, goal_skill.c.skill_id == Skill.id)
              .where(goal_skill.c.goal_id == goal_id))
    aims = (_part(1, row_id=Alignment.id, name_en=Alignment.name_en,
                  name_fr=Alignment.name_fr)
            .join(goal_alignment, goal_alignment.c.alignment_id == Alignment.id)
            .where(goal_alignment.c.goal_id == goal_id))
    latest = (select(CheckIn.id, CheckIn.on, CheckIn.progress, CheckIn.note)
              .where(CheckIn.goal_id == goal_id)
              .order_by(CheckIn.on.desc(), CheckIn.id.desc())
              .limit(bindparam("limit")).subquery("latest"))
    checkins = _part(2, row_id=latest.c.id, progress=latest.c.progress, on=latest.c.on,
                     text=latest.c.note)
    comments = (_part(3, row_id=GoalComment.id, name_en=User.name, text=GoalComment.text,
                      at=GoalComment.created_at)
                .select_from(GoalComment).outerjoin(User, User.id == GoalComment.author_id)
                .where(GoalComment.goal_id == goal_id))
    every = union_all(skills, aims, checkins, comments)
    columns = every.selected_columns
    return every.order_by(columns.part, columns["at"], columns.row_id)


def details(found: Goal, language: str, checkins: int) -> Details:
    """Return the goal's skills and aims named in `language` (as `name_for` names them),
    its latest `checkins` check-ins and its comments, read by one statement."""
    skills, aims, latest, comments = [], [], [], []
    for part, row_id, name_en, name_fr, status, progress, on, text, at in db.session.execute(
            _details(), {"goal_id": found.id, "limit": checkins}):
        if part == 0:
            name = (name_fr or name_en) if language == "fr" else (name_en or name_fr)
            skills.append((name, status == SkillStatus.PROPOSED))
        elif part == 1:
            aims.append((name_fr if language == "fr" else name_en) or name_en)
        elif part == 2:
            latest.append((on, row_id, CheckInRow(on, progress, text)))
        else:
            comments.append(CommentRow(name_en or "", at, text))
    latest.sort(key=lambda checkin: checkin[:2], reverse=True)  # newest first
    return Details(skills, aims, [row for _on, _id, row in latest], comments)
