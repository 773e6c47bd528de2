"""Reads for learning: every lookup is scoped to what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Row, Select, and_, bindparam, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.catalog.models import Skill, SkillStatus
from pdplanner.extensions import db
from pdplanner.learning.models import (
    OPEN_STATUSES,
    Activity,
    Goal,
    GoalStatus,
    Occurrence,
    OccurrenceStatus,
    SkillAssessment,
)
from pdplanner.learning.recurrence import streak, week_start
from pdplanner.learning.rows import GOAL_PROGRESS

#: The goal's owner in `goals_visible_to` (one alias for every query: building one per call
#: cost more than the rest of the query).
_OWNER = OWNER = aliased(User, name="owner")


def _readable(viewer_id, hr: bool):
    """The goals a viewer may read (the policy, at the query level), for the viewer's id
    given as a value or a bound parameter; `hr` when the viewer is HR."""
    owner = _OWNER
    live = Goal.deleted_at.is_(None)
    rules = [Goal.owner_id == viewer_id,
             and_(live, owner.supervisor_id == viewer_id,
                  or_(Goal.visibility == "shared", Goal.suggested_by_id == viewer_id))]
    if hr:
        rules.append(and_(live, Goal.visibility == "shared"))
    return or_(*rules)


def goals_visible_to(viewer: User) -> Select:
    """Return a query of the goals `viewer` may read (the policy, at the query level)."""
    return (select(Goal).join(_OWNER, Goal.owner_id == _OWNER.id)
            .where(_readable(viewer.id, policy.is_hr(viewer))))


@cache
def visible_goals(hr: bool) -> Select:
    """`goals_visible_to` built once per kind of viewer (HR or not), for the statements the
    daily pages keep: run it with the viewer's id bound as `viewer_id`."""
    return (select(Goal).join(_OWNER, Goal.owner_id == _OWNER.id)
            .where(_readable(bindparam("viewer_id"), hr)))


def readable_by(viewer: User) -> dict[str, object]:
    """The values `visible_goals(policy.is_hr(viewer))` is run with."""
    return {"viewer_id": viewer.id}


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


# The statements below run on the pages people open daily; each is built once, with its
# values bound at each call (building a statement with its loader options cost more than
# running it).

#: Who suggested a goal, in a list of goals.
_SUGGESTER = aliased(User)


@cache
def _goal_rows() -> Select:
    """The owner's goals as the lists show them (no check-ins loaded: the latest progress is
    computed in the statement, the suggester's name joined), newest first."""
    return (select(Goal.id, Goal.title, Goal.status, Goal.target_date, Goal.visibility,
                   Goal.chosen_by, Goal.suggested_by_id, Goal.agreed_at, Goal.deleted_at,
                   GOAL_PROGRESS, _SUGGESTER.name.label("suggested_by_name"))
            .outerjoin(_SUGGESTER, _SUGGESTER.id == Goal.suggested_by_id)
            .where(Goal.owner_id == bindparam("owner_id"))
            .order_by(Goal.created_at.desc(), Goal.id.desc()))


@cache
def _goals_and_suggestions() -> Select:
    return _goal_rows().where(
        Goal.deleted_at.is_(None), Goal.status.in_((*IN_PROGRESS, GoalStatus.SUGGESTED)))


def goals_and_suggestions(owner: User) -> tuple[list[Row], list[Row]]:
    """Return rows of the owner's goals in progress and of the suggestions waiting for their
    answer (newest first), in one statement."""
    goals = list(db.session.execute(_goals_and_suggestions(), {"owner_id": owner.id}))
    return ([g for g in goals if g.status in IN_PROGRESS],
            [g for g in goals if g.status == GoalStatus.SUGGESTED])


def all_my_goals(owner: User) -> tuple[list[Row], list[Row]]:
    """Return rows of the owner's live goals and of their deleted ones, newest first, in one
    statement."""
    goals = list(db.session.execute(_goal_rows(), {"owner_id": owner.id}))
    return ([g for g in goals if g.deleted_at is None],
            [g for g in goals if g.deleted_at is not None])


@cache
def _person_goals(hr: bool) -> Select:
    return (visible_goals(hr)
            .with_only_columns(Goal.id, Goal.title, Goal.status, Goal.agreed_at, GOAL_PROGRESS)
            .where(Goal.owner_id == bindparam("person_id"), Goal.deleted_at.is_(None))
            .order_by(Goal.created_at.desc(), Goal.id.desc()))


def person_goals(viewer: User, person: User) -> list[Row]:
    """Return `person`'s goals that `viewer` may read, newest first, as rows of what their
    lists show: id, title, status, agreed_at and progress."""
    return list(db.session.execute(_person_goals(policy.is_hr(viewer)),
                                   {**readable_by(viewer), "person_id": person.id}))


def owner_dates() -> Select:
    """Return the occurrences of the owner (bound as `owner_id`) on their live activities of
    live goals, for the plan, My learning and the printable plan to narrow; a closed goal
    (achieved, dropped) keeps its history but no longer plans or asks about open dates."""
    return (select(Occurrence).join(Activity).join(Goal)
            .where(Goal.owner_id == bindparam("owner_id"), Goal.deleted_at.is_(None),
                   Activity.deleted_at.is_(None),
                   or_(Occurrence.status != OccurrenceStatus.PLANNED,
                       Goal.status.in_(OPEN_STATUSES))))


@cache
def _dates() -> Select:
    """The owner's dates from `first` to `last` (rescheduled ones left out) and every past
    one still open, each with its activity and goal read by the same statement."""
    between = and_(Occurrence.planned_on.between(bindparam("first"), bindparam("last")),
                   Occurrence.status != OccurrenceStatus.RESCHEDULED)
    still_open = and_(Occurrence.status == OccurrenceStatus.PLANNED,
                      Occurrence.planned_on < bindparam("today"))
    return (owner_dates().where(or_(between, still_open))
            .options(contains_eager(Occurrence.activity).contains_eager(Activity.goal))
            .order_by(Occurrence.planned_on, Occurrence.id))


@cache
def _days_done() -> Select:
    return (owner_dates().with_only_columns(Occurrence.happened_on)
            .where(Occurrence.status == OccurrenceStatus.DONE,
                   Occurrence.happened_on >= bindparam("since")))


@dataclass(frozen=True)
class Dates:
    """A person's dates from `first` to `last` (rescheduled ones left out), and every past
    date still open, read in one statement."""

    first: date
    last: date
    today: date
    rows: list[Occurrence]

    def between(self, first: date, last: date) -> list[Occurrence]:
        """Return the dates planned from `first` to `last` (within the range read)."""
        if first < self.first or last > self.last:
            raise ValueError("outside the dates read")
        return [o for o in self.rows if first <= o.planned_on <= last
                and o.status != OccurrenceStatus.RESCHEDULED]

    @property
    def to_resolve(self) -> list[Occurrence]:
        """Past dates still open: each must end done, missed or cancelled."""
        return [o for o in self.rows
                if o.status == OccurrenceStatus.PLANNED and o.planned_on < self.today]


def dates_of(owner: User, today: date, first: date, last: date) -> Dates:
    """Read the owner's dates from `first` to `last` and every past one still open."""
    rows = list(db.session.scalars(_dates(), {"owner_id": owner.id, "first": first,
                                              "last": last, "today": today}))
    return Dates(first, last, today, rows)


def week_of(today: date) -> tuple[date, date]:
    """Return the Monday and Sunday of `today`'s week."""
    monday = week_start(today)
    return monday, monday + timedelta(days=6)


def weeks_streak(owner: User, today: date) -> int:
    """Count consecutive weeks, up to now, in which the owner did some learning."""
    since = today - timedelta(weeks=104)
    days = db.session.scalars(_days_done(), {"owner_id": owner.id, "since": since})
    return streak(set(days), today)


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


#: Who gave a rating.
_RATER = aliased(User, name="rater")


@cache
def _rating_history() -> Select:
    """Built once (a new alias at each call made every call compile its SQL afresh)."""
    return (select(SkillAssessment, _RATER.name)
            .join(_RATER, _RATER.id == SkillAssessment.assessed_by_id)
            .options(joinedload(SkillAssessment.skill))
            .where(SkillAssessment.person_id == bindparam("person_id"))
            .order_by(SkillAssessment.at.desc(), SkillAssessment.id.desc()))


def rating_history(person: User) -> list[tuple[SkillAssessment, str]]:
    """Return the person's skill ratings, newest first, each with who gave it (the person
    themselves or a supervisor), for the person and those who supervise them."""
    return [tuple(row) for row in db.session.execute(_rating_history(),
                                                     {"person_id": person.id})]
