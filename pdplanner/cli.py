"""The `pdplanner` command: Flask's commands (run, shell, db) plus ours."""

from __future__ import annotations

import getpass
import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from pdplanner import backup as backups
from pdplanner import create_app


def _factory():
    """Build the app for the command line."""
    return create_app()


@click.group(cls=FlaskGroup, create_app=_factory, add_version_option=False)
def main():
    """pdplanner: staff professional-development planner."""


@main.command("seed-demo")
@with_appcontext
def seed_demo():
    """Create or refresh the demo organisation (safe to run again)."""
    from pdplanner import demo

    demo.seed()
    click.echo("Demo organisation seeded.")


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def demo_command(host: str, port: int):
    """Migrate the SQLite database, seed the demo, and serve with reminders running."""
    from flask_migrate import upgrade

    from pdplanner import demo, scheduler

    app = current_app._get_current_object()
    if not os.environ.get("BASE_URL"):  # links in e-mails point at this server, not :5000
        app.config["BASE_URL"] = demo.base_url(host, port)
    if not app.config.get("MAIL_SERVER"):  # so a person HR adds can follow their invitation
        app.config["MAIL_TO_CONSOLE"] = True
    upgrade()
    if demo.is_empty():
        demo.seed()
        click.echo("Seeded the demo organisation.")
    click.echo(f"\npdplanner demo on http://{host}:{port}/ — sign in as:")
    for label, email, password in demo.sign_ins():
        click.echo(f"  {label:<24} {email:<36} {password}")
    # Werkzeug's reloader would run a second scheduler in its child; we never use it here.
    if os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        scheduler.start_background(app)
    # app.run() refuses to run under the flask CLI; serve with Werkzeug directly.
    from werkzeug.serving import run_simple

    run_simple(host, port, app, use_reloader=False, threaded=True)


@main.group()
def users():
    """Manage people from the command line."""


@users.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["employee", "hr", "admin"]), default="employee")
@click.option("--supervisor", "supervisor_email", help="E-mail of their supervisor.")
@click.option("--level", help="Name of their level.")
@click.option("--team", help="Name of their team or site.")
@click.option("--link", is_flag=True, help="Print a one-time reset link instead of asking.")
@with_appcontext
def users_create(email, name, role, supervisor_email, level, team, link):
    """Add a person; the password comes from standard input, or a reset link is printed."""
    from pdplanner.errors import RuleViolation
    from pdplanner.identity import cli_services

    password = None
    if not link:
        if sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Repeat: "):
                raise click.ClickException("The two passwords differ.")
        else:
            password = sys.stdin.readline().rstrip("\n") or None
    try:
        person, reset = cli_services.create_user(email, name, role, supervisor_email, level,
                                                 team, password)
    except RuleViolation as error:
        raise click.ClickException(f"{error.field or 'error'}: {error.message}") from None
    click.echo(f"Created {person.email} ({role}).")
    if reset:
        click.echo(f"One-time link to choose a password (valid 60 minutes): {reset}")


@users.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "as_email", metavar="EMAIL",
              help="Act for this person: each row must be one they could make on the person "
                   "page (HR cannot change an administrator or give roles).")
@with_appcontext
def users_import(path, as_email):
    """Import staff from a CSV file (all rows or none)."""
    from pdplanner.accounts.queries import find_by_email
    from pdplanner.accounts.staff_apply import import_staff
    from pdplanner.errors import PermissionDenied, RuleViolation

    actor = None
    if as_email is not None:
        actor = find_by_email(as_email)
        if actor is None or not actor.active:
            raise click.ClickException(f"No active person has the e-mail {as_email}.")
    with open(path, "rb") as handle:
        try:
            result = import_staff(actor, handle.read())
        except RuleViolation as error:
            raise click.ClickException(str(error.message)) from None
        except PermissionDenied:
            raise click.ClickException(f"{as_email} may not import staff (HR or admin only)."
                                       ) from None
    if result.errors:
        for line, reason in result.errors:
            click.echo(f"line {line}: {reason}", err=True)
        raise click.ClickException(f"Nothing imported: {len(result.errors)} bad line(s).")
    click.echo(f"Imported: {result.created} created, {result.updated} updated.")


@main.command("serve")
@click.option("--bind", default="0.0.0.0:8000", show_default=True)  # noqa: S104
@click.option("--workers", default=2, show_default=True, type=int)
def serve(bind: str, workers: int):
    """Serve with gunicorn (production); never runs the scheduler."""
    from pdplanner.wsgi_server import run

    run(bind=bind, workers=workers)


@main.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the reminder scheduler in this process (run exactly one of these)."""
    from pdplanner import scheduler

    app = current_app._get_current_object()
    jobs = scheduler.build(app, blocking=True)
    click.echo(f"Scheduler running {len(scheduler.JOBS)} job(s); Ctrl+C to stop.")
    try:
        jobs.start()
    except (KeyboardInterrupt, SystemExit):
        pass


@main.group()
def reminders():
    """Reminder delivery."""


@reminders.command("sweep")
@click.option("--now", "now_text", help="Pretend it is this ISO-8601 time (UTC if naive).")
@with_appcontext
def reminders_sweep(now_text):
    """Run exactly one sweep: queue what is due, deliver the outbox (for cron and tests)."""
    from datetime import UTC, datetime

    from pdplanner.reminders.services import sweep

    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter("use ISO-8601, e.g. 2026-12-01T08:00:00+00:00") from None
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    result = sweep(now)
    click.echo(" ".join(f"{key}={value}" for key, value in result.items()))


@main.group()
def insights():
    """The insights dashboard's figures."""


@insights.command("refresh")
@with_appcontext
def insights_refresh():
    """Rebuild the dashboard's snapshot now (the scheduler does it every 10 minutes)."""
    from pdplanner.insights.snapshot import refresh

    stamp = refresh()
    click.echo(f"Insights refreshed in {stamp.seconds:.2f} s (as of {stamp.as_of}).")


@main.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path):
    """Write a consistent backup (SQLite online backup / pg_dump -Fc) to PATH."""
    backups.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    click.echo(f"Backup written to {path}.")


@main.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path, yes):
    """Replace the database's content with a backup made by `pdplanner backup`."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        backups.check(url, path)
    except backups.RestoreRefused as error:
        raise click.ClickException(f"Nothing restored: {error}.") from None
    if not yes:
        click.confirm("This replaces every record in the database. Continue?", abort=True)
    from pdplanner.extensions import db

    db.session.remove()
    db.engine.dispose()
    try:
        revision = backups.restore(url, path)
    except backups.RestoreRefused as error:
        raise click.ClickException(f"Nothing restored: {error}.") from None
    click.echo("Restored.")
    if revision != backups.head_revision():
        click.echo("The backup comes from an older version: run `pdplanner db upgrade` now.")
