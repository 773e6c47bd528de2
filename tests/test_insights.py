"""Insights: each figure on a small hand-made organisation whose answers are known."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from pdplanner.accounts.models import Level, Team, User
from pdplanner.extensions import db
from pdplanner.insights.export import neutralise
from pdplanner.learning.models import Activity, Goal, Occurrence, Reflection
from pdplanner.security import hash_password
from pdplanner.supervision.models import Session
from tests.conftest import PASSWORD

TODAY = date.today()
SENTINEL = "INSIGHTS-PRIVATE-SENTINEL-8a1"


@pytest.fixture
def org(app):
    """Field staff: 3 people (2 with goals, 1 learned, 1 supervised); Director: 1, idle."""
    with app.app_context():
        field, director = Level(name="Field staff", rank=1), Level(name="Director", rank=0)
        qi, site = Team(name="QI team"), Team(name="Banconi", kind="site")
        hr = User(email="hr@example.org", name="HR Person", is_hr=True,
                  password_hash=hash_password(PASSWORD), level=director, team=qi)
        boss = User(email="boss@example.org", name="Boss", level=field, team=qi,
                    password_hash=hash_password(PASSWORD))
        a = User(email="a@example.org", name="Awa", level=field, team=site, supervisor=boss,
                 password_hash=hash_password(PASSWORD))
        b = User(email="b@example.org", name="=HYPERLINK(\"http://x\")", level=field, team=site,
                 supervisor=boss)
        db.session.add_all([field, director, qi, site, hr, boss, a, b])
        db.session.flush()
        goal_a = Goal(owner=a, title="Lead QI", status="active", visibility="shared",
                      chosen_by="self")
        goal_b = Goal(owner=b, title="Registers", status="active", visibility="shared",
                      chosen_by="suggested", personal_interest=True)
        done_day = TODAY - timedelta(days=10)
        activity = Activity(goal=goal_a, kind="reading", title="Read", starts_on=done_day)
        activity.occurrences = [
            Occurrence(planned_on=done_day, status="done", happened_on=done_day),
            Occurrence(planned_on=TODAY - timedelta(days=20), status="missed"),
            Occurrence(planned_on=TODAY - timedelta(days=30), status="planned")]
        db.session.add_all([goal_a, goal_b, activity])
        db.session.flush()
        db.session.add(Reflection(occurrence=activity.occurrences[0], owner_id=a.id,
                                  learned=SENTINEL, visibility="shared"))
        for days, status in ((40, "held"), (12, "held"), (5, "missed")):
            day = TODAY - timedelta(days=days)
            db.session.add(Session(supervisor_id=boss.id, report_id=a.id, status=status,
                                   held_on=day if status == "held" else None,
                                   private_notes=SENTINEL,
                                   starts_at=datetime.combine(day, time(10), tzinfo=UTC)))
        db.session.commit()
        return {"hr": hr.email, "boss": boss.email, "a": a.email, "field": field.id}


def _html(client, email, url="/insights"):
    client.login(email)
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_participation_by_level_with_counts(client, org):
    """Field staff: 3 staff (boss included), 2 with a goal, 1 learned, 1 supervised."""
    html = _html(client, org["hr"])
    assert "67 % (2)" in html and "33 % (1)" in html
    assert 'Director <span class="badge missed">Needs attention' in html  # 0 % < 60 %
    assert 'Field staff <span class="badge' not in html  # 67 % meets the target


def test_people_behind_a_figure(client, org):
    """The figure links to exactly the people it counts, and to the others."""
    html = _html(client, org["hr"], f"/insights/people?metric=learned&level={org['field']}")
    assert "Awa" in html and "Boss" not in html
    others = client.get(f"/insights/people?metric=learned&present=0&level={org['field']}")
    assert "Boss" in others.get_data(as_text=True)


def test_choice_protocol_supervision_and_attention(client, org):
    """Self-chosen vs suggested, monthly outcomes, sessions held vs due, who needs attention."""
    html = _html(client, org["hr"])
    assert "1 / 2" in html  # one of two goals self-chosen (and one suggested)
    assert "2 / 3" in html  # the boss held 2 of 3 sessions due
    assert ">28<" in html  # days between the two held sessions
    assert "Activities unresolved for more than 14 days (1)" in html


def test_supervisor_sees_only_their_branch(client, org):
    """A supervisor's dashboard counts their branch only; HR staff are not in it."""
    html = _html(client, org["boss"])
    assert "Learning in your branch" in html
    assert "HR Person" not in html and '<th scope="row">Director' not in html


def test_employee_has_no_dashboard(client, org):
    """Someone without reports and without the HR role gets 403."""
    client.login(org["a"])
    assert client.get("/insights").status_code == 403
    assert client.get("/insights/export/teams.csv").status_code == 403


def test_csv_export_neutralises_formulas(client, org):
    """A name starting with '=' is exported as text."""
    client.login(org["hr"])
    response = client.get("/insights/export/attention.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"),
                                            ("@SUM", "'@SUM"), ("\tx", "'\tx"), ("ok", "ok")])
def test_neutralise(value, expected):
    """Every dangerous first character is neutralised; plain text is untouched."""
    assert neutralise(value) == expected


def test_private_text_never_reaches_the_dashboard_or_exports(client, org):
    """Shared reflections and supervisors' private notes appear in no figure or export."""
    client.login(org["hr"])
    urls = ["/insights", "/insights/people?metric=with_goal"] + [
        f"/insights/export/{n}.csv" for n in ("participation", "protocol", "teams",
                                               "supervision", "growth", "skills",
                                               "attention")]
    for url in urls:
        assert SENTINEL not in client.get(url).get_data(as_text=True), url
