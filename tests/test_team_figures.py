"""My team keeps each person's figures per process under their figures stamp: every kind of
change to what it counts shows on the next request (in another worker too), a rolled-back
change keeps them, the day and a coming session's start end them, and an unchanged person
is never counted again."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, event, select, update

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Goal, Occurrence
from pdplanner.supervision import my_team
from pdplanner.supervision.kept_figures import EXTENSION, Figures, KeptFigures
from pdplanner.supervision.models import Session
from pdplanner.types import utcnow
from tests.learning_factories import make_activity, make_goal

FIGURES = ("active_goals", "done", "missed", "to_resolve", "last_held", "next_session")


@contextmanager
def statements(app):
    """Collect the SQL statements (and their parameters) My team runs inside the block."""
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, *_args):
        if not statement.startswith("SELECT user_account.id, user_account.email"):
            seen.append((statement, parameters))  # not the viewer's own record

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def figures(app, viewer_id: int, today: date | None = None, fresh: bool = False) -> dict:
    """Each person's figures on the viewer's first page, by name (`fresh`: none kept)."""
    if fresh:
        app.extensions.pop(EXTENSION, None)
    with app.app_context():
        rows, _page = my_team.team(db.session.get(User, viewer_id), today or date.today(), 1, 25)
    return {r.name: tuple(getattr(r, f) for f in FIGURES) for r in rows}


def _session(boss_id: int, report_id: int, days: int, status: str = "planned") -> Session:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    return Session(supervisor_id=boss_id, report_id=report_id, starts_at=starts, status=status,
                   held_on=starts.date() if status == "held" else None)


@pytest.fixture
def world(app, make_user):
    """A supervisor and two reports, Ana with a history of every kind, Bea with a goal."""
    boss = make_user("boss@example.org", "Binta Boss")
    ana = make_user("ana@example.org", "Ana", supervisor_id=boss.id)
    bea = make_user("bea@example.org", "Bea", supervisor_id=boss.id)
    goal = make_goal(app, ana.id)
    activity, dates = make_activity(app, goal, days_ago=30, recurrence="weekly", count=4)
    gone, _gone_dates = make_activity(app, goal, days_ago=20, recurrence="weekly", count=2)
    bea_goal = make_goal(app, bea.id)
    bea_activity, _ = make_activity(app, bea_goal, days_ago=10)
    with app.app_context():
        for occurrence_id, status in zip(dates, ["done", "done", "missed", "planned"],
                                         strict=True):
            db.session.get(Occurrence, occurrence_id).status = status
        db.session.get(Activity, gone).deleted_at = utcnow()
        sessions = [_session(boss.id, ana.id, -70, "held"), _session(boss.id, ana.id, -2),
                    _session(boss.id, ana.id, 9)]
        db.session.add_all(sessions)
        db.session.commit()
        ids = {"boss": boss.id, "ana": ana.id, "bea": bea.id, "goal": goal,
               "activity": activity, "dates": dates, "gone": gone, "bea_goal": bea_goal,
               "bea_activity": bea_activity, "held": sessions[0].id, "open": sessions[1].id,
               "coming": sessions[2].id}
    return ids


def setattr_all(obj, values: dict) -> None:
    """Set every value on `obj`."""
    for name, value in values.items():
        setattr(obj, name, value)


def _date(ids, n: int) -> Occurrence:
    return db.session.get(Occurrence, ids["dates"][n])


def _past(days: int) -> date:
    return date.today() - timedelta(days=days)


#: Every kind of write that changes what My team counts, each as the app or a bulk
#: statement would make it.
CHANGES = {
    "date inserted": lambda ids: db.session.add(Occurrence(activity_id=ids["activity"],
                                                           planned_on=_past(1))),
    "date deleted": lambda ids: db.session.delete(_date(ids, 0)),
    "date status": lambda ids: setattr(_date(ids, 3), "status", "done"),
    "date planned_on": lambda ids: setattr(_date(ids, 0), "planned_on", _past(200)),
    "date moved to another activity": lambda ids: setattr(_date(ids, 0), "activity_id",
                                                          ids["bea_activity"]),
    "bulk date status": lambda ids: db.session.execute(
        update(Occurrence).where(Occurrence.id == ids["dates"][2]).values(status="done")),
    "activity deleted": lambda ids: setattr(db.session.get(Activity, ids["activity"]),
                                            "deleted_at", utcnow()),
    "activity restored": lambda ids: setattr(db.session.get(Activity, ids["gone"]),
                                             "deleted_at", None),
    "activity moved": lambda ids: setattr(db.session.get(Activity, ids["activity"]), "goal_id",
                                          ids["bea_goal"]),
    "activity removed": lambda ids: db.session.execute(
        delete(Activity).where(Activity.id == ids["activity"])),
    "goal visibility": lambda ids: setattr(db.session.get(Goal, ids["goal"]), "visibility",
                                           "private"),
    "goal status": lambda ids: setattr(db.session.get(Goal, ids["goal"]), "status", "achieved"),
    "goal deleted": lambda ids: setattr(db.session.get(Goal, ids["goal"]), "deleted_at",
                                        utcnow()),
    "goal owner": lambda ids: setattr(db.session.get(Goal, ids["goal"]), "owner_id", ids["bea"]),
    "goal inserted": lambda ids: db.session.add(Goal(owner_id=ids["ana"], title="New",
                                                     status="active", visibility="shared")),
    "goal removed": lambda ids: db.session.execute(delete(Goal).where(Goal.id == ids["goal"])),
    "session inserted": lambda ids: db.session.add(_session(ids["boss"], ids["ana"], -1)),
    "session removed": lambda ids: db.session.execute(
        delete(Session).where(Session.id == ids["open"])),
    "session status": lambda ids: setattr_all(db.session.get(Session, ids["open"]),
                                              {"status": "held", "held_on": _past(2)}),
    "session held_on": lambda ids: setattr(db.session.get(Session, ids["held"]), "held_on",
                                           _past(10)),
    "session starts_at": lambda ids: setattr(db.session.get(Session, ids["coming"]),
                                             "starts_at", utcnow() + timedelta(days=3)),
    "session report": lambda ids: setattr(db.session.get(Session, ids["open"]), "report_id",
                                          ids["bea"]),
    "session deleted": lambda ids: setattr(db.session.get(Session, ids["coming"]),
                                           "deleted_at", utcnow()),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_my_team_counts_shows_on_the_next_request(app, world, change):
    """After each kind of write the next request's figures are a fresh count's, not the
    kept ones."""
    before = figures(app, world["boss"])
    with app.app_context():
        CHANGES[change](world)
        db.session.commit()
    after = figures(app, world["boss"])
    assert after != before
    assert after == figures(app, world["boss"], fresh=True)


def test_a_rolled_back_change_keeps_the_kept_figures(app, world):
    """A write undone moves no stamp: the next request counts nobody again."""
    before = figures(app, world["boss"])
    with app.app_context():
        _date(world, 3).status = "done"
        db.session.flush()
        db.session.rollback()
    with statements(app) as seen:
        assert figures(app, world["boss"]) == before
    assert len(seen) == 1 and "GROUP BY" not in seen[0][0]


def test_unchanged_people_are_not_counted_again_and_moved_ones_in_one_statement(
        app, world, make_user):
    """A kept page reads its stamps in one statement; after a change, one more statement
    counts only the people whose stamp moved, however many they are."""
    boss = world["boss"]
    for n in range(3):
        make_user(f"more{n}@example.org", f"More {n}", supervisor_id=boss)
    figures(app, boss)
    with statements(app) as seen:
        figures(app, boss)
    assert len(seen) == 1 and "GROUP BY" not in seen[0][0]
    for moved in (["ana"], ["ana", "bea"]):
        with app.app_context():
            for name in moved:
                db.session.add(_session(boss, world[name], -5 - len(moved)))
            db.session.commit()
        with statements(app) as seen:
            figures(app, boss)
        assert len(seen) == 2 and "GROUP BY" in seen[1][0]
        parameters = seen[1][1]
        values = parameters.values() if isinstance(parameters, dict) else parameters
        assert {v for v in values if v in (world["ana"], world["bea"])} == {
            world[name] for name in moved}


def test_the_next_day_counts_again(app, world):
    """Figures are kept for one day: tomorrow a date planned today is one to resolve."""
    with app.app_context():
        db.session.add(Occurrence(activity_id=world["activity"], planned_on=date.today()))
        db.session.commit()
    today = figures(app, world["boss"])
    tomorrow = figures(app, world["boss"], today=date.today() + timedelta(days=1))
    assert tomorrow["Ana"][3] == today["Ana"][3] + 1
    assert tomorrow == figures(app, world["boss"], today=date.today() + timedelta(days=1),
                               fresh=True)


def test_kept_figures_end_when_the_next_session_starts(app, world, monkeypatch):
    """Once the next coming session has started it is one to resolve, and the one after it
    is the next session."""
    with app.app_context():
        later = _session(world["boss"], world["ana"], 20)
        db.session.add(later)
        db.session.commit()
        later_start = later.starts_at
    before = figures(app, world["boss"])["Ana"]
    after_start = utcnow() + timedelta(days=9, hours=1)
    monkeypatch.setattr(my_team, "utcnow", lambda: after_start)
    after = figures(app, world["boss"])["Ana"]
    assert after[3] == before[3] + 1 and after[5] == later_start


@pytest.fixture
def worker_pair(two_workers):
    """Two workers' apps on a database holding a supervisor, a report and a past session."""
    with two_workers[0].app_context():
        boss = User(email="boss@example.org", name="Binta Boss")
        db.session.add(boss)
        db.session.flush()
        report = User(email="r@example.org", name="Rokia", supervisor_id=boss.id)
        db.session.add(report)
        db.session.flush()
        db.session.add(_session(boss.id, report.id, -3))
        db.session.commit()
    return two_workers


def test_a_session_resolved_through_one_worker_shows_at_once_in_another(worker_pair):
    """A worker that kept a report's figures sees a session resolved by another worker."""
    first, second = worker_pair
    with first.app_context():
        boss_id = db.session.scalar(select(User.id).where(User.email == "boss@example.org"))
    assert figures(first, boss_id)["Rokia"][3] == 1
    with second.app_context():
        session = db.session.scalar(select(Session))
        session.status, session.held_on = "held", session.starts_at.date()
        db.session.commit()
    assert figures(first, boss_id)["Rokia"][3] == 0


def test_kept_figures_are_bounded_least_recently_used_first():
    """Beyond its size the least recently used person goes; another stamp is not used."""
    kept, today, now = KeptFigures(entries=2), date.today(), utcnow()
    some = Figures(1, 0, 0, 0, None, None, 0)
    kept.put(1, today, 5, some), kept.put(2, today, 5, some)
    kept.get(1, today, 5, now)
    kept.put(3, today, 5, some)
    assert kept.get(2, today, 5, now) is None and kept.get(1, today, 5, now) == some
    assert kept.get(1, today, 6, now) is None and len(kept) == 2
