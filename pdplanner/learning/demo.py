"""Seed the demo's skills, proposals, goals, plans, outcomes and reflections (no commit)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pdplanner.accounts import demo_data as people_data
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation
from pdplanner.catalog.models import Alignment, Skill, SkillArea, SkillStatus
from pdplanner.extensions import db
from pdplanner.learning import demo_data as data
from pdplanner.learning.models import (
    Activity,
    CheckIn,
    Goal,
    GoalStatus,
    Occurrence,
    OccurrenceStatus,
    Reflection,
    SkillAssessment,
)
from pdplanner.learning.recurrence import occurrence_dates
from pdplanner.types import today_in, utcnow


def _person(local: str) -> User:
    """Return a demo person by the local part of their e-mail (or, for someone with none,
    by their mobile number)."""
    if local.startswith("+"):
        return db.session.scalar(select(User).where(User.phone == local))
    email = f"{local}@{people_data.EMAIL_DOMAIN}"
    return db.session.scalar(select(User).where(User.email == email))


def _skills() -> dict[str, Skill]:
    """Create or find the catalogue's areas and skills; return skills by English name."""
    found = {}
    for position, ((area_en, area_fr), skills) in enumerate(data.AREAS):
        area = db.session.scalar(select(SkillArea).where(SkillArea.name_en == area_en))
        if area is None:
            area = SkillArea(name_en=area_en, name_fr=area_fr, position=position)
            db.session.add(area)
        for name_en, name_fr in skills:
            skill = db.session.scalar(select(Skill).where(Skill.name_en == name_en))
            if skill is None:
                skill = Skill(name_en=name_en, name_fr=name_fr, status=SkillStatus.CATALOGUE,
                              area=area)
                db.session.add(skill)
            found[name_en] = skill
    for local, topic in data.PROPOSALS:
        if db.session.scalar(select(Skill).where(Skill.name_en == topic)) is None:
            db.session.add(Skill(name_en=topic, name_fr=topic, status=SkillStatus.PROPOSED,
                                 proposed_by_id=_person(local).id))
    db.session.flush()
    return found


def _outcomes(activity: Activity, pattern: str, today) -> None:
    """Resolve the activity's past dates as the pattern says (D, M, C, ? = to resolve)."""
    past = [o for o in activity.occurrences if o.planned_on < today]
    for occurrence, mark in zip(past, pattern, strict=False):
        if mark == "D":
            occurrence.status, occurrence.happened_on = OccurrenceStatus.DONE, occurrence.planned_on
            occurrence.resolved_at = utcnow()
        elif mark == "M":
            occurrence.status, occurrence.missed_reason = OccurrenceStatus.MISSED, "Field emergency"
            occurrence.resolved_at = utcnow()
        elif mark == "C":
            occurrence.status, occurrence.resolved_at = OccurrenceStatus.CANCELLED, utcnow()


def seed_learning() -> None:
    """Create the demo's learning once; goals already there are left as they are."""
    skills = _skills()
    alignments = list(db.session.scalars(select(Alignment).order_by(Alignment.position)))
    today = today_in(organisation().timezone)
    for owner_local, title, status, visibility, skill_names, align, personal, by, plans in \
            data.GOALS:
        owner = _person(owner_local)
        if db.session.scalar(select(Goal).where(Goal.owner_id == owner.id,
                                                Goal.title == title)):
            continue
        suggester = _person(by) if by else None
        goal = Goal(owner_id=owner.id, title=title, status=status, visibility=visibility,
                    chosen_by="suggested" if suggester else "self",
                    suggested_by_id=suggester.id if suggester else None,
                    personal_interest=personal, target_date=today + timedelta(days=150),
                    why="Because it matters for my work and our partners.",
                    success="I can do it on my own and show a colleague.",
                    skills=[skills[name] for name in skill_names],
                    alignments=[alignments[i] for i in align if i < len(alignments)])
        if status == GoalStatus.ACHIEVED:
            goal.achieved_at = utcnow() - timedelta(days=20)
        if status == GoalStatus.DROPPED:
            goal.drop_reason = "Priorities changed after the reorganisation."
        if status == GoalStatus.DECLINED:
            goal.decline_reason = "I would rather focus on supervision this year."
        if status in (GoalStatus.ACTIVE, GoalStatus.ACHIEVED,
                      GoalStatus.PAUSED) and visibility == "shared" \
                and owner.supervisor:
            goal.agreed_at, goal.agreed_by_id = utcnow(), owner.supervisor.id
        db.session.add(goal)
        for kind, a_title, with_whom, first, recurrence, last, pattern in plans:
            start = today + timedelta(days=first)
            until = today + timedelta(days=last) if last is not None else None
            activity = Activity(goal=goal, kind=kind, title=a_title, with_whom=with_whom,
                                starts_on=start, recurrence=recurrence, until=until,
                                duration_minutes=90)
            activity.occurrences = [Occurrence(planned_on=d) for d in
                                    occurrence_dates(start, recurrence, until)]
            _outcomes(activity, pattern, today)
            db.session.add(activity)
            done = [o for o in activity.occurrences if o.status == OccurrenceStatus.DONE]
            if done:
                db.session.add(Reflection(
                    occurrence=done[0], owner_id=owner.id,
                    learned="Asking open questions first makes people speak up.",
                    apply="Start each meeting with one open question.",
                    visibility="shared" if len(done) % 2 else "private"))
        if status in (GoalStatus.ACTIVE, GoalStatus.PAUSED, GoalStatus.ACHIEVED):
            db.session.add(CheckIn(goal=goal, on=today - timedelta(days=10),
                                   progress=100 if status == GoalStatus.ACHIEVED else 40,
                                   note="Good progress."))
            for skill in goal.skills[:1]:
                db.session.add(SkillAssessment(person_id=owner.id, skill=skill, level=2,
                                               assessed_by_id=owner.id))
    db.session.flush()
