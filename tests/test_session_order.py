"""Session lists grouped (next, coming, past), sessions held early, back links."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from pdplanner.extensions import db
from pdplanner.insights import snapshot
from pdplanner.insights.models import SessionFacts
from pdplanner.supervision.models import Session
from tests.conftest import field_error

TODAY = date.today()


@pytest.fixture
def pair(make_user):
    """A supervisor and a report (in Bamako, UTC+0)."""
    boss = make_user("boss@example.org", "Binta Boss", timezone="Africa/Bamako")
    report = make_user("report@example.org", "Rokia Report", supervisor_id=boss.id)
    return boss, report


def _session(app, boss_id, report_id, days=0, status="planned") -> int:
    """Add a session `days` from today at 10:00 UTC; return its id."""
    with app.app_context():
        day = TODAY + timedelta(days=days)
        session = Session(supervisor_id=boss_id, report_id=report_id, status=status,
                          starts_at=datetime.combine(day, time(10), tzinfo=UTC),
                          held_on=day if status == "held" else None)
        db.session.add(session)
        db.session.commit()
        return session.id


def _groups(html: str) -> dict[str, list[str]]:
    """Map each heading of the list to the session ids under it, in page order."""
    sections = re.findall(r'<h2 id="(\w+)-h">.*?</h2>(.*?)</section>', html, re.S)
    return {name: re.findall(r'href="/sessions/(\d+)"', body) for name, body in sections}


@pytest.mark.parametrize("url", ["/team/{report}/sessions", "/sessions"])
def test_sessions_list_next_then_coming_then_past(app, client, pair, url):
    """The next session first, the coming ones by date, then the past most recent first."""
    boss, report = pair
    ids = {days: _session(app, boss.id, report.id, days) for days in (60, 14, -30, 7, -7)}
    client.login(boss.email if "team" in url else report.email)
    html = client.get(url.format(report=report.id)).get_data(as_text=True)
    assert _groups(html) == {"next": [str(ids[7])], "coming": [str(ids[14]), str(ids[60])],
                             "past": [str(ids[-7]), str(ids[-30])]}


def test_marking_a_future_session_held_asks_for_confirmation(app, client, pair):
    """A session planned for tomorrow is not marked held until the supervisor confirms."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=1)
    client.login(boss.email)
    page = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert 'name="early"' in page
    response = client.post_form(f"/sessions/{session_id}/held", {"held_on": TODAY.isoformat()})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "early").startswith(
        "This session is planned for later")
    with app.app_context():
        assert db.session.get(Session, session_id).status == "planned"
    client.post_form(f"/sessions/{session_id}/held",
                     {"held_on": TODAY.isoformat(), "early": "y"})
    with app.app_context():
        session = db.session.get(Session, session_id)
        assert (session.status, session.held_on) == ("held", TODAY)


def test_a_past_session_is_marked_held_without_the_question(app, client, pair):
    """A session whose time has come is marked held without ticking anything."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=-1)
    client.login(boss.email)
    assert 'name="early"' not in client.get(f"/sessions/{session_id}").get_data(as_text=True)
    client.post_form(f"/sessions/{session_id}/held", {"held_on": TODAY.isoformat()})
    with app.app_context():
        assert db.session.get(Session, session_id).status == "held"


def test_a_session_held_early_counts_in_insights_from_the_day_it_was_held(app, pair):
    """Held today though planned next month, a session counts in this month's figures."""
    boss, report = pair
    _session(app, boss.id, report.id, days=40, status="held")
    with app.app_context():
        db.session.execute(
            Session.__table__.update().values(held_on=TODAY))
        db.session.commit()
        snapshot.refresh()
        rows = db.session.execute(select(SessionFacts.month, SessionFacts.due,
                                         SessionFacts.held)).all()
    assert [tuple(row) for row in rows] == [(snapshot.first_of_month(TODAY), 1, 1)]


def test_a_report_page_leads_back_to_where_the_supervisor_came_from(app, client, pair):
    """From My team's sessions list, from home, or with a foreign address: the right way back."""
    boss, report = pair
    client.login(boss.email)
    back = re.compile(r'<main id="main">\s*<p><a href="([^"]*)">([^<]*)</a>')
    history = client.get(f"/team/{report.id}/sessions?back=/team").get_data(as_text=True)
    goals = re.search(rf'href="(/team/{report.id}\?back=[^"]+)"', history).group(1)
    assert back.search(history).groups() == ("/team", "← My team")
    page = client.get(goals.replace("&amp;", "&")).get_data(as_text=True)
    assert back.search(page).groups()[1] == "← Sessions"
    home = client.get(f"/team/{report.id}?back=/").get_data(as_text=True)
    assert back.search(home).groups() == ("/", "← My learning")
    for foreign in ["//evil.example/", "https://evil.example/team", "/\\evil.example"]:
        html = client.get(f"/team/{report.id}", query_string={"back": foreign})
        assert back.search(html.get_data(as_text=True)).groups() == ("/team", "← My team")
