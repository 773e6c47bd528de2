"""My team's sessions: deleted ones count nowhere, and the sessions left to resolve are shown
a few at a time, oldest first, with how many there are and where the rest are."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.supervision import my_team
from pdplanner.supervision.models import Session
from pdplanner.types import utcnow


@pytest.fixture
def pair(make_user):
    """A supervisor and one report."""
    boss = make_user("boss@example.org", "Binta Boss")
    return boss, make_user("r@example.org", "Rokia Report", supervisor_id=boss.id)


def _session(app, boss_id: int, report_id: int, days: float, status: str = "planned",
             deleted: bool = False) -> int:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    with app.app_context():
        session = Session(supervisor_id=boss_id, report_id=report_id, starts_at=starts,
                          status=status, held_on=starts.date() if status == "held" else None,
                          deleted_at=utcnow() if deleted else None)
        db.session.add(session)
        db.session.commit()
        return session.id


def _row(app, boss_id: int):
    with app.app_context():
        rows, _page = my_team.team(db.session.get(User, boss_id), date.today(), 1, 25)
    return rows[0]


def test_my_team_ignores_deleted_sessions_in_last_next_and_open(app, pair):
    """A deleted session held, left open or coming counts in no figure of the report's row."""
    boss, report = pair
    _session(app, boss.id, report.id, days=-40, status="held")
    _session(app, boss.id, report.id, days=-3, status="held", deleted=True)
    _session(app, boss.id, report.id, days=-2, deleted=True)
    _session(app, boss.id, report.id, days=2, deleted=True)
    _session(app, boss.id, report.id, days=9)
    row = _row(app, boss.id)
    assert row.last_held == date.today() - timedelta(days=40)
    assert row.next_session.date() == (datetime.now(UTC) + timedelta(days=9)).date()
    assert row.to_resolve == 0


def test_sessions_to_resolve_leave_out_deleted_sessions(app, pair):
    """A deleted session that passed while planned is not one to resolve."""
    boss, report = pair
    kept = _session(app, boss.id, report.id, days=-5)
    _session(app, boss.id, report.id, days=-2, deleted=True)
    with app.app_context():
        found = my_team.sessions_to_resolve(db.session.get(User, boss.id))
    assert [s.id for s in found.items] == [kept] and found.total == 1


def test_my_learning_shows_the_next_session_not_a_deleted_one(app, client, pair):
    """The report's home page names their next session; a deleted one before it is not it."""
    boss, report = pair
    gone = _session(app, boss.id, report.id, days=1, deleted=True)
    coming = _session(app, boss.id, report.id, days=3)
    client.login(report.email)
    html = client.get("/").get_data(as_text=True)
    assert f'href="/sessions/{coming}"' in html and "Binta Boss" in html
    assert f'href="/sessions/{gone}"' not in html


def _many_to_resolve(app, boss_id: int, report_id: int, count: int) -> list[int]:
    """`count` past sessions still planned, a day apart, the oldest first."""
    return [_session(app, boss_id, report_id, days=-(count + 1) + n) for n in range(count)]


def test_my_team_shows_the_oldest_sessions_to_resolve_their_total_and_a_link_to_all(
        app, client, pair):
    """Past the first RESOLVE_SHOWN, My team lists the oldest ones, says how many there are
    and links to the page that lists them all."""
    boss, report = pair
    shown = my_team.RESOLVE_SHOWN
    ids = _many_to_resolve(app, boss.id, report.id, shown + 3)
    client.login(boss.email)
    html = client.get("/team").get_data(as_text=True)
    listed = [i for i in ids if f'href="/sessions/{i}"' in html]
    assert listed == ids[:shown]
    assert f'<span class="badge missed">{shown + 3}</span>' in html
    assert f"The oldest {shown} of {shown + 3} are shown." in html
    assert 'href="/team/to-resolve"' in html


def test_my_team_without_more_sessions_to_resolve_than_it_shows_has_no_link(app, client, pair):
    """With RESOLVE_SHOWN sessions or fewer, all are listed and no link leads elsewhere."""
    boss, report = pair
    ids = _many_to_resolve(app, boss.id, report.id, my_team.RESOLVE_SHOWN)
    client.login(boss.email)
    html = client.get("/team").get_data(as_text=True)
    assert all(f'href="/sessions/{i}"' in html for i in ids)
    assert "/team/to-resolve" not in html


def test_every_session_to_resolve_is_on_its_page_a_page_at_a_time(app, client, pair):
    """The sessions-to-resolve page lists them all, oldest first, RESOLVE_PER_PAGE a page."""
    boss, report = pair
    per_page = my_team.RESOLVE_PER_PAGE
    ids = _many_to_resolve(app, boss.id, report.id, per_page + 2)
    client.login(boss.email)
    first = client.get("/team/to-resolve").get_data(as_text=True)
    second = client.get("/team/to-resolve?page=2").get_data(as_text=True)
    assert [i for i in ids if f'href="/sessions/{i}"' in first] == ids[:per_page]
    assert [i for i in ids if f'href="/sessions/{i}"' in second] == ids[per_page:]
    assert "Page 2 of 2" in second


def test_the_sessions_to_resolve_page_shows_only_the_viewers_own(app, client, pair, make_user):
    """Another supervisor's open sessions are not on the page; with none it says so."""
    boss, report = pair
    _many_to_resolve(app, boss.id, report.id, 2)
    other = make_user("other@example.org", "Other Boss")
    client.login(other.email)
    html = client.get("/team/to-resolve").get_data(as_text=True)
    assert "Rokia Report" not in html and "No session is waiting to be resolved." in html
