"""My team keeps a page of a branch per process under the people stamp: any change to who is
in the branch, or how they are named, shows at once (in another worker too), and one viewer's
page is never another's."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, select, update

from pdplanner.accounts.models import User
from pdplanner.accounts.people_stamp import PeopleStamp
from pdplanner.extensions import db
from pdplanner.supervision import my_team
from pdplanner.supervision.branch_pages import BranchPages, Person
from tests.conftest import Client


@contextmanager
def statements(app):
    """Collect the SQL statements run inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _names(app, viewer_id: int) -> list[str]:
    with app.app_context():
        rows, _page = my_team.team(db.session.get(User, viewer_id), date.today(), 1, 50)
        return [r.name for r in rows]


def _stamp(app) -> int:
    with app.app_context():
        return db.session.scalar(select(PeopleStamp.value))


@pytest.fixture
def two_teams(make_user):
    """Two supervisors, each with two reports."""
    ada, bob = make_user("ada@example.org", "Ada Boss"), make_user("bob@example.org", "Bob Boss")
    ada_reports = [make_user(name=f"Ada Report {n}", supervisor_id=ada.id) for n in range(2)]
    bob_reports = [make_user(name=f"Bob Report {n}", supervisor_id=bob.id) for n in range(2)]
    return ada, bob, ada_reports, bob_reports


def test_a_kept_page_reads_only_the_figures_and_the_stamp(app, two_teams):
    """The second look at a page runs one statement that walks no branch."""
    ada = two_teams[0]
    first = _names(app, ada.id)
    with app.app_context():
        viewer = db.session.get(User, ada.id)
        with statements(app) as seen:
            rows, _page = my_team.team(viewer, date.today(), 1, 50)
    assert [r.name for r in rows] == first
    assert len(seen) == 1 and "RECURSIVE" not in seen[0]


def test_each_viewer_sees_only_their_own_kept_branch(app, two_teams):
    """Pages kept for two supervisors never cross, whichever is read first."""
    ada, bob, _ada_reports, _bob_reports = two_teams
    for _ in range(2):
        assert _names(app, ada.id) == ["Ada Report 0", "Ada Report 1"]
        assert _names(app, bob.id) == ["Bob Report 0", "Bob Report 1"]


def test_a_report_moved_to_another_supervisor_leaves_the_kept_page_at_once(app, two_teams):
    """Moving someone bumps the stamp in the same transaction: both pages change at once."""
    ada, bob, ada_reports, _bob_reports = two_teams
    _names(app, ada.id), _names(app, bob.id)
    with app.app_context():
        db.session.get(User, ada_reports[0].id).supervisor_id = bob.id
        db.session.commit()
    assert _names(app, ada.id) == ["Ada Report 1"]
    assert _names(app, bob.id) == ["Ada Report 0", "Bob Report 0", "Bob Report 1"]


@pytest.mark.parametrize("change", [{"name": "Zed Renamed"}, {"active": False}])
def test_a_bulk_rename_or_deactivation_shows_at_once(app, two_teams, change):
    """A statement that bypasses the ORM moves the stamp too (the database keeps it)."""
    ada, _bob, ada_reports, _bob_reports = two_teams
    _names(app, ada.id)
    with app.app_context():
        db.session.execute(update(User).where(User.id == ada_reports[0].id).values(**change))
        db.session.commit()
    expected = ["Ada Report 1", "Zed Renamed"] if "name" in change else ["Ada Report 1"]
    assert _names(app, ada.id) == expected


def test_a_new_report_joins_the_kept_page_at_once(app, two_teams, make_user):
    """Someone added below a supervisor appears on their next page."""
    ada = two_teams[0]
    _names(app, ada.id)
    make_user(name="Ada Report 2", supervisor_id=ada.id)
    assert _names(app, ada.id) == ["Ada Report 0", "Ada Report 1", "Ada Report 2"]


def test_the_stamp_moves_only_with_names_supervisors_activity_and_new_people(app, two_teams,
                                                                            make_user):
    """A language or sign-in change keeps the stamp (kept pages stay); a move bumps it."""
    ada, bob, ada_reports, _bob_reports = two_teams
    before = _stamp(app)
    with app.app_context():
        db.session.get(User, ada_reports[0].id).language = "fr"
        db.session.commit()
    assert _stamp(app) == before
    with app.app_context():
        db.session.get(User, ada_reports[0].id).supervisor_id = bob.id
        db.session.commit()
    assert _stamp(app) > before


def test_a_rolled_back_move_keeps_the_stamp(app, two_teams):
    """The bump belongs to the transaction: a move undone leaves kept pages valid."""
    ada, bob, ada_reports, _bob_reports = two_teams
    before = _stamp(app)
    with app.app_context():
        db.session.get(User, ada_reports[0].id).supervisor_id = bob.id
        db.session.flush()
        db.session.rollback()
    assert _stamp(app) == before
    assert _names(app, ada.id) == ["Ada Report 0", "Ada Report 1"]


def test_kept_pages_are_bounded_and_dropped_with_their_stamp():
    """Beyond its size the least recently used page goes; a new stamp drops every page."""
    pages = BranchPages(entries=2)
    page = ([Person(1, "A", None, 1)], 1)
    pages.put(1, "a", page), pages.put(1, "b", page)
    pages.get("a")
    pages.put(1, "c", page)
    assert pages.get("b") is None and pages.get("a") == (1, *page) and len(pages) == 2
    pages.put(2, "d", page)
    assert pages.get("a") is None and pages.get("d") == (2, *page)


@pytest.fixture
def worker_team(two_workers):
    """Two workers' apps on a database holding a supervisor and two reports."""
    with two_workers[0].app_context():
        boss = User(email="boss@example.org", name="Binta Boss")
        db.session.add(boss)
        db.session.flush()
        db.session.add_all([User(email=f"r{n}@example.org", name=f"Report {n}",
                                 supervisor_id=boss.id) for n in range(2)])
        db.session.commit()
    return two_workers


def test_a_move_made_by_one_worker_shows_at_once_in_another(worker_team):
    """A worker that kept a page sees a report moved away through another worker's write."""
    first, second = worker_team
    first.test_client_class = Client
    with first.app_context():
        boss_id = db.session.scalar(select(User.id).where(User.email == "boss@example.org"))
    assert _names(first, boss_id) == ["Report 0", "Report 1"]
    with second.app_context():
        moved = db.session.scalar(select(User).where(User.email == "r0@example.org"))
        moved.supervisor_id = None
        db.session.commit()
    assert _names(first, boss_id) == ["Report 1"]
