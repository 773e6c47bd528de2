"""Dashboard figures, aggregated in SQL (GROUP BY) over the viewer's scope; no private text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from statistics import median

from sqlalchemy import and_, case, distinct, exists, func, select

from pdplanner.accounts.models import Level, Team, User
from pdplanner.catalog.models import Skill
from pdplanner.extensions import db
from pdplanner.insights.scope import Scope
from pdplanner.learning.models import Activity, Goal, Occurrence, SkillAssessment, goal_alignment
from pdplanner.supervision.models import GoalReview, Session

LIVE_GOAL = and_(Goal.deleted_at.is_(None), Goal.status.not_in(("suggested", "declined")))


def _by(query) -> dict:
    return dict(db.session.execute(query).all())


@dataclass
class LevelRow:
    """Participation figures for one level."""

    level_id: int | None
    name: str
    staff: int
    with_goal: int
    learned: int
    supervised: int

    def share(self, count: int) -> int:
        """Return count as a percentage of the level's staff."""
        return round(100 * count / self.staff) if self.staff else 0


def _with_goal(scope: Scope):
    return select(Goal.owner_id).where(Goal.status == "active", Goal.deleted_at.is_(None),
                                       Goal.owner_id.in_(scope.people))


def _learned(scope: Scope):
    return (select(Goal.owner_id).join(Activity, Activity.goal_id == Goal.id)
            .join(Occurrence, Occurrence.activity_id == Activity.id)
            .where(Occurrence.status == "done", Goal.deleted_at.is_(None),
                   Occurrence.happened_on >= scope.today - timedelta(days=90),
                   Goal.owner_id.in_(scope.people)))


def _supervised(scope: Scope):
    return select(Session.report_id).where(
        Session.status == "held", Session.held_on >= scope.today - timedelta(days=60),
        Session.report_id.in_(scope.people))


#: The people behind each participation figure, as SELECTs of user ids.
METRICS = {"with_goal": _with_goal, "learned": _learned, "supervised": _supervised}


def participation(scope: Scope) -> list[LevelRow]:
    """Share of active staff per level with a goal, learning done (90 d), a session (60 d)."""
    counted = {}
    for name, metric in METRICS.items():
        counted[name] = _by(select(User.level_id, func.count(distinct(User.id)))
                            .where(User.id.in_(metric(scope))).group_by(User.level_id))
    staff = _by(select(User.level_id, func.count()).where(User.id.in_(scope.people))
                .group_by(User.level_id))
    levels = [(lv.id, lv.name) for lv in db.session.scalars(select(Level).order_by(Level.rank))]
    if None in staff:
        levels.append((None, None))
    return [LevelRow(level_id, name or "", staff.get(level_id, 0),
                     counted["with_goal"].get(level_id, 0), counted["learned"].get(level_id, 0),
                     counted["supervised"].get(level_id, 0))
            for level_id, name in levels if staff.get(level_id, 0)]


def people_behind(scope: Scope, metric: str, present: bool, limit: int = 500) -> list[User]:
    """Return the people a participation figure counts (or those it leaves out)."""
    ids = METRICS[metric](scope)
    query = select(User).where(User.id.in_(scope.people))
    query = query.where(User.id.in_(ids) if present else User.id.not_in(ids))
    return list(db.session.scalars(query.order_by(User.name).limit(limit)))


def choice(scope: Scope) -> dict:
    """Self-chosen vs suggested; aligned vs personal interest; what became of staff topics."""
    since = datetime.combine(scope.since, time(), tzinfo=UTC)
    goals = select(Goal).where(LIVE_GOAL, Goal.owner_id.in_(scope.people),
                               Goal.created_at >= since).subquery()
    aligned = exists().where(goal_alignment.c.goal_id == goals.c.id)
    row = db.session.execute(select(
        func.count(), func.sum(case((goals.c.chosen_by == "self", 1), else_=0)),
        func.sum(case((aligned, 1), else_=0)),
        func.sum(case((goals.c.personal_interest.is_(True), 1), else_=0)))).one()
    topics = _by(select(Skill.status, func.count()).where(Skill.proposed_by_id.in_(scope.people))
                 .group_by(Skill.status))
    total = row[0] or 0
    return {"total": total, "self": row[1] or 0, "suggested": total - (row[1] or 0),
            "aligned": row[2] or 0, "personal": row[3] or 0, "topics": topics}


def _occurrences(scope: Scope, first):
    return (select(Occurrence.planned_on, Occurrence.status, User.team_id, func.count())
            .join(Activity, Occurrence.activity_id == Activity.id)
            .join(Goal, Activity.goal_id == Goal.id).join(User, Goal.owner_id == User.id)
            .where(Goal.deleted_at.is_(None), Activity.deleted_at.is_(None),
                   Occurrence.status != "rescheduled", Occurrence.planned_on >= first,
                   Occurrence.planned_on <= scope.today, User.id.in_(scope.people))
            .group_by(Occurrence.planned_on, Occurrence.status, User.team_id))


def protocol(scope: Scope) -> tuple[list[dict], dict[int | None, dict]]:
    """Planned vs done vs missed vs to resolve: per month (12 months) and per team (period)."""
    first = (scope.today.replace(day=1) - timedelta(days=330)).replace(day=1)
    months: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    teams: dict[int | None, dict] = defaultdict(lambda: defaultdict(int))
    for day, status, team_id, n in db.session.execute(_occurrences(scope, first)):
        key = "to_resolve" if status == "planned" else status
        months[f"{day:%Y-%m}"][key] += n
        months[f"{day:%Y-%m}"]["planned"] += n
        if day >= scope.since:
            teams[team_id][key] += n
            teams[team_id]["planned"] += n
    ordered = []
    cursor = first
    while cursor <= scope.today:
        label = f"{cursor:%Y-%m}"
        ordered.append({"month": label, **{k: months[label][k] for k in
                                           ("planned", "done", "missed", "cancelled",
                                            "to_resolve")}})
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return ordered, teams


def supervision(scope: Scope, now) -> list[dict]:
    """Per supervisor: sessions held vs due, median days between held ones, goals reviewed."""
    since = datetime.combine(scope.since, time(), tzinfo=UTC)
    past = and_(Session.report_id.in_(scope.people), Session.starts_at <= now,
                Session.starts_at >= since, Session.deleted_at.is_(None),
                Session.status != "cancelled")
    counts = db.session.execute(select(Session.supervisor_id, func.count(),
                                       func.sum(case((Session.status == "held", 1), else_=0)))
                                .where(past).group_by(Session.supervisor_id)).all()
    reviewed = _by(select(Session.supervisor_id, func.count(distinct(Session.id)))
                   .join(GoalReview, GoalReview.session_id == Session.id)
                   .where(past, Session.status == "held").group_by(Session.supervisor_id))
    held = db.session.execute(select(Session.supervisor_id, Session.report_id, Session.held_on)
                              .where(past, Session.status == "held")
                              .order_by(Session.report_id, Session.held_on))
    gaps: dict[int, list[int]] = defaultdict(list)
    previous: dict[tuple, object] = {}
    for supervisor_id, report_id, day in held:
        if (supervisor_id, report_id) in previous:
            gaps[supervisor_id].append((day - previous[(supervisor_id, report_id)]).days)
        previous[(supervisor_id, report_id)] = day
    names = _by(select(User.id, User.name).where(User.id.in_([c[0] for c in counts])))
    rows = [{"supervisor_id": sid, "name": names.get(sid, ""), "due": due, "held": held_n or 0,
             "median_gap": round(median(gaps[sid])) if gaps[sid] else None,
             "reviewed": reviewed.get(sid, 0)} for sid, due, held_n in counts]
    return sorted(rows, key=lambda r: r["name"])


def growth(scope: Scope) -> dict:
    """Goals achieved per quarter; first vs latest skill level (self and supervisor)."""
    achieved = defaultdict(int)
    for day, n in db.session.execute(
            select(func.date(Goal.achieved_at), func.count())
            .where(Goal.status == "achieved", Goal.owner_id.in_(scope.people),
                   Goal.achieved_at.is_not(None)).group_by(func.date(Goal.achieved_at))):
        text = str(day)
        achieved[f"{text[:4]}-Q{(int(text[5:7]) - 1) // 3 + 1}"] += n
    by_self = SkillAssessment.assessed_by_id == SkillAssessment.person_id
    ends = (select(SkillAssessment.skill_id, by_self.label("by_self"),
                   func.min(SkillAssessment.id).label("first_id"),
                   func.max(SkillAssessment.id).label("last_id"))
            .where(SkillAssessment.person_id.in_(scope.people))
            .group_by(SkillAssessment.person_id, SkillAssessment.skill_id, by_self).subquery())
    first, last = db.aliased(SkillAssessment), db.aliased(SkillAssessment)
    skills = db.session.execute(
        select(ends.c.skill_id, ends.c.by_self, func.count(), func.avg(first.level),
               func.avg(last.level))
        .join(first, first.id == ends.c.first_id).join(last, last.id == ends.c.last_id)
        .group_by(ends.c.skill_id, ends.c.by_self)).all()
    names = {s.id: s for s in db.session.scalars(select(Skill).where(
        Skill.id.in_({row[0] for row in skills})))}
    return {"achieved": sorted(achieved.items()),
            "skills": [{"skill": names[row[0]], "by_self": bool(row[1]), "people": row[2],
                        "first": round(float(row[3]), 1), "latest": round(float(row[4]), 1)}
                       for row in skills if row[0] in names]}


def skills_matrix(scope: Scope, skill_id: int | None, limit: int = 300) -> list[tuple]:
    """Who is at which level on which skill (latest rating), highest first."""
    latest = (select(func.max(SkillAssessment.id)).where(
        SkillAssessment.person_id.in_(scope.people))
        .group_by(SkillAssessment.person_id, SkillAssessment.skill_id))
    query = (select(User.name, User.team_id, Skill, SkillAssessment.level)
             .join(User, User.id == SkillAssessment.person_id)
             .join(Skill, Skill.id == SkillAssessment.skill_id)
             .where(SkillAssessment.id.in_(latest)))
    if skill_id:
        query = query.where(SkillAssessment.skill_id == skill_id)
    return list(db.session.execute(query.order_by(SkillAssessment.level.desc(), User.name)
                                   .limit(limit)).all())


def teams(scope: Scope, by_team: dict) -> list[dict]:
    """The same figures side by side for each team and site."""
    staff = _by(select(User.team_id, func.count()).where(User.id.in_(scope.people))
                .group_by(User.team_id))
    goal = _by(select(User.team_id, func.count(distinct(User.id)))
               .where(User.id.in_(_with_goal(scope))).group_by(User.team_id))
    held = _by(select(User.team_id, func.count()).join(Session, Session.report_id == User.id)
               .where(User.id.in_(scope.people), Session.status == "held",
                      Session.held_on >= scope.since).group_by(User.team_id))
    names = {t.id: t.name for t in db.session.scalars(select(Team))}
    rows = []
    for team_id, count in staff.items():
        figures = by_team.get(team_id, {})
        done, missed = figures.get("done", 0), figures.get("missed", 0)
        rows.append({"team_id": team_id, "name": names.get(team_id, ""), "staff": count,
                     "with_goal": goal.get(team_id, 0), "done": done, "missed": missed,
                     "adherence": round(100 * done / (done + missed)) if done + missed else None,
                     "held": held.get(team_id, 0)})
    return sorted(rows, key=lambda r: r["name"])


def needs_attention(scope: Scope, limit: int = 100) -> dict[str, list[User]]:
    """People without an active goal, without a session in 60 days, or with old open dates."""
    stale = (select(Goal.owner_id).join(Activity, Activity.goal_id == Goal.id)
             .join(Occurrence, Occurrence.activity_id == Activity.id)
             .where(Occurrence.status == "planned", Goal.deleted_at.is_(None),
                    Activity.deleted_at.is_(None),
                    Occurrence.planned_on < scope.today - timedelta(days=14)))
    return {"no_goal": people_behind(scope, "with_goal", False, limit),
            "no_session": people_behind(scope, "supervised", False, limit),
            "unresolved": list(db.session.scalars(
                select(User).where(User.id.in_(scope.people), User.id.in_(stale))
                .order_by(User.name).limit(limit)))}
