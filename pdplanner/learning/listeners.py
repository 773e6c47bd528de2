"""What learning does when other rooms announce a change."""

from sqlalchemy import select, update

from pdplanner import events
from pdplanner.extensions import db
from pdplanner.learning.models import SkillAssessment, goal_skill


def _on_skill_merged(topic_id: int, into_id: int, **_) -> None:
    """Point goals and self-ratings at the skill a topic was merged into (no commit)."""
    linked = select(goal_skill.c.goal_id).where(goal_skill.c.skill_id == into_id)
    db.session.execute(goal_skill.delete().where(goal_skill.c.skill_id == topic_id,
                                                 goal_skill.c.goal_id.in_(linked)))
    db.session.execute(update(goal_skill).where(goal_skill.c.skill_id == topic_id)
                       .values(skill_id=into_id))
    db.session.execute(update(SkillAssessment).where(SkillAssessment.skill_id == topic_id)
                       .values(skill_id=into_id))


def register() -> None:
    """Connect the listeners (safe to call more than once)."""
    events.skill_merged.connect(_on_skill_merged)
