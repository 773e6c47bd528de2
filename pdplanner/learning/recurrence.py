"""Pure date arithmetic for plans: occurrences of a recurrence, weeks, streaks."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

#: A recurrence may span at most this long and produce at most this many occurrences.
MAX_SPAN_DAYS = 731
MAX_OCCURRENCES = 200


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def occurrence_dates(start: date, recurrence: str, until: date | None,
                     limit: int = MAX_OCCURRENCES + 1) -> list[date]:
    """List the planned dates of an activity (the first `limit` at most)."""
    if recurrence == "none" or until is None:
        return [start]
    dates, n = [], 0
    while len(dates) < limit:
        if recurrence == "weekly":
            day = start + timedelta(weeks=n)
        elif recurrence == "fortnightly":
            day = start + timedelta(weeks=2 * n)
        else:
            day = add_months(start, n)
        if day > until:
            break
        dates.append(day)
        n += 1
    return dates


def week_start(day: date) -> date:
    """Return the Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def streak(done_days: set[date], today: date) -> int:
    """Count consecutive weeks with learning done, up to this week (or last, if none yet)."""
    weeks = {week_start(d) for d in done_days}
    cursor = week_start(today)
    if cursor not in weeks:
        cursor -= timedelta(weeks=1)
    count = 0
    while cursor in weeks:
        count += 1
        cursor -= timedelta(weeks=1)
    return count
