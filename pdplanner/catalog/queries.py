"""Reads of the catalogue."""

from sqlalchemy import select

from pdplanner.catalog.models import Alignment, Skill, SkillArea, SkillStatus
from pdplanner.extensions import db


def alignments(include_archived: bool = False) -> list[Alignment]:
    """Return core values then strategic priorities, in their order."""
    query = select(Alignment).order_by(Alignment.kind.desc(), Alignment.position, Alignment.id)
    if not include_archived:
        query = query.where(Alignment.archived.is_(False))
    return list(db.session.scalars(query))


def areas(include_archived: bool = False) -> list[SkillArea]:
    """Return skill areas in order."""
    query = select(SkillArea).order_by(SkillArea.position, SkillArea.name_en)
    if not include_archived:
        query = query.where(SkillArea.archived.is_(False))
    return list(db.session.scalars(query))


def catalogue_skills(include_archived: bool = False) -> list[Skill]:
    """Return catalogue skills, by area then name."""
    query = select(Skill).where(Skill.status == SkillStatus.CATALOGUE)
    if not include_archived:
        query = query.where(Skill.archived.is_(False))
    return list(db.session.scalars(query.order_by(Skill.area_id, Skill.name_en)))


def proposals() -> list[Skill]:
    """Return topics proposed by staff that wait for HR, oldest first."""
    query = select(Skill).where(Skill.status == SkillStatus.PROPOSED).order_by(Skill.created_at)
    return list(db.session.scalars(query))


def alignment(item_id: int) -> Alignment | None:
    """Return a value or priority by id."""
    return db.session.get(Alignment, item_id)


def skill(skill_id: int) -> Skill | None:
    """Return a skill or proposed topic by id."""
    return db.session.get(Skill, skill_id)


def area(area_id: int) -> SkillArea | None:
    """Return a skill area by id."""
    return db.session.get(SkillArea, area_id)
