"""The reminder scheduler: the job table, and the one place jobs enter an app context."""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

log = logging.getLogger(__name__)

#: (job id, function taking no arguments, seconds between runs). Rooms add their jobs here.
JOBS: list[tuple[str, Callable[[], None], int]] = []


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
    for job_id, func, seconds in JOBS:
        scheduler.add_job(_in_context(app, func), "interval", seconds=seconds, id=job_id)
    return scheduler


def start_background(app: Flask) -> BackgroundScheduler:
    """Start the scheduler in a thread, for the single-process demo only."""
    scheduler = build(app, blocking=False)
    scheduler.start()
    return scheduler
