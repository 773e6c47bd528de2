"""The printable plan, read as rows: goals in progress with their progress, the supervisor,
the coming weeks' dates and the last weeks' counts."""

from datetime import date

from pdplanner.extensions import db
from pdplanner.learning.models import CheckIn, Occurrence
from tests.learning_factories import make_activity, make_goal


def _status(app, occurrence_id: int, status: str) -> None:
    with app.app_context():
        db.session.get(Occurrence, occurrence_id).status = status
        db.session.commit()


def test_the_printable_plan_names_the_supervisor(app, client, make_user):
    boss = make_user("boss@example.org", "Binta Boss")
    report = make_user("report@example.org", "Rokia Report", supervisor_id=boss.id)
    client.login(report.email)
    assert "Supervisor: Binta Boss" in client.get("/plan/print").get_data(as_text=True)


def test_the_printable_plan_without_a_supervisor_shows_a_dash(app, client, employee):
    client.login(employee.email)
    html = client.get("/plan/print").get_data(as_text=True)
    assert "Supervisor: —" in html and "No goal in progress." in html


def test_the_printable_plan_shows_goals_in_progress_with_their_latest_progress(app, client,
                                                                               employee):
    goal_id = make_goal(app, employee.id, title="Printed goal", success="Ten visits")
    make_goal(app, employee.id, title="Dropped goal", status="dropped")
    with app.app_context():
        db.session.add(CheckIn(goal_id=goal_id, progress=40, on=date.today()))
        db.session.commit()
    client.login(employee.email)
    html = client.get("/plan/print").get_data(as_text=True)
    assert "Printed goal" in html and "<td>Ten visits</td>" in html and "<td>40 %</td>" in html
    assert "Dropped goal" not in html


def test_the_printable_plan_counts_the_last_weeks_and_lists_the_coming_ones(app, client,
                                                                            employee):
    goal_id = make_goal(app, employee.id)
    _, past = make_activity(app, goal_id, days_ago=21, count=3, title="Past visit")
    _, coming = make_activity(app, goal_id, days_ago=-3, count=2, title="Coming visit")
    _status(app, past[0], "done")
    _status(app, past[1], "missed")
    _status(app, coming[1], "rescheduled")
    client.login(employee.email)
    html = client.get("/plan/print").get_data(as_text=True)
    assert "Done: 1 · Missed: 1 · Still to resolve: 1" in html
    assert html.count("Coming visit") == 1 and "Past visit" not in html
