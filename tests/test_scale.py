"""Every daily page costs what it shows: its SQL statement count is the same for a small
organisation and for one with twice the people, a deeper branch and a longer history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from pdplanner.accounts.models import Team, User
from pdplanner.exchanges.models import Exchange, Lesson, Partner
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, CheckIn, Goal, Occurrence
from pdplanner.reminders.models import Notification
from pdplanner.security import hash_password
from pdplanner.supervision.models import Session
from tests.conftest import PASSWORD


class Organisation:
    """A supervisor with a branch, their report with a history, and HR; `grow` adds more."""

    def __init__(self, app):
        self.app, self.rounds = app, 0
        with app.app_context():
            self.team = Team(name="Team A", kind="team")
            db.session.add(self.team)
            db.session.flush()
            self.hr = self._person("hr", signs_in=True, is_hr=True)
            self.director = self._person("director", signs_in=True)
            self.supervisor = self._person("supervisor", self.director, signs_in=True)
            self.employee = self._person("employee", self.supervisor, signs_in=True)
            db.session.commit()
            self.ids = {name: getattr(self, name).id
                        for name in ("hr", "director", "supervisor", "employee")}
            self.team_id = self.team.id
        self.grow()
        with app.app_context():
            self.goal_id = db.session.scalar(db.select(Goal.id).where(
                Goal.owner_id == self.ids["employee"]).order_by(Goal.id).limit(1))
            self.session_id = db.session.scalar(db.select(Session.id).where(
                Session.report_id == self.ids["employee"]).order_by(Session.id).limit(1))

    def _person(self, name: str, supervisor: User | None = None, signs_in: bool = False,
                **fields) -> User:
        person = User(email=f"{name}@example.org", name=name.title(), team_id=self.team.id,
                      password_hash=hash_password(PASSWORD) if signs_in else None,
                      supervisor_id=supervisor.id if supervisor else None, **fields)
        db.session.add(person)
        db.session.flush()
        return person

    def grow(self) -> None:
        """Add a round of people (two levels below the supervisor) and of history."""
        self.rounds += 1
        n, today = self.rounds, date.today()
        with self.app.app_context():
            supervisor = db.session.get(User, self.ids["supervisor"])
            employee = db.session.get(User, self.ids["employee"])
            for i in range(3):
                report = self._person(f"r{n}-{i}", supervisor=supervisor)
                below = self._person(f"r{n}-{i}-a", supervisor=report)
                self._person(f"r{n}-{i}-b", supervisor=below)  # one level deeper each round
                self._history(report, supervisor, today)
            self._history(employee, supervisor, today)
            for i in range(3):
                db.session.add(Notification(dedupe_key=f"n{n}-{i}", user_id=employee.id,
                                            kind="no_goal", link="/goals"))
            self._exchange(supervisor, today)
            db.session.commit()
            from pdplanner.insights.snapshot import refresh

            refresh()

    def _exchange(self, supervisor: User, today: date) -> None:
        """An exchange with its own partner, a lesson and a deleted lesson."""
        n = self.rounds
        exchange = Exchange(title=f"Visit {n}", kind="visit_to", ends_on=today,
                            starts_on=today - timedelta(days=n), created_by_id=supervisor.id,
                            share_back_due_on=today + timedelta(days=30))
        exchange.partners = [Partner(name=f"Clinic {n}", folded_name=f"clinic {n}")]
        exchange.lessons = [Lesson(author_id=supervisor.id, title=f"Lesson {n}"),
                            Lesson(author_id=supervisor.id, title=f"Gone {n}",
                                   deleted_at=datetime.now(UTC))]
        db.session.add(exchange)

    def _history(self, person: User, supervisor: User, today: date) -> None:
        """Goals with check-ins, dated activities (past, this week, coming) and sessions."""
        for status in ("active", "achieved", "suggested"):
            goal = Goal(owner_id=person.id, title=f"Goal {status}", status=status,
                        visibility="shared", suggested_by_id=supervisor.id)
            goal.checkins = [CheckIn(progress=40, on=today)]
            db.session.add(goal)
            db.session.flush()
            for start in (-20, -2, 10):
                activity = Activity(goal_id=goal.id, kind="reading", title="Read",
                                    starts_on=today + timedelta(days=start))
                activity.occurrences = [Occurrence(planned_on=today + timedelta(days=start + k))
                                        for k in (0, 1)]
                db.session.add(activity)
        now = datetime.now(UTC).replace(microsecond=0)
        for days, status in ((-40 - self.rounds, "held"), (-3 - self.rounds, "planned"),
                             (20 + self.rounds, "planned")):
            db.session.add(Session(supervisor_id=supervisor.id, report_id=person.id,
                                   starts_at=now + timedelta(days=days), status=status,
                                   held_on=(now + timedelta(days=days)).date()
                                   if status == "held" else None))


@pytest.fixture
def org(app):
    """A small organisation; pages are signed in as whoever the test needs."""
    app.config.update(TEAM_PER_PAGE=4, PEOPLE_PER_PAGE=4, LESSONS_PER_PAGE=4)
    return Organisation(app)


def statements(app, client, url: str) -> int:
    """Count the SQL statements of one GET of `url` (after a warm-up GET)."""
    assert client.get(url).status_code == 200
    seen = []

    def record(*_args):
        seen.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)


def same_cost(app, client, org: Organisation, who: str, url) -> tuple[int, int]:
    """Return the statement counts of a page before and after the organisation grows."""
    client.login(f"{who}@example.org")
    small = statements(app, client, url(org) if callable(url) else url)
    org.grow()
    org.grow()
    return small, statements(app, client, url(org) if callable(url) else url)


def test_home_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", "/")
    assert small == large


def test_goals_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", "/goals")
    assert small == large


def test_a_goal_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", lambda o: f"/goals/{o.goal_id}")
    assert small == large


def test_a_goal_with_more_activities_and_check_ins_costs_the_same(app, client, org):
    """The goal page reads every activity's dates, skills, aims and check-ins together, not
    one query per activity."""
    client.login("employee@example.org")
    url = f"/goals/{org.goal_id}"
    before = statements(app, client, url)
    today = date.today()
    with app.app_context():
        goal = db.session.get(Goal, org.goal_id)
        for k in range(4):
            activity = Activity(goal_id=goal.id, kind="course", title=f"More {k}",
                                starts_on=today + timedelta(days=k))
            activity.occurrences = [Occurrence(planned_on=today + timedelta(days=k + 7 * w))
                                    for w in range(3)]
            db.session.add(activity)
            db.session.add(CheckIn(goal_id=goal.id, progress=50 + k, on=today))
        db.session.commit()
    after = statements(app, client, url)
    assert after == before
    assert "More 3" in client.get(url).get_data(as_text=True)


def test_plan_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", "/plan")
    assert small == large


def test_printable_plan_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", "/plan/print")
    assert small == large


def test_my_sessions_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", "/sessions")
    assert small == large


def test_a_session_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "supervisor",
                             lambda o: f"/sessions/{o.session_id}")
    assert small == large


def test_my_team_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "supervisor", "/team")
    assert small == large


def test_sessions_to_resolve_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "supervisor", "/team/to-resolve")
    assert small == large


def test_a_directors_whole_branch_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "director", "/team")
    assert small == large


def test_a_reports_page_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "supervisor",
                             lambda o: f"/team/{o.ids['employee']}")
    assert small == large


def test_a_reports_sessions_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "supervisor",
                             lambda o: f"/team/{o.ids['employee']}/sessions")
    assert small == large


def test_lessons_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", "/lessons")
    assert small == large


def test_exchanges_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", "/exchanges")
    assert small == large


def test_the_exchanges_list_counts_each_exchanges_live_lessons_only(app, client, org):
    client.login("employee@example.org")
    page = client.get("/exchanges").get_data(as_text=True)
    assert "Visit 1" in page and "1 lesson" in page and "2 lessons" not in page


def test_people_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "hr", "/people")
    assert small == large


def test_a_persons_record_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "hr", lambda o: f"/people/{o.ids['employee']}")
    assert small == large


def test_a_persons_record_with_a_typed_supervisor_costs_the_same_at_two_sizes(app, client, org):
    app.config["SUPERVISOR_SELECT_MAX"] = 5
    small, large = same_cost(app, client, org, "hr", lambda o: f"/people/{o.ids['employee']}")
    assert small == large


def test_adding_a_person_with_a_typed_supervisor_costs_the_same_at_two_sizes(app, client, org):
    app.config["SUPERVISOR_SELECT_MAX"] = 5
    small, large = same_cost(app, client, org, "hr", "/people/new")
    assert small == large


def test_profile_costs_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", "/profile")
    assert small == large


def test_notifications_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "employee", "/notifications")
    assert small == large


def test_insights_for_the_organisation_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "hr", "/insights")
    assert small == large


def test_insights_for_one_team_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "hr", lambda o: f"/insights?team={o.team_id}")
    assert small == large


def test_insights_for_a_branch_cost_the_same_at_two_sizes(app, client, org):
    small, large = same_cost(app, client, org, "supervisor", "/insights")
    assert small == large
