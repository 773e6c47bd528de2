"""Dashboard figures: GROUP BY over the snapshot tables, narrowed to the viewer's scope.

The snapshot (``insights.snapshot``) holds one row per person, or per person and month; these
queries only sum its rows, so a page costs the same few statements at every size. Lists of
people come from the same snapshot as the counts beside them, so a figure and the people
behind it always agree. No private text is stored there or read here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import get_locale
from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import selectinload

from pdplanner.accounts.models import Level, Team, User
from pdplanner.catalog.models import Skill
from pdplanner.extensions import db
from pdplanner.insights.models import (
    GapFacts,
    MonthFacts,
    PersonFacts,
    SessionFacts,
    SkillFacts,
    SkillTotals,
    SupervisorFacts,
    SupervisorMonthFacts,
    TeamMonthFacts,
)
from pdplanner.insights.scope import Scope
from pdplanner.insights.snapshot import count_where, first_of_month, median_days

#: Quarters of achieved goals shown.
QUARTERS = 8


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
    supervisable: int = 0  #: staff with a supervisor: the only ones a session can count

    def share(self, count: int) -> int:
        """Return count as a percentage of the level's staff."""
        return round(100 * count / self.staff) if self.staff else 0

    def supervised_share(self) -> int:
        """Return the share of staff with a supervisor who had a session in 60 days."""
        return round(100 * self.supervised / self.supervisable) if self.supervisable else 0


def _metrics(scope: Scope) -> dict[str, tuple]:
    """Each participation figure as (condition counted, condition left out) on PersonFacts."""
    learned = scope.today - timedelta(days=90)
    supervised = scope.today - timedelta(days=60)
    unresolved = scope.today - timedelta(days=14)
    not_supervised = or_(PersonFacts.last_held_on.is_(None),
                         PersonFacts.last_held_on < supervised)
    return {
        "with_goal": (PersonFacts.active_goals > 0, PersonFacts.active_goals == 0),
        "learned": (PersonFacts.last_done_on >= learned,
                    or_(PersonFacts.last_done_on.is_(None), PersonFacts.last_done_on < learned)),
        # Nobody supervises the director: people without a supervisor are left out of both.
        "supervised": (and_(PersonFacts.has_supervisor, PersonFacts.last_held_on >= supervised),
                       and_(PersonFacts.has_supervisor, not_supervised)),
        "no_session": (and_(PersonFacts.has_supervisor, not_supervised),
                       or_(~PersonFacts.has_supervisor, PersonFacts.last_held_on >= supervised)),
        "unresolved": (PersonFacts.oldest_open_on < unresolved,
                       or_(PersonFacts.oldest_open_on.is_(None),
                           PersonFacts.oldest_open_on >= unresolved)),
    }


#: The participation figures.
METRICS = ("with_goal", "learned", "supervised")
#: The lists of people one may open: the participation figures, people with a supervisor
#: but no session held in 60 days, and people with old unresolved dates.
LISTS = (*METRICS, "no_session", "unresolved")
#: The needs-attention lists, each as (list, whether its people are those counted by it).
ATTENTION = {"no_goal": ("with_goal", False), "no_session": ("no_session", True),
             "unresolved": ("unresolved", True)}


def participation(scope: Scope) -> list[LevelRow]:
    """Share of active staff per level with a goal, learning done (90 d), a session (60 d)."""
    metrics = _metrics(scope)
    counted = {row[0]: row[1:] for row in db.session.execute(
        select(PersonFacts.level_id, func.count(),
               *[count_where(metrics[name][0]) for name in METRICS],
               count_where(PersonFacts.has_supervisor))
        .where(*scope.of(PersonFacts)).group_by(PersonFacts.level_id))}
    language = str(get_locale() or "en")
    levels = [(lv.id, lv.name_for(language))
              for lv in db.session.scalars(select(Level).order_by(Level.rank))]
    if None in counted:
        levels.append((None, None))
    return [LevelRow(level_id, name or "", *[int(n or 0) for n in counted[level_id]])
            for level_id, name in levels if level_id in counted]


def people_behind(scope: Scope, metric: str, present: bool):
    """Select the people a list counts (or those it leaves out), by name, for paging."""
    condition = _metrics(scope)[metric][0 if present else 1]
    return (select(User).join(PersonFacts, PersonFacts.person_id == User.id)
            .options(selectinload(User.team), selectinload(User.level))
            .where(condition, *scope.of(PersonFacts))
            .order_by(PersonFacts.person_name, PersonFacts.person_id))


def monthly(scope: Scope) -> dict:
    """The monthly figures: protocol, outcomes per team, choice, goals achieved per quarter.

    Returns months (the last 12, oldest first), by_team (outcomes within the period),
    choice (goals started within the period) and achieved (goals per quarter).
    """
    # The first month of the quarter QUARTERS - 1 quarters before the current one.
    oldest = first_of_month(scope.today, (scope.today.month - 1) % 3 + 3 * (QUARTERS - 1))
    m = TeamMonthFacts if scope.whole else MonthFacts
    keys = ("planned", "done", "missed", "cancelled", "to_resolve")
    months: dict[date, dict] = {first_of_month(scope.today, back): dict.fromkeys(keys, 0)
                                for back in range(11, -1, -1)}
    choice = dict.fromkeys(("total", "self", "aligned", "personal"), 0)
    achieved: dict[date, int] = defaultdict(int)  # by the first day of each quarter
    for month, *sums in db.session.execute(
            select(m.month, *[func.sum(getattr(m, key)) for key in keys], func.sum(m.goals_new),
                   func.sum(m.goals_self), func.sum(m.goals_aligned),
                   func.sum(m.goals_personal), func.sum(m.goals_achieved))
            .where(m.month >= min(oldest, scope.since), *scope.of(m)).group_by(m.month)):
        if month in months:
            months[month].update(zip(keys, (int(n or 0) for n in sums[:5]), strict=True))
        if month >= scope.since:
            for key, n in zip(("total", "self", "aligned", "personal"), sums[5:9], strict=True):
                choice[key] += int(n or 0)
        if month >= oldest and sums[9]:
            achieved[month.replace(month=month.month - (month.month - 1) % 3)] += int(sums[9])
    by_team = {team_id: {"done": int(done or 0), "missed": int(missed or 0)}
               for team_id, done, missed in db.session.execute(
                   select(m.team_id, func.sum(m.done), func.sum(m.missed))
                   .where(m.month >= scope.since, *scope.of(m)).group_by(m.team_id))}
    return {"months": [{"month": f"{day:%Y-%m}", "day": day, **counts}
                       for day, counts in months.items()],
            "by_team": by_team, "choice": {**choice, "suggested": choice["total"] - choice["self"]},
            "achieved": sorted(achieved.items())}


def topics(scope: Scope) -> dict[str, int]:
    """What became of the topics staff in scope proposed."""
    return _by(select(Skill.status, func.count()).where(Skill.proposed_by_id.in_(scope.people))
               .group_by(Skill.status))


@dataclass
class Supervisors:
    """The supervision routine table: the rows shown and how many supervisors there are."""

    rows: list[dict]
    total: int


def supervision(scope: Scope, limit: int | None = None) -> Supervisors:
    """Per supervisor: sessions held vs due, median days between held ones, goals reviewed.

    With a `limit`, only the supervisors furthest from their routine (fewest sessions held
    for those due), so the page stays short however many supervisors there are; the CSV
    asks for everyone.
    """
    s = SupervisorMonthFacts if scope.whole else SessionFacts
    # Summed per supervisor first, then joined to the few thousand supervisors' names (not
    # to every month's row); the page's total comes with its rows, in the same statement.
    grouped = (select(s.supervisor_id, func.sum(s.due).label("due"),
                      func.sum(s.held).label("held"), func.sum(s.reviewed).label("reviewed"))
               .where(s.month >= scope.since, *scope.of(s)).group_by(s.supervisor_id)
               .subquery())
    g = grouped.c
    named = select(g.supervisor_id, User.name, g.due, g.held, g.reviewed).join(
        User, User.id == g.supervisor_id)
    if limit is None:
        rows = db.session.execute(named.order_by(User.name)).all()
        total = len(rows)
    else:
        behind = case((g.due > 0, g.held * 1.0 / g.due), else_=1.0)
        found = db.session.execute(named.add_columns(func.count().over())
                                   .order_by(behind, g.due.desc(), User.name).limit(limit)).all()
        rows, total = [row[:5] for row in found], (found[0][5] if found else 0)
    ids = [row[0] for row in rows]
    shown = SupervisorFacts.supervisor_id.in_(ids) if limit is not None else true()
    shown_gaps = GapFacts.supervisor_id.in_(ids) if limit is not None else true()
    if scope.whole:
        medians = _by(select(SupervisorFacts.supervisor_id, SupervisorFacts.median_gap)
                      .where(SupervisorFacts.months == int(scope.months), shown))
    else:  # the median of the gaps in scope only
        gaps: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for supervisor_id, days, n in db.session.execute(
                select(GapFacts.supervisor_id, GapFacts.days, func.sum(GapFacts.n))
                .where(GapFacts.month >= scope.since, shown_gaps,
                       *scope.of(GapFacts))
                .group_by(GapFacts.supervisor_id, GapFacts.days)):
            gaps[supervisor_id].append((days, int(n)))
        medians = {sid: median_days(found) for sid, found in gaps.items()}
    return Supervisors([{"supervisor_id": sid, "name": name, "due": int(due or 0),
                         "held": int(held or 0), "median_gap": medians.get(sid),
                         "reviewed": int(reviewed or 0)}
                        for sid, name, due, held, reviewed in rows], total)


def growth(scope: Scope, achieved: list[tuple[date, int]]) -> dict:
    """Goals achieved per quarter; first vs latest skill level (self and supervisor)."""
    if scope.whole:
        t = SkillTotals
        rows = db.session.execute(select(t.skill_id, t.rated_self, t.first_self, t.latest_self,
                                         t.rated_supervisor, t.first_supervisor,
                                         t.latest_supervisor)).all()
    else:
        f = SkillFacts
        rows = db.session.execute(
            select(f.skill_id, func.count(f.first_self), func.sum(f.first_self),
                   func.sum(f.latest_self), func.count(f.first_supervisor),
                   func.sum(f.first_supervisor), func.sum(f.latest_supervisor))
            .where(*scope.of(f)).group_by(f.skill_id)).all()
    names = {s.id: s for s in db.session.scalars(select(Skill).where(
        Skill.id.in_({row[0] for row in rows})))}
    skills = []
    for skill_id, *figures in sorted(rows, key=lambda r: names[r[0]].name_en
                                     if r[0] in names else ""):
        for by_self, (people, first, latest) in ((True, figures[:3]), (False, figures[3:])):
            if people and skill_id in names:
                skills.append({"skill": names[skill_id], "by_self": by_self, "people": people,
                               "first": round(first / people, 1),
                               "latest": round(latest / people, 1)})
    return {"achieved": achieved, "skills": skills}


def skills_matrix(scope: Scope, skill_id: int | None, limit: int | None = 300) -> list[tuple]:
    """Who is at which level on which skill (latest rating), highest first.

    Rows are (person's name, team id, skill's name in the reader's language, level).
    """
    f = SkillFacts
    query = (select(f.person_name, f.team_id, Skill.name_en, Skill.name_fr, f.latest)
             .join(Skill, Skill.id == f.skill_id).where(*scope.of(f)))
    if skill_id:
        query = query.where(f.skill_id == skill_id)
    french = str(get_locale() or "en") == "fr"
    return [(person, team_id, ((name_fr or name_en) if french else (name_en or name_fr)), level)
            for person, team_id, name_en, name_fr, level in db.session.execute(
                query.order_by(f.latest.desc(), f.person_name).limit(limit))]


def teams(scope: Scope, by_team: dict) -> list[dict]:
    """The same figures side by side for each team and site."""
    p, s = PersonFacts, (TeamMonthFacts if scope.whole else SessionFacts)
    staff = {team_id: (count, with_goal) for team_id, count, with_goal in db.session.execute(
        select(p.team_id, func.count(), count_where(p.active_goals > 0))
        .where(*scope.of(p)).group_by(p.team_id))}
    held = _by(select(s.team_id, func.sum(s.held)).where(s.month >= scope.since, *scope.of(s))
               .group_by(s.team_id))
    french = str(get_locale() or "en") == "fr"
    # Every team's name as rows (a few hundred): no objects, no list of ids to bind.
    names = {team_id: (name_fr or name) if french else name
             for team_id, name, name_fr in db.session.execute(
                 select(Team.id, Team.name, Team.name_fr))}
    rows = []
    for team_id, (count, with_goal) in staff.items():
        figures = by_team.get(team_id, {})
        done, missed = figures.get("done", 0), figures.get("missed", 0)
        rows.append({"team_id": team_id, "name": names.get(team_id, ""), "staff": count,
                     "with_goal": int(with_goal or 0), "done": done, "missed": missed,
                     "adherence": round(100 * done / (done + missed)) if done + missed else None,
                     "held": int(held.get(team_id) or 0)})
    return sorted(rows, key=lambda r: r["name"])


@dataclass
class Attention:
    """One needs-attention list: how many people it holds and the first of them by name."""

    metric: str
    present: bool
    total: int
    people: list  #: rows of (id, name)


def needs_attention(scope: Scope, limit: int | None = 30) -> dict[str, Attention]:
    """People without an active goal, without a session in 60 days, or with old open dates.

    Each list holds its total and its first `limit` people (all of them with None).
    """
    metrics = _metrics(scope)
    conditions = {key: metrics[metric][0 if present else 1]
                  for key, (metric, present) in ATTENTION.items()}
    totals = db.session.execute(
        select(*[count_where(condition) for condition in conditions.values()])
        .where(*scope.of(PersonFacts))).one()
    found = {}
    for (key, condition), total in zip(conditions.items(), totals, strict=True):
        metric, present = ATTENTION[key]
        # The names as rows: a User would join its supervisor, team and level as well.
        people = db.session.execute(
            select(User.id, User.name).join(PersonFacts, PersonFacts.person_id == User.id)
            .where(condition, *scope.of(PersonFacts))
            .order_by(PersonFacts.person_name, PersonFacts.person_id).limit(limit)).all()
        found[key] = Attention(metric, present, int(total or 0), people)
    return found
