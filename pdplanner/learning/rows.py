"""Goals read as plain rows for other rooms' pages (no objects built)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Row, Select, bindparam, case, func, select

from pdplanner.catalog.models import Skill
from pdplanner.extensions import db
from pdplanner.learning.models import CheckIn, Goal, GoalStatus, goal_skill

#: A goal's progress as `Goal.progress` computes it, as a column of a read of goals: 100 once
#: achieved, else its latest check-in's, else 0 (a correlated subquery, built once).
GOAL_PROGRESS = case((Goal.status == GoalStatus.ACHIEVED, 100), else_=func.coalesce(
    select(CheckIn.progress).where(CheckIn.goal_id == Goal.id)
    .order_by(CheckIn.on.desc(), CheckIn.id.desc()).limit(1)
    .correlate(Goal).scalar_subquery(), 0)).label("progress")


@cache
def _goal_skills() -> Select:
    return (select(goal_skill.c.goal_id, Skill.id, Skill.name_en, Skill.name_fr)
            .join(Skill, Skill.id == goal_skill.c.skill_id)
            .where(goal_skill.c.goal_id.in_(bindparam("goal_ids", expanding=True)))
            .order_by(goal_skill.c.goal_id, Skill.id))


def skills_of_goals(goal_ids: list[int]) -> dict[int, list[Row]]:
    """Return each goal's skills as rows (id, name_en, name_fr), by goal id, in one read."""
    skills: dict[int, list[Row]] = {}
    if goal_ids:
        for row in db.session.execute(_goal_skills(), {"goal_ids": goal_ids}):
            skills.setdefault(row.goal_id, []).append(row)
    return skills


def skill_name(skill: Row, language: str) -> str:
    """Return a skill row's name in `language`, falling back to the other (as `Skill`)."""
    if language == "fr":
        return skill.name_fr or skill.name_en
    return skill.name_en or skill.name_fr
