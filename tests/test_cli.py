"""The pdplanner command: seed-demo, users create/import, backup and restore."""

import threading
from collections import Counter

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from pdplanner import create_app
from pdplanner.accounts.models import Level, User
from pdplanner.cli import main
from pdplanner.extensions import db


@pytest.fixture
def runner(app):
    """A CLI runner bound to the test app."""
    return app.test_cli_runner()


def _invoke(runner, *args, **kwargs):
    return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)


def _snapshot(app):
    with app.app_context():
        return sorted((u.email or "", u.phone or "", u.name, u.level.name if u.level else None,
                       u.supervisor.email if u.supervisor else None, u.language)
                      for u in db.session.scalars(select(User)))


def test_seed_demo_is_idempotent_and_deterministic(app, runner):
    """Seeding twice gives exactly the same organisation."""
    assert _invoke(runner, "seed-demo").exit_code == 0
    first = _snapshot(app)
    assert _invoke(runner, "seed-demo").exit_code == 0
    assert _snapshot(app) == first


def test_demo_organisation_is_realistic(app, runner):
    """About 30 staff, every level, supervisors with 3-8 reports, a third in French."""
    _invoke(runner, "seed-demo")
    with app.app_context():
        people = list(db.session.scalars(select(User)))
        levels = {lv.id for lv in db.session.scalars(select(Level))}
        assert 25 <= len(people) <= 40
        assert {p.level_id for p in people} == levels
        reports = Counter(p.supervisor_id for p in people if p.supervisor_id)
        assert all(3 <= n <= 8 for n in reports.values())
        french = sum(p.language == "fr" for p in people)
        assert 0.25 <= french / len(people) <= 0.45
        assert any(p.is_hr for p in people) and any(p.is_admin for p in people)


def test_users_create_reads_password_from_stdin(app, runner, make_client):
    """A person created with a password on stdin can sign in with it."""
    result = _invoke(runner, "users", "create", "new@example.org", "--name", "New Person",
                     "--role", "hr", input="a fine password\n")
    assert result.exit_code == 0, result.output
    assert make_client().login("new@example.org", "a fine password").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(email="new@example.org")).is_hr


def test_users_create_with_link_prints_a_reset_link(runner):
    """Without a password, a one-time link is printed."""
    result = _invoke(runner, "users", "create", "link@example.org", "--name", "Linked",
                     "--link")
    assert "/auth/reset/" in result.output


def test_users_create_refuses_unknown_supervisor(runner):
    """A clear error for a supervisor who does not exist."""
    result = runner.invoke(main, ["users", "create", "x@example.org", "--name", "X",
                                  "--supervisor", "ghost@example.org", "--link"])
    assert result.exit_code != 0 and "ghost@example.org" in result.output


def test_users_import_reports_bad_lines(app, runner, tmp_path):
    """The command lists each bad line and imports nothing."""
    path = tmp_path / "staff.csv"
    path.write_text("email;name\nok@example.org;Ok\nbroken;Broken\n", encoding="utf-8-sig")
    result = runner.invoke(main, ["users", "import", str(path)])
    assert result.exit_code != 0 and "line 3" in result.output
    with app.app_context():
        assert not db.session.scalar(select(User).filter_by(email="ok@example.org"))


def test_users_import_creates_people(app, runner, tmp_path):
    """A good file is imported from the command line."""
    path = tmp_path / "staff.csv"
    path.write_text("email,name\nok@example.org,Ok\n", encoding="utf-8")
    assert _invoke(runner, "users", "import", str(path)).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(email="ok@example.org"))


def test_backup_and_restore_sqlite(tmp_path):
    """A backup restores the database as it was when taken."""
    database = tmp_path / "live.db"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()  # a backup is restored only at a migration the code knows
        db.session.add(User(email="kept@example.org", name="Kept"))
        db.session.commit()
    backup = tmp_path / "backup.db"
    assert _invoke(runner, "backup", str(backup)).exit_code == 0
    with app.app_context():
        db.session.add(User(email="later@example.org", name="Later"))
        db.session.commit()
    assert _invoke(runner, "restore", str(backup), "--yes").exit_code == 0
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
        db.session.remove()
        db.engine.dispose()
    assert emails == {"kept@example.org"}


def test_backup_during_writes_is_consistent(tmp_path):
    """A backup taken while another thread writes restores to a consistent database."""
    database = tmp_path / "busy.db"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with app.app_context():
        db.create_all()
    stop = threading.Event()

    def writer():
        n = 0
        with app.app_context():
            while not stop.is_set() and n < 2000:
                db.session.add(User(email=f"w{n}@example.org", name=f"W{n}"))
                db.session.commit()
                n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        from pdplanner.backup import backup

        backup(f"sqlite:///{database}", str(tmp_path / "snap.db"))
    finally:
        stop.set()
        thread.join()
    import sqlite3

    snap = sqlite3.connect(tmp_path / "snap.db")
    try:
        assert snap.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = snap.execute("SELECT count(*) FROM user_account").fetchone()[0]
        assert count == snap.execute("SELECT count(DISTINCT email) FROM user_account"
                                     ).fetchone()[0]
    finally:
        snap.close()
    with app.app_context():
        db.engine.dispose()


def test_create_app_starts_no_scheduler_thread():
    """Building the app (as every web worker does) never starts a scheduler."""
    before = {t.ident for t in threading.enumerate()}
    create_app("test")
    started = [t for t in threading.enumerate() if t.ident not in before]
    assert started == []



def test_reminders_sweep_command_runs_one_sweep(app, runner, make_user):
    """`pdplanner reminders sweep --now` queues what is due at that moment."""
    from pdplanner.reminders.models import OutboxMessage

    make_user("nogoal@example.org", "No Goal")
    result = _invoke(runner, "reminders", "sweep", "--now", "2027-03-01T09:00:00")
    assert result.exit_code == 0 and "planned=" in result.output
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.kind)) == "no_goal"
    bad = runner.invoke(main, ["reminders", "sweep", "--now", "tomorrow"])
    assert bad.exit_code != 0 and "ISO-8601" in bad.output
