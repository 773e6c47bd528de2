"""The kinds of reminder: what is due, for whom, when (in their time zone), and what it says.

Each kind is a function `find(now, since) -> iterable of Due`; a new room adds its kinds
with `register` (the exchanges issue adds share-backs and "did you apply it?").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

#: Local time at which dated reminders go out.
MORNING = time(8, 0)
#: Catch-up horizons of periodic reminders: a weekly one more than two days late, or a
#: monthly one more than a week late, is dropped (a new installation, long downtime).
WEEKLY_CATCH_UP = timedelta(days=2)
MONTHLY_CATCH_UP = timedelta(days=7)


@dataclass(frozen=True)
class Due:
    """One reminder that is due: to whom, about what, when, and its words' parameters."""

    kind: str
    user_id: int
    subject_ref: str
    due_at: datetime
    link: str
    params: dict = field(default_factory=dict)

    @property
    def dedupe_key(self) -> str:
        """kind:subject:due:channel — the same reminder is never queued twice."""
        return f"{self.kind}:{self.subject_ref}:u{self.user_id}:{self.due_at:%Y%m%dT%H%M}:email"


@dataclass(frozen=True)
class Kind:
    """A kind of reminder, its label for preferences, and how to find what is due."""

    name: str
    label: object
    find: Callable[[datetime, datetime], Iterable[Due]]
    default_on: bool = True
    #: Periodic kinds only: how late one may still go out; older ones are dropped, since
    #: the next period's comes anyway (None: the whole look-back, for one-off reminders).
    catch_up: timedelta | None = None


KINDS: dict[str, Kind] = {}


def register(name: str, label, default_on: bool = True, catch_up: timedelta | None = None):
    """Register a finder function as a kind of reminder (used as a decorator)."""

    def wrap(find):
        KINDS[name] = Kind(name, label, find, default_on, catch_up)
        return find

    return wrap


def local_at(day: date, at: time, zone: str) -> datetime:
    """Return `day` at local time `at` in `zone`, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def day_range(now: datetime, since: datetime) -> tuple[date, date]:
    """Dates worth looking at for a window, with a margin for time zones."""
    return since.date() - timedelta(days=2), now.date() + timedelta(days=2)


#: Labels shown on the preferences page (the finders live in finders.py).
LABELS = {
    "activity_upcoming": _l("An activity is coming up (the day before, 08:00)"),
    "activity_overdue": _l("An activity's date has passed: did it happen?"),
    "session_upcoming": _l("A supervision session is coming up (the day before)"),
    "session_unresolved": _l("A past supervision session is still open"),
    "goal_stale": _l("A goal has had no progress note for 30 days"),
    "no_goal": _l("Monthly: you have no active goal"),
    "supervisor_digest": _l("Weekly digest for supervisors (Monday)"),
    "hr_summary": _l("Monthly summary for HR"),
}
