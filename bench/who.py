"""Who opens which page: the three people the bench signs in as, and the pages each one opens."""

from __future__ import annotations

from org import PASSWORD, TARGET_DATES, TARGET_GOALS

DEMO_PASSWORD = "learning-together"  # noqa: S105 - the demo's published sign-in
DEMO_ROLES = {"employee": "kadiatou.diarra@example.org",  # field staff, French
              "supervisor": "claire.martin@example.org",  # 4 reports, one a supervisor
              "hr": "fatoumata.coulibaly@example.org"}

#: (label, role, url pattern, everyday page under load?) in the order they are printed.
PAGES = [
    ("home (My learning)", "employee", "/", True),
    ("goals", "employee", "/goals", True),
    ("a goal", "employee", "/goals/{goal}", True),
    ("plan", "employee", "/plan", True),
    ("printable plan", "employee", "/plan/print", False),
    ("team", "supervisor", "/team", True),
    ("a person's page (report)", "supervisor", "/team/{report}", False),
    ("sessions", "employee", "/sessions", True),
    ("a session", "employee", "/sessions/{session}", True),
    ("lessons", "employee", "/lessons", False),
    ("exchanges", "employee", "/exchanges", False),
    ("people", "hr", "/people", True),
    ("a person (people)", "hr", "/people/{person}", False),
    ("profile", "employee", "/profile", False),
    ("notifications", "employee", "/notifications", False),
    ("insights, whole organisation", "hr", "/insights", False),
    ("insights, one team", "hr", "/insights?team={team}", False),
]


def generated_roles() -> dict[str, str]:
    """Pick the employee, the supervisor and HR of a generated organisation (app context)."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import aliased

    from pdplanner.accounts.models import User
    from pdplanner.extensions import db
    from pdplanner.learning.models import Activity, Goal, Occurrence

    reports = (select(User.supervisor_id.label("boss"), func.count().label("n"))
               .where(User.supervisor_id.is_not(None)).group_by(User.supervisor_id).subquery())
    goals = (select(Goal.owner_id.label("owner"), func.count().label("n"))
             .where(Goal.deleted_at.is_(None)).group_by(Goal.owner_id).subquery())
    dates = (select(Goal.owner_id.label("owner"), func.count().label("n"))
             .join(Activity, Activity.goal_id == Goal.id).join(Occurrence)
             .where(Goal.deleted_at.is_(None), Activity.deleted_at.is_(None))
             .group_by(Goal.owner_id).subquery())
    leaves = db.session.execute(
        select(User.email, goals.c.n, func.coalesce(dates.c.n, 0))
        .join(goals, goals.c.owner == User.id).outerjoin(dates, dates.c.owner == User.id)
        .outerjoin(reports, reports.c.boss == User.id)
        .where(User.active.is_(True), User.is_hr.is_(False), reports.c.boss.is_(None))).all()
    employee = min(leaves, key=lambda r: (abs(r[1] - TARGET_GOALS) / TARGET_GOALS
                                          + abs(r[2] - TARGET_DATES) / TARGET_DATES, r[0]))[0]
    below = aliased(User)
    has_branch = (select(below.id).join(reports, reports.c.boss == below.id)
                  .where(below.supervisor_id == User.id).exists())
    bosses = db.session.execute(
        select(User.email, reports.c.n, User.id).join(reports, reports.c.boss == User.id)
        .where(User.active.is_(True), User.is_hr.is_(False), has_branch)).all()
    supervisor = min(bosses, key=lambda r: (abs(r[1] - 10), r[2]))[0]
    hr = db.session.scalar(select(User.email).where(User.is_hr.is_(True), User.active.is_(True))
                           .order_by(User.id).limit(1))
    return {"employee": employee, "supervisor": supervisor, "hr": hr}


def describe(app, roles: dict[str, str]) -> dict:
    """Find the ids the page URLs need and what each person has (for the printed header)."""
    from sqlalchemy import func, select

    from pdplanner.accounts.models import User
    from pdplanner.extensions import db
    from pdplanner.learning.models import Activity, Goal, Occurrence
    from pdplanner.supervision.models import Session

    with app.app_context():
        ids = {role: db.session.scalar(select(User.id).where(User.email == email))
               for role, email in roles.items()}
        employee, supervisor = ids["employee"], ids["supervisor"]
        live_goals = select(Goal.id).where(Goal.owner_id == employee, Goal.deleted_at.is_(None))
        goal_dates = (select(Activity.goal_id, func.count(Occurrence.id).label("n"))
                      .join(Occurrence).where(Activity.goal_id.in_(live_goals),
                                              Activity.deleted_at.is_(None))
                      .group_by(Activity.goal_id).order_by(func.count(Occurrence.id).desc(),
                                                           Activity.goal_id))
        busiest = db.session.execute(goal_dates.limit(1)).first()
        per_goal = goal_dates.subquery()
        dates = db.session.scalar(select(func.coalesce(func.sum(per_goal.c.n), 0)))
        session = db.session.scalar(
            select(Session.id).where(Session.report_id == employee, Session.deleted_at.is_(None))
            .order_by((Session.status == "held").desc(), Session.starts_at.desc()).limit(1))
        direct = db.session.scalars(select(User.id).where(User.supervisor_id == supervisor)
                                    .order_by(User.id)).all()
        branch, frontier = 0, list(direct)
        while frontier:  # the bench's own count of the branch, for the header only
            branch += len(frontier)
            frontier = db.session.scalars(select(User.id).where(
                User.supervisor_id.in_(frontier))).all()
        team_sizes = sorted(db.session.execute(
            select(func.count(), User.team_id).where(User.active.is_(True))
            .group_by(User.team_id)).all())
        info = {
            "goal": busiest[0] if busiest else None,
            "session": session, "report": direct[0] if direct else None,
            "person": employee, "team": team_sizes[len(team_sizes) // 2][1],
            "people": db.session.scalar(select(func.count()).select_from(User)),
            "employee_goals": db.session.scalar(
                select(func.count()).select_from(live_goals.subquery())),
            "employee_dates": dates or 0, "direct": len(direct), "branch": branch,
        }
        db.session.remove()
    return info


def urls(info: dict) -> list[tuple[str, str, str, bool]]:
    """The pages with their ids filled in: (label, role, url, everyday)."""
    return [(label, role, pattern.format(**info), everyday)
            for label, role, pattern, everyday in PAGES]


def passwords(demo: bool) -> str:
    """The password of the accounts the bench signs in as."""
    return DEMO_PASSWORD if demo else PASSWORD
