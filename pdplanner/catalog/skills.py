"""Writes to skills and skill areas, and HR's decisions on topics proposed by staff."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pdplanner import audit, events
from pdplanner.accounts.models import User
from pdplanner.catalog.models import Alignment, Skill, SkillArea, SkillStatus
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.transaction import use_case
from pdplanner.types import utcnow


def _names(name_en: str, name_fr: str) -> tuple[str, str]:
    """Return both names, each 2-160 characters, or raise RuleViolation."""
    name_en, name_fr = (name_en or "").strip(), (name_fr or "").strip()
    for field, value in (("name_en", name_en), ("name_fr", name_fr)):
        if not 2 <= len(value) <= 160:
            raise RuleViolation(field, _l("Enter a name of 2 to 160 characters."))
    return name_en, name_fr


@use_case
def save_area(actor: User, area: SkillArea | None, name_en: str, name_fr: str) -> SkillArea:
    """Create or rename a skill area."""
    area = area or SkillArea()
    area.name_en, area.name_fr = _names(name_en, name_fr)
    db.session.add(area)
    db.session.flush()
    audit.record(actor.id, "skill_area.save", f"skill_area:{area.id}")
    return area


@use_case
def save_skill(actor: User, skill: Skill | None, area_id: int | None, name_en: str,
               name_fr: str, description_en: str = "", description_fr: str = "",
               alignment_ids: list[int] | None = None) -> Skill:
    """Create or update a catalogue skill (names and descriptions in both languages)."""
    name_en, name_fr = _names(name_en, name_fr)
    if area_id is not None and db.session.get(SkillArea, area_id) is None:
        raise RuleViolation("area_id", _l("Choose an area from the list."))
    for field, value in (("description_en", description_en), ("description_fr", description_fr)):
        if len(value or "") > 2000:
            raise RuleViolation(field, _l("Keep the description under 2000 characters."))
    alignments = list(db.session.scalars(select(Alignment).where(
        Alignment.id.in_(alignment_ids or []))))
    skill = skill or Skill(status=SkillStatus.CATALOGUE)
    skill.area_id, skill.name_en, skill.name_fr = area_id, name_en, name_fr
    skill.description_en = (description_en or "").strip()
    skill.description_fr = (description_fr or "").strip()
    skill.alignments = alignments
    db.session.add(skill)
    db.session.flush()
    audit.record(actor.id, "skill.save", f"skill:{skill.id}")
    return skill


@use_case
def set_skill_archived(actor: User, skill: Skill, archived: bool) -> None:
    """Archive (or restore) a skill; goals keep their link."""
    skill.archived = archived
    audit.record(actor.id, "skill.archive" if archived else "skill.restore", f"skill:{skill.id}")


@use_case
def accept_topic(actor: User, topic: Skill, area_id: int | None, name_en: str,
                 name_fr: str) -> None:
    """Take a proposed topic into the catalogue, named in both languages."""
    if topic.status != SkillStatus.PROPOSED:
        raise RuleViolation(None, _l("This topic was already decided."))
    if area_id is not None and db.session.get(SkillArea, area_id) is None:
        raise RuleViolation("area_id", _l("Choose an area from the list."))
    topic.name_en, topic.name_fr = _names(name_en, name_fr)
    topic.area_id, topic.status, topic.decided_at = area_id, SkillStatus.CATALOGUE, utcnow()
    audit.record(actor.id, "topic.accept", f"skill:{topic.id}")


@use_case
def merge_topic(actor: User, topic: Skill, into_id: int | None) -> None:
    """Fold a proposed topic into an existing skill; goals and ratings follow."""
    target = db.session.get(Skill, into_id) if into_id else None
    if topic.status != SkillStatus.PROPOSED:
        raise RuleViolation(None, _l("This topic was already decided."))
    if target is None or target.status != SkillStatus.CATALOGUE or target.id == topic.id:
        raise RuleViolation("into_id", _l("Choose a catalogue skill to merge into."))
    events.skill_merged.send(topic.id, into_id=target.id)  # goals and ratings follow
    topic.status, topic.merged_into_id, topic.decided_at = SkillStatus.MERGED, target.id, utcnow()
    audit.record(actor.id, "topic.merge", f"skill:{topic.id}", f"into skill:{target.id}")


@use_case
def keep_personal(actor: User, topic: Skill) -> None:
    """Leave a proposed topic as its proposer's own."""
    if topic.status != SkillStatus.PROPOSED:
        raise RuleViolation(None, _l("This topic was already decided."))
    topic.status, topic.decided_at = SkillStatus.PERSONAL, utcnow()
    audit.record(actor.id, "topic.personal", f"skill:{topic.id}")
