"""What a goal's page reads, in five statements whatever the goal's history: the goal with its
owner and the names of who suggested and agreed it; its skills and aims; its plan
(activities, dates and the reflections the viewer may read); its latest check-ins; its
comments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    false,
    literal,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import contains_eager, joinedload, lazyload, load_only
from sqlalchemy.orm.attributes import set_committed_value

from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.catalog.models import Alignment, Skill, SkillStatus
from pdplanner.extensions import db
from pdplanner.learning.models import (
    Activity,
    CheckIn,
    Goal,
    GoalComment,
    Occurrence,
    Reflection,
    goal_alignment,
    goal_skill,
)
from pdplanner.learning.queries import OWNER, readable_by, visible_goals


def _names_only(relationship):
    """Join a person only for their name (not their team, level and supervisor)."""
    return joinedload(relationship).options(load_only(User.name), lazyload("*"))


#: Loaded with the goal (built once: options never change): people's names in its statement.
_WITH_GOAL = (_names_only(Goal.suggested_by), _names_only(Goal.agreed_by))
_COMMENT_AUTHOR = _names_only(GoalComment.author)


@cache
def _goal(hr: bool) -> Select:
    """The goal with its owner (read by the same statement), built once per kind of viewer."""
    return (visible_goals(hr).where(Goal.id == bindparam("goal_id"))
            .options(contains_eager(Goal.owner.of_type(OWNER)), *_WITH_GOAL))


def goal(viewer: User, goal_id: int) -> Goal | None:
    """Return a goal the viewer may read, with its owner and people's names."""
    return db.session.scalar(_goal(policy.is_hr(viewer)),
                             {**readable_by(viewer), "goal_id": goal_id})


@dataclass(frozen=True)
class SkillsAndAims:
    """A goal's skills as (name, proposed topic?) and the names of the aims it serves."""

    skills: list[tuple[str, bool]]
    aims: list[str]


@cache
def _skills_and_aims() -> Select:
    """Both lists as rows of one statement (kind, id, English and French names, status),
    each by id (joined to the goal instead, SQLite read every goal's skills first)."""
    goal_id = bindparam("goal_id")
    skills = (select(literal(0, Integer).label("part"), Skill.id.label("id"),
                     Skill.name_en.label("name_en"), Skill.name_fr.label("name_fr"),
                     type_coerce(Skill.status, String).label("status"))
              .join(goal_skill, goal_skill.c.skill_id == Skill.id)
              .where(goal_skill.c.goal_id == goal_id))
    aims = (select(literal(1, Integer), Alignment.id, Alignment.name_en, Alignment.name_fr,
                   literal("", String))
            .join(goal_alignment, goal_alignment.c.alignment_id == Alignment.id)
            .where(goal_alignment.c.goal_id == goal_id))
    both = union_all(skills, aims)
    return both.order_by(both.selected_columns.part, both.selected_columns.id)


def skills_and_aims(goal: Goal, language: str) -> SkillsAndAims:
    """Return the goal's skills and aims named in `language` (as `name_for` names them)."""
    skills, aims = [], []
    for part, _id, name_en, name_fr, status in db.session.execute(
            _skills_and_aims(), {"goal_id": goal.id}):
        if part == 0:
            name = (name_fr or name_en) if language == "fr" else (name_en or name_fr)
            skills.append((name, status == SkillStatus.PROPOSED))
        else:
            aims.append((name_fr if language == "fr" else name_en) or name_en)
    return SkillsAndAims(skills, aims)


def reflection_rule(viewer: User, goal: Goal) -> str:
    """Which of a goal's reflections the viewer reads: all if theirs; the shared ones if
    they supervise its owner and the goal is shared; else none."""
    if goal.owner_id == viewer.id:
        return "all"
    if policy.is_supervisor_of(viewer, goal.owner) and goal.visibility == "shared":
        return "shared"
    return "none"


#: The reflections each rule lets the viewer read.
_REFLECTIONS = {"all": true(), "shared": Reflection.visibility == "shared", "none": false()}


@cache
def _plan(rule: str) -> Select:
    """The goal's activities, dates and the reflections `rule` lets the viewer read."""
    return (select(Activity, Occurrence, Reflection)
            .outerjoin(Occurrence, Occurrence.activity_id == Activity.id)
            .outerjoin(Reflection, and_(Reflection.occurrence_id == Occurrence.id,
                                        _REFLECTIONS[rule]))
            .where(Activity.goal_id == bindparam("goal_id"))
            .order_by(Activity.starts_on, Activity.id, Occurrence.planned_on, Occurrence.id))


def plan(viewer: User, goal: Goal) -> dict[int, Reflection]:
    """Load the goal's activities and their dates into `goal.activities` (and each
    activity's `occurrences`) in one statement; return {occurrence id: reflection} of the
    reflections the viewer may read."""
    activities: list[Activity] = []
    dates: dict[int, list[Occurrence]] = defaultdict(list)
    reflections: dict[int, Reflection] = {}
    for activity, occurrence, reflection in db.session.execute(
            _plan(reflection_rule(viewer, goal)), {"goal_id": goal.id}):
        if not activities or activities[-1] is not activity:
            activities.append(activity)
        if occurrence is not None:
            dates[activity.id].append(occurrence)
        if reflection is not None:
            reflections[occurrence.id] = reflection
    # Set as if loaded from the database: nothing to flush, and no lazy load later.
    set_committed_value(goal, "activities", activities)
    for activity in activities:
        set_committed_value(activity, "occurrences", dates[activity.id])
    return reflections


@cache
def _recent_checkins() -> Select:
    return (select(CheckIn).where(CheckIn.goal_id == bindparam("goal_id"))
            .order_by(CheckIn.on.desc(), CheckIn.id.desc()).limit(bindparam("limit")))


def recent_checkins(goal: Goal, limit: int) -> list[CheckIn]:
    """Return the goal's latest `limit` check-ins, newest first."""
    return list(db.session.scalars(_recent_checkins(), {"goal_id": goal.id, "limit": limit}))


@cache
def _comments() -> Select:
    return (select(GoalComment).where(GoalComment.goal_id == bindparam("goal_id"))
            .options(_COMMENT_AUTHOR).order_by(GoalComment.created_at, GoalComment.id))


def comments(goal: Goal) -> list[GoalComment]:
    """Return a goal's comments, oldest first, with their authors' names."""
    return list(db.session.scalars(_comments(), {"goal_id": goal.id}))
