"""The reminder scheduler: the job table, and the one place jobs enter an app context."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

log = logging.getLogger(__name__)

def _sweep() -> None:
    """Plan and deliver due reminders (the outbox makes it exactly-once)."""
    from pdplanner.reminders.services import sweep

    log.info("reminder sweep: %s", sweep())


def _top_up_sessions() -> None:
    """Keep every schedule's sessions planned three months ahead."""
    from pdplanner.supervision.cadence import top_up_all

    top_up_all()


def _refresh_insights() -> None:
    """Rebuild the insights dashboard's snapshot."""
    from pdplanner.insights.snapshot import refresh

    log.info("insights refreshed in %.2f s", refresh().seconds)


#: (job id, function taking no arguments, config key holding seconds between runs).
JOBS: list[tuple[str, Callable[[], None], str]] = [
    ("reminders.sweep", _sweep, "REMINDER_SWEEP_SECONDS"),
    ("supervision.top_up", _top_up_sessions, "SESSION_TOP_UP_SECONDS"),
    ("insights.refresh", _refresh_insights, "INSIGHTS_REFRESH_SECONDS"),
]


def _in_context(app: Flask, func: Callable[[], None]) -> Callable[[], None]:
    """Wrap a job so it runs inside a fresh app context and never kills the scheduler."""

    def run() -> None:
        with app.app_context():
            try:
                func()
            except Exception:
                log.exception("scheduled job %s failed", func.__name__)

    return run


def build(app: Flask, blocking: bool):
    """Create a UTC scheduler holding every job (coalesced, one instance each)."""
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(timezone="UTC", job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": None})
    for job_id, func, seconds_key in JOBS:
        scheduler.add_job(_in_context(app, func), "interval", id=job_id,
                          seconds=app.config[seconds_key], next_run_time=datetime.now(UTC))
    return scheduler


def start_background(app: Flask) -> BackgroundScheduler:
    """Start the scheduler in a thread, for the single-process demo only."""
    scheduler = build(app, blocking=False)
    scheduler.start()
    return scheduler
