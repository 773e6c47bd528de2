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
    assert [s.id for s in found] == [kept]
