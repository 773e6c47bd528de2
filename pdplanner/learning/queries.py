"""Reads for learning: every lookup is scoped to what the viewer may see."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Row, Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.catalog.models import Skill, SkillStatus
from pdplanner.extensions import db
from pdplanner.learning.models import (
    OPEN_STATUSES,
    Activity,
    CheckIn,
    Goal,
    GoalStatus,
    Occurrence,
    OccurrenceStatus,
    SkillAssessment,
)
from pdplanner.learning.recurrence import streak, week_start

#: The goal's owner in `goals_visible_to` (one alias for every query: building one per call
#: cost more than the rest of the query).
_OWNER = aliased(User, name="owner")


def goals_visible_to(viewer: User) -> Select:
    """Return a query of the goals `viewer` may read (the policy, at the query level)."""
    owner = _OWNER
    live = Goal.deleted_at.is_(None)
    rules = [Goal.owner_id == viewer.id,
             and_(live, owner.supervisor_id == viewer.id,
                  or_(Goal.visibility == "shared", Goal.suggested_by_id == viewer.id))]
    if policy.is_hr(viewer):
        rules.append(and_(live, Goal.visibility == "shared"))
    return select(Goal).join(owner, Goal.owner_id == owner.id).where(or_(*rules))


def goal_for(viewer: User, goal_id: int) -> Goal | None:
    """Return a goal the viewer may read, else None (the view answers 404)."""
    return db.session.scalar(goals_visible_to(viewer).where(Goal.id == goal_id))


def occurrence_for(viewer: User, occurrence_id: int) -> Occurrence | None:
    """Return an occurrence of a goal the viewer may read."""
    visible = goals_visible_to(viewer).with_only_columns(Goal.id)
    query = (select(Occurrence).join(Activity).where(Occurrence.id == occurrence_id,
                                                       Activity.goal_id.in_(visible)))
    return db.session.scalar(query)


def activity_for(viewer: User, activity_id: int) -> Activity | None:
    """Return an activity of a goal the viewer may read."""
    visible = goals_visible_to(viewer).with_only_columns(Goal.id)
    return db.session.scalar(select(Activity).where(Activity.id == activity_id,
                                                    Activity.goal_id.in_(visible)))


#: Goals shown as "in progress" (home, the printable plan).
IN_PROGRESS = OPEN_STATUSES


def my_goals(owner: User, deleted: bool = False,
             statuses: tuple[str, ...] | None = None) -> list[Goal]:
    """Return the owner's goals (or their deleted ones), newest first; only `statuses` if given."""
    query = select(Goal).where(Goal.owner_id == owner.id).options(selectinload(Goal.checkins))
    query = query.where(Goal.deleted_at.is_not(None) if deleted else Goal.deleted_at.is_(None))
    if statuses:
        query = query.where(Goal.status.in_(statuses))
    return list(db.session.scalars(query.order_by(Goal.created_at.desc(), Goal.id.desc())))


#: A goal's progress as `Goal.progress` computes it: 100 once achieved, else its latest
#: check-in's, else 0 (a correlated subquery, built once).
_PROGRESS = case((Goal.status == GoalStatus.ACHIEVED, 100), else_=func.coalesce(
    select(CheckIn.progress).where(CheckIn.goal_id == Goal.id)
    .order_by(CheckIn.on.desc(), CheckIn.id.desc()).limit(1)
    .correlate(Goal).scalar_subquery(), 0)).label("progress")


def person_goals(viewer: User, person: User) -> list[Row]:
    """Return `person`'s goals that `viewer` may read, newest first, as rows of what their
    lists show: id, title, status, agreed_at and progress."""
    query = (goals_visible_to(viewer)
             .with_only_columns(Goal.id, Goal.title, Goal.status, Goal.agreed_at, _PROGRESS)
             .where(Goal.owner_id == person.id, Goal.deleted_at.is_(None)))
    return list(db.session.execute(query.order_by(Goal.created_at.desc(), Goal.id.desc())))


def _owner_occurrences(owner: User) -> Select:
    """Occurrences of the owner's live activities on live goals; a closed goal (achieved,
    dropped) keeps its history but no longer plans or asks about open dates."""
    return (select(Occurrence).join(Activity).join(Goal)
            .where(Goal.owner_id == owner.id, Goal.deleted_at.is_(None),
                   Activity.deleted_at.is_(None),
                   or_(Occurrence.status != OccurrenceStatus.PLANNED,
                       Goal.status.in_(OPEN_STATUSES)))
            .options(selectinload(Occurrence.activity).selectinload(Activity.goal)))


def to_resolve(owner: User, today: date) -> list[Occurrence]:
    """Return past occurrences still open: each must end done, missed or cancelled."""
    query = _owner_occurrences(owner).where(Occurrence.status == OccurrenceStatus.PLANNED,
                                            Occurrence.planned_on < today)
    return list(db.session.scalars(query.order_by(Occurrence.planned_on)))


def between(owner: User, first: date, last: date) -> list[Occurrence]:
    """Return the owner's occurrences planned between two dates (inclusive)."""
    query = _owner_occurrences(owner).where(Occurrence.planned_on.between(first, last),
                                            Occurrence.status != OccurrenceStatus.RESCHEDULED)
    return list(db.session.scalars(query.order_by(Occurrence.planned_on, Occurrence.id)))


def this_week(owner: User, today: date) -> list[Occurrence]:
    """Return the owner's occurrences planned this week (Monday to Sunday)."""
    monday = week_start(today)
    return between(owner, monday, monday + timedelta(days=6))


def weeks_streak(owner: User, today: date) -> int:
    """Count consecutive weeks, up to now, in which the owner did some learning."""
    since = today - timedelta(weeks=104)
    query = (_owner_occurrences(owner).with_only_columns(Occurrence.happened_on)
             .where(Occurrence.status == OccurrenceStatus.DONE, Occurrence.happened_on >= since))
    return streak(set(db.session.scalars(query)), today)


def suggestions_waiting(owner: User) -> list[Goal]:
    """Return goals a supervisor suggested that the owner has not answered."""
    return list(db.session.scalars(select(Goal).where(
        Goal.owner_id == owner.id, Goal.status == GoalStatus.SUGGESTED, Goal.deleted_at.is_(None))))


def skills_for(person: User) -> list[Skill]:
    """Return the catalogue's live skills plus the person's own topics."""
    query = select(Skill).where(Skill.archived.is_(False), or_(
        Skill.status == SkillStatus.CATALOGUE,
        and_(Skill.proposed_by_id == person.id, Skill.status.in_((SkillStatus.PROPOSED,
                                                                  SkillStatus.PERSONAL)))))
    return list(db.session.scalars(query.order_by(Skill.name_en)))


def assessments(person: User) -> list[SkillAssessment]:
    """Return a person's skill ratings, newest first (the history)."""
    return list(db.session.scalars(select(SkillAssessment)
                                   .where(SkillAssessment.person_id == person.id)
                                   .order_by(SkillAssessment.at.desc(),
                                             SkillAssessment.id.desc())))


def rating_history(person: User) -> list[tuple[SkillAssessment, str]]:
    """Return the person's skill ratings, newest first, each with who gave it (the person
    themselves or a supervisor), for the person and those who supervise them."""
    rater = aliased(User)
    return [tuple(row) for row in db.session.execute(
        select(SkillAssessment, rater.name).join(rater, rater.id == SkillAssessment.assessed_by_id)
        .options(joinedload(SkillAssessment.skill))
        .where(SkillAssessment.person_id == person.id)
        .order_by(SkillAssessment.at.desc(), SkillAssessment.id.desc()))]
