"""A session's page and sheet, read as rows: what they show, and a cost that does not grow
with the session's points, actions, goals, skills or outcomes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from pdplanner.catalog.models import Skill
from pdplanner.extensions import db
from pdplanner.learning.models import Goal, Occurrence, Reflection
from pdplanner.supervision.models import AgendaItem, AgreedAction, GoalReview, Session
from tests.learning_factories import make_activity, make_goal
from tests.test_scale import statements

TODAY = date.today()


@pytest.fixture
def pair(make_user):
    """A supervisor and a report."""
    boss = make_user("boss@example.org", "Binta Boss", timezone="Africa/Bamako")
    report = make_user("report@example.org", "Rokia Report", supervisor_id=boss.id)
    return boss, report


def _session(app, boss_id, report_id, days=1) -> int:
    with app.app_context():
        session = Session(supervisor_id=boss_id, report_id=report_id,
                          starts_at=datetime.combine(TODAY + timedelta(days=days), time(10),
                                                     tzinfo=UTC))
        db.session.add(session)
        db.session.commit()
        return session.id


def _fill(app, session_id, boss_id, report_id, n: int, tag: str) -> None:
    """Give the session `n` more points and actions, and the report `n` more shared goals,
    each with a skill, a review note and a date done with a shared reflection."""
    for k in range(n):
        goal_id = make_goal(app, report_id, title=f"Goal {tag}{k}")
        _, (occurrence_id,) = make_activity(app, goal_id, days_ago=2, title=f"Visit {tag}{k}")
        with app.app_context():
            goal = db.session.get(Goal, goal_id)
            goal.skills.append(Skill(name_en=f"Skill {tag}{k}", name_fr=f"Compétence {tag}{k}",
                                     status="catalogue"))
            occurrence = db.session.get(Occurrence, occurrence_id)
            occurrence.status, occurrence.happened_on = "done", occurrence.planned_on
            db.session.add_all([
                Reflection(occurrence=occurrence, owner_id=report_id, visibility="shared",
                           learned=f"Learned {tag}{k}", apply=f"Apply {tag}{k}"),
                GoalReview(session_id=session_id, goal_id=goal_id,
                           progress_note=f"Note {tag}{k}"),
                AgendaItem(session_id=session_id, author_id=report_id, text=f"Point {tag}{k}"),
                AgreedAction(session_id=session_id, text=f"Action {tag}{k}",
                             owner="supervisor", due_on=TODAY)])
            db.session.commit()


def test_a_session_costs_the_same_with_more_points_actions_goals_and_outcomes(app, client,
                                                                               pair):
    boss, report = pair
    session_id = _session(app, boss.id, report.id)
    _fill(app, session_id, boss.id, report.id, 1, "a")
    client.login(boss.email)
    url = f"/sessions/{session_id}"
    before = statements(app, client, url)
    _fill(app, session_id, boss.id, report.id, 3, "b")
    assert statements(app, client, url) == before
    html = client.get(url).get_data(as_text=True)
    assert all(f"{what} b2" in html for what in ("Goal", "Visit", "Learned", "Apply", "Note",
                                                  "Point", "Action", "Skill"))


def test_the_session_page_shows_each_goals_review_note_and_offers_its_own_skills(app, client,
                                                                                pair):
    boss, report = pair
    session_id = _session(app, boss.id, report.id)
    _fill(app, session_id, boss.id, report.id, 2, "x")
    client.login(boss.email)
    html = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    card = html[html.index("<h3>Goal x0"):html.index("<h3>Goal x1")]
    assert '<p class="quote">Note x0</p>' in card
    assert "Skill x0" in card and "Skill x1" not in card


def test_the_session_sheet_shows_points_actions_outcomes_and_review_notes(app, client, pair):
    boss, report = pair
    session_id = _session(app, boss.id, report.id)
    _fill(app, session_id, boss.id, report.id, 1, "s")
    client.login(report.email)
    html = client.get(f"/sessions/{session_id}/print").get_data(as_text=True)
    assert "Supervision session — Rokia Report" in html and "Binta Boss" in html
    assert all(text in html for text in ("Goal s0", "<td>Note s0</td>", "Visit s0: Done",
                                          "☐ Point s0", "Action s0"))


def test_the_report_sees_the_page_without_the_supervisors_forms(app, client, pair):
    boss, report = pair
    session_id = _session(app, boss.id, report.id)
    _fill(app, session_id, boss.id, report.id, 1, "r")
    client.login(report.email)
    html = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "Session with Binta Boss" in html and "Point r0 <span" in html
    assert "Learned r0" in html and "Save for this goal" not in html
    assert "Save the notes" not in html


def test_the_sessions_list_shows_the_supervisor_and_each_sessions_actions_escaped(app, client,
                                                                                  pair):
    boss, report = pair
    first, second = _session(app, boss.id, report.id, -8), _session(app, boss.id, report.id, 6)
    with app.app_context():
        db.session.add_all([AgreedAction(session_id=first, text="Read <b>the guide</b>",
                                         owner="report"),
                            AgreedAction(session_id=first, text="Call the clinic",
                                         owner="report")])
        db.session.commit()
    client.login(report.email)
    html = client.get("/sessions").get_data(as_text=True)
    assert ("Agreed: Read &lt;b&gt;the guide&lt;/b&gt; · Call the clinic</span>" in html)
    assert html.count("· Binta Boss</span>") == 2 and html.count("Agreed:") == 1
    assert f"/sessions/{second}" in html


def test_a_supervisor_sees_only_the_pairs_sessions_with_their_actions(app, client, pair,
                                                                      make_user):
    boss, report = pair
    other = make_user("other@example.org", "Oumar Other")
    mine = _session(app, boss.id, report.id, -8)
    theirs = _session(app, other.id, report.id, -9)
    with app.app_context():
        db.session.add_all([AgreedAction(session_id=mine, text="Our action", owner="report"),
                            AgreedAction(session_id=theirs, text="Their action",
                                         owner="report")])
        db.session.commit()
    client.login(boss.email)
    html = client.get(f"/team/{report.id}/sessions").get_data(as_text=True)
    assert "Agreed: Our action" in html and "Their action" not in html
    assert f"/sessions/{theirs}\"" not in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_goals_heading_carries_the_same_badge_and_bar_as_every_other_page(app, language):
    from types import SimpleNamespace

    from flask_babel import force_locale

    from pdplanner.learning import badges
    from pdplanner.supervision.agenda_html import goal_headings

    goal = SimpleNamespace(id=1, title="A <goal>", status="achieved", progress=100,
                           agreed_at=None)
    with app.test_request_context(), force_locale(language):
        heading = goal_headings([goal])[1]
        assert f"{badges.goal_status('achieved')}</h3>" in heading
        assert f"\n    {badges.progress(100)} <p" in heading and "A &lt;goal&gt;" in heading


def test_a_task_done_and_a_point_covered_show_as_such_beside_the_others(app, client, pair):
    from pdplanner.types import utcnow

    boss, report = pair
    session_id = _session(app, boss.id, report.id)
    with app.app_context():
        db.session.add_all([
            AgendaItem(session_id=session_id, author_id=boss.id, text="Covered point",
                       covered=True),
            AgendaItem(session_id=session_id, author_id=report.id, text="Open point"),
            AgreedAction(session_id=session_id, text="Done task", owner="supervisor",
                         done_at=utcnow()),
            AgreedAction(session_id=session_id, text="Open task", owner="supervisor")])
        db.session.commit()
    client.login(boss.email)
    html = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "Covered ✓<span class=\"sr-only\"> — Covered point" in html
    assert "Mark covered<span class=\"sr-only\"> — Open point" in html
    assert "Done ✓<span class=\"sr-only\"> — Done task" in html
    assert "Mark done<span class=\"sr-only\"> — Open task" in html
    assert html.index("Covered point") < html.index("Open point") < html.index("Done task")
