"""Adopting a lesson: the goal it starts as, and the goal the person writes from it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pdplanner import audit
from pdplanner.accounts.models import User
from pdplanner.exchanges.models import Adoption, Lesson
from pdplanner.extensions import db
from pdplanner.learning.goals import GoalData, apply_goal_data
from pdplanner.learning.models import Goal, GoalStatus
from pdplanner.transaction import use_case


def adoption_of(actor: User, lesson: Lesson) -> Adoption | None:
    """Return the actor's adoption of the lesson, if they adopted it already."""
    return db.session.scalar(select(Adoption).where(Adoption.lesson_id == lesson.id,
                                                    Adoption.user_id == actor.id))


def prefill(lesson: Lesson) -> dict:
    """What the new goal's form starts with: the idea as title, why (naming the exchange),
    the exchange's skills, and the values and priorities of the goal the lesson came from."""
    title = (lesson.idea or lesson.title).strip().split("\n")[0][:200]
    exchange = lesson.exchange
    why = (_l("Adopted from the lesson “%(t)s” of the exchange “%(e)s”.", t=lesson.title,
              e=exchange.title) if exchange
           else _l("Adopted from the lesson “%(t)s”.", t=lesson.title))
    source = db.session.get(Goal, lesson.goal_id) if lesson.goal_id else None
    return {"title": title if len(title) >= 3 else lesson.title, "why": str(why),
            "skill_ids": [s.id for s in exchange.skills] if exchange else [],
            "alignment_ids": [a.id for a in source.alignments] if source else []}


@use_case
def adopt_as_goal(actor: User, lesson: Lesson, data: GoalData, start: bool) -> Adoption:
    """Make the lesson one of the actor's goals as they wrote it, with the link, in one
    transaction; a second submission returns the first adoption."""
    existing = adoption_of(actor, lesson)
    if existing is not None:
        return existing
    goal = Goal(owner_id=actor.id, chosen_by="self",
                status=GoalStatus.ACTIVE if start else GoalStatus.DRAFT)
    with db.session.no_autoflush:
        apply_goal_data(actor, goal, data)
    db.session.add(goal)
    db.session.flush()
    adoption = Adoption(lesson_id=lesson.id, user_id=actor.id, goal_id=goal.id)
    db.session.add(adoption)
    audit.record(actor.id, "goal.create", f"goal:{goal.id}")
    audit.record(actor.id, "lesson.adopt", f"lesson:{lesson.id}", f"goal:{goal.id}")
    return adoption
