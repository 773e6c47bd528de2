"""My team and the people list read a page in one statement, figures and size included, and
show what they showed before: each person's counts, names in the reader's language."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, text

from pdplanner.accounts.models import User
from pdplanner.accounts.people_list import people_page
from pdplanner.extensions import db
from pdplanner.learning.models import Occurrence
from pdplanner.supervision import my_team, team_statements
from pdplanner.supervision.models import Session
from tests.learning_factories import make_activity, make_goal


@contextmanager
def counted():
    """Count the SQL statements run inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def branch(make_user):
    """A supervisor with three reports, one of whom supervises two more."""
    boss = make_user("boss@example.org", "Binta Boss")
    reports = [make_user(f"r{n}@example.org", f"Report {n}", supervisor_id=boss.id)
               for n in range(3)]
    below = [make_user(f"b{n}@example.org", f"Below {n}", supervisor_id=reports[0].id)
             for n in range(2)]
    return boss, reports, below


def _set_statuses(app, occurrence_ids: list[int], statuses: list[str]) -> None:
    with app.app_context():
        for occurrence_id, status in zip(occurrence_ids, statuses, strict=True):
            db.session.get(Occurrence, occurrence_id).status = status
        db.session.commit()


def _session(app, boss_id: int, report_id: int, days: int, status: str = "planned") -> None:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    with app.app_context():
        db.session.add(Session(supervisor_id=boss_id, report_id=report_id, starts_at=starts,
                               status=status,
                               held_on=starts.date() if status == "held" else None))
        db.session.commit()


def test_my_team_reads_a_page_and_its_figures_in_one_statement(app, branch):
    """The page of people, their goals, dates and sessions and the branch's size: one
    statement, whatever the branch holds."""
    boss, reports, _below = branch
    goal_id = make_goal(app, reports[1].id)
    make_activity(app, goal_id, days_ago=10, recurrence="weekly", count=3)
    _session(app, boss.id, reports[1].id, days=5)
    with app.app_context(), counted() as seen:
        rows, page = my_team.team(db.session.get(User, boss.id), date.today(), 1, 50)
        assert len(rows) == 5 and page.total == 5
        assert len(seen) == 2  # the viewer (loaded above), then the page and its figures


def test_my_team_counts_each_persons_goals_dates_and_sessions(app, branch):
    """Active shared goals, dates done and missed in 90 days, dates and sessions left open,
    the last session held and the next one, per person; private goals are not counted."""
    boss, reports, _below = branch
    person = reports[1]
    goal_id = make_goal(app, person.id)
    make_goal(app, person.id, title="Private", visibility="private")
    _, dates = make_activity(app, goal_id, days_ago=30, recurrence="weekly", count=4)
    _set_statuses(app, dates, ["done", "done", "missed", "planned"])
    private_goal = make_goal(app, person.id, title="Hidden", visibility="private")
    _, hidden = make_activity(app, private_goal, days_ago=20, recurrence="weekly", count=2)
    _set_statuses(app, hidden, ["done", "missed"])
    _session(app, boss.id, person.id, days=-70, status="held")
    _session(app, boss.id, person.id, days=-2)
    _session(app, boss.id, person.id, days=9)
    with app.app_context():
        rows, _page = my_team.team(db.session.get(User, boss.id), date.today(), 1, 50)
    row = next(r for r in rows if r.id == person.id)
    assert (row.active_goals, row.done, row.missed, row.to_resolve) == (1, 2, 1, 2)
    assert row.adherence == 67 and row.flags == ["no_session"]
    assert row.last_held == date.today() - timedelta(days=70)
    assert row.next_session.date() == (datetime.now(UTC) + timedelta(days=9)).date()
    empty = next(r for r in rows if r.id == reports[2].id)
    assert (empty.active_goals, empty.done, empty.to_resolve) == (0, 0, 0)
    assert empty.flags == ["no_goal", "no_session"]


def test_my_team_lists_direct_reports_first_then_the_branch_with_their_supervisor(app, branch):
    """Direct reports by name, then each level below, each with whom they report to."""
    boss, _reports, _below = branch
    with app.app_context():
        rows, _page = my_team.team(db.session.get(User, boss.id), date.today(), 1, 50)
    assert [(r.name, r.direct, r.via) for r in rows] == [
        ("Report 0", True, "Binta Boss"), ("Report 1", True, "Binta Boss"),
        ("Report 2", True, "Binta Boss"), ("Below 0", False, "Report 0"),
        ("Below 1", False, "Report 0")]


def test_a_page_past_the_end_of_my_team_still_knows_the_branch_size(app, branch):
    """Asking for page 9 of a two-page team shows no one, and the pager still says 2 pages."""
    boss, _reports, _below = branch
    with app.app_context():
        rows, page = my_team.team(db.session.get(User, boss.id), date.today(), 9, 3)
    assert rows == [] and page.total == 5 and page.pages == 2 and page.has_prev


def test_my_team_pages_follow_on(app, client, branch):
    """The second page of My team holds the people after the first page's."""
    boss, _reports, _below = branch
    app.config["TEAM_PER_PAGE"] = 3
    client.login(boss.email)
    first = client.get("/team").get_data(as_text=True)
    second = client.get("/team?page=2").get_data(as_text=True)
    assert "Report 2" in first and "Below 0" not in first and "Page 1 of 2" in first
    assert "Below 0" in second and "via Report 0" in second and "Report 2" not in second


def test_people_list_reads_a_page_and_its_size_in_one_statement(app, hr, make_user,
                                                                 make_team, make_level):
    """People with their team, level and supervisor, and how many match: one statement."""
    team, level = make_team("QI"), make_level("Field staff")
    boss = make_user(name="Boss Person", team_id=team.id)
    for n in range(4):
        make_user(name=f"Person {n}", team_id=team.id, level_id=level.id,
                  supervisor_id=boss.id)
    with app.app_context():
        viewer = db.session.get(User, hr.id)
        with counted() as seen:
            page = people_page(viewer, per_page=3)
        assert len(seen) == 1
    assert page.total == 6 and page.pages == 2
    assert [(p.name, p.team, p.level, p.supervisor) for p in page.items] == [
        ("Boss Person", "QI", None, None), (hr.name, None, None, None),
        ("Person 0", "QI", "Field staff", "Boss Person")]


def test_people_list_names_teams_and_levels_in_the_readers_language(app, client, hr,
                                                                    make_user, make_team,
                                                                    make_level):
    """A French reader sees French team and level names, English where none was given."""
    named, unnamed = make_team("Quality", name_fr="Qualité"), make_team("Logistics", name_fr="")
    level = make_level("Field staff")
    with app.app_context():
        db.session.execute(text("UPDATE level SET name_fr = 'Personnel de terrain' "
                                "WHERE id = :id"), {"id": level.id})
        db.session.commit()
    make_user(name="Awa Qualité", team_id=named.id, level_id=level.id)
    make_user(name="Bakary Logistique", team_id=unnamed.id)
    client.login(hr.email)
    english = client.get("/people").get_data(as_text=True)
    assert ">Quality</td>" in english and ">Field staff</td>" in english
    with app.app_context():
        db.session.get(User, hr.id).language = "fr"
        db.session.commit()
    french = client.get("/people").get_data(as_text=True)
    assert ">Qualité</td>" in french and ">Personnel de terrain</td>" in french
    assert ">Logistics</td>" in french


def test_a_page_past_the_end_of_people_still_counts_them(app, hr, make_user):
    """Page 9 of a short list shows no one and still says how many people match."""
    make_user(name="Only One")
    with app.app_context():
        page = people_page(db.session.get(User, hr.id), page=9, per_page=25)
    assert page.items == [] and page.total == 2 and page.has_prev


def test_my_team_counts_dates_from_covering_indexes(app, branch):
    """SQLite reads a person's goals, their activities and dates from the indexes alone."""
    if db_dialect(app) != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL's is read in bench/README.md")
    boss, _reports, _below = branch
    today = date.today()
    values = {"viewer_id": boss.id, "per_page": 50, "offset": 0, "today": today.isoformat(),
              "since": (today - timedelta(days=90)).isoformat(),
              "now": datetime.now(UTC).isoformat(" ")}
    with app.app_context():
        compiled = team_statements.walk().compile(db.engine)
        params = compiled.construct_params(values)
        with db.engine.connect() as connection:
            plan = " | ".join(row[-1] for row in connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}",
                tuple(params[name] for name in compiled.positiontup)))
    for index in ("ix_goal_owner_id_deleted_at_visibility", "ix_activity_goal_id_deleted_at_id",
                  "ix_occurrence_activity_id_planned_on_status"):
        assert f"COVERING INDEX {index}" in plan, plan


def db_dialect(app) -> str:
    """Return the test database's dialect name."""
    with app.app_context():
        return db.engine.dialect.name


def test_my_team_escapes_the_supervisor_named_in_via(app, client, make_user):
    """A supervisor's name shown as "via …" below the direct reports is text, never markup."""
    top = make_user("top@example.org", "Top Director")
    middle = make_user("mid@example.org", "<b>Mid</b> & Co", supervisor_id=top.id)
    make_user("low@example.org", "Low Person", supervisor_id=middle.id)
    client.login(top.email)
    html = client.get("/team").get_data(as_text=True)
    assert "via &lt;b&gt;Mid&lt;/b&gt; &amp; Co" in html and "<b>Mid</b>" not in html


@pytest.mark.parametrize("url", ["/team?page=2147483647", "/people?page=2147483647",
                                 "/lessons?page=2147483647"])
def test_the_last_page_number_a_link_may_carry_answers_an_empty_page(app, client, hr,
                                                                     make_user, url):
    """Page 2,147,483,647 (the largest the address accepts) is past the end, not a 500: its
    offset does not fit 32 bits."""
    boss = make_user("boss@example.org", "Binta Boss")
    make_user("r@example.org", "Rokia Report", supervisor_id=boss.id)
    client.login((boss if url.startswith("/team") else hr).email)
    response = client.get(url)
    assert response.status_code == 200 and "Rokia Report" not in response.get_data(as_text=True)
