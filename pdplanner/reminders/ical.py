"""Build an RFC 5545 calendar from plain events; knows nothing of models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event


@dataclass(frozen=True)
class CalendarEvent:
    """One event: a timed slot in a time zone, or a whole day."""

    uid: str
    summary: str
    start: datetime | date
    minutes: int = 60
    description: str = ""
    url: str = ""


def build(events: list[CalendarEvent], name: str, zone: str) -> bytes:
    """Return the calendar as bytes, times given in `zone` with its VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", "-//pdplanner//learning and supervision//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(ZoneInfo("UTC"))
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        if isinstance(item.start, datetime):
            start = item.start.astimezone(ZoneInfo(zone))
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=item.minutes))
        else:
            event.add("dtstart", item.start)
            event.add("dtend", item.start + timedelta(days=1))
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
