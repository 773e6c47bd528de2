"""Kinds of reminder as plug-ins: each room declares its own, the app registers them at start.

A kind says how to find what is due, its words in the reader's language, how to tell that its
subject is settled and whether its mail carries a secret link. `reminders/` sends whatever
kinds are registered and knows no other room's models; rooms import this module, never the
other way round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from sqlalchemy import select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation
from pdplanner.extensions import db

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
        return self.key_for("email")

    def key_for(self, channel: str) -> str:
        """Return the dedupe key of this reminder on one channel (email, sms)."""
        return f"{self.kind}:{self.subject_ref}:u{self.user_id}:{self.due_at:%Y%m%dT%H%M}:{channel}"


@dataclass(frozen=True)
class Reader:
    """Who reads a reminder: the person, in their language and time zone."""

    user: User
    language: str
    zone: str
    #: Names already read ({person id: name}); `name()` reads the others one by one.
    names: dict[int, str] = field(default_factory=dict)

    def name(self, user_id: int | None) -> str:
        """Return a person's name for the words ("" when unknown)."""
        if user_id in self.names:
            return self.names[user_id]
        return person_name(user_id)

    def day(self, value: str) -> str:
        """Write an ISO date as the reader says it ("Monday 7 December")."""
        return format_date(date.fromisoformat(value), "EEEE d MMMM", locale=self.language)

    def short_day(self, value: str) -> str:
        """Write an ISO date in digits for a text ("7/12"): no letters that cost a segment."""
        return format_date(date.fromisoformat(value), "d/M", locale=self.language)

    def short_when(self, value: str) -> str:
        """Write an ISO moment in digits, in the reader's zone, for a text ("7/12 09:00")."""
        return format_datetime(datetime.fromisoformat(value), "d/M HH:mm",
                               tzinfo=ZoneInfo(self.zone), locale=self.language)

    def when(self, value: str) -> str:
        """Write an ISO moment in the reader's time zone ("Monday 7 December, 09:00")."""
        return format_datetime(datetime.fromisoformat(value), "EEEE d MMMM, HH:mm",
                               tzinfo=ZoneInfo(self.zone), locale=self.language)


#: (subject, lines, button label), in the current locale.
Words = tuple[str, list[str], str]
#: (lines, button label): a mail's body, in the current locale.
Body = tuple[list[str], str]


@dataclass(frozen=True)
class Kind:
    """A kind of reminder or mail: its words, and for a sweep's kinds how to find them."""

    name: str
    #: The subject line (also the notice's line): no query beyond `reader.name()`.
    subject: Callable[[dict, Reader], str]
    #: The body's lines and button label (may read the agenda or figures).
    body: Callable[[dict, Reader], Body]
    #: Finds what is due in a window (now, since); None for mails a person asks for.
    find: Callable[[datetime, datetime], Iterable[Due]] | None = None
    #: Shown on the preferences page (kinds with a finder only).
    label: object = None
    #: Returns which of these subject refs need nothing more (the mail is then skipped).
    settled: Callable[[set[str]], set[str]] | None = None
    default_on: bool = True
    #: The mail signs someone in: its own template, its link in params, never shown.
    secret_link: bool = False
    #: Periodic kinds only: how late one may still go out; older ones are dropped, since
    #: the next period's comes anyway (None: the whole look-back, for one-off reminders).
    catch_up: timedelta | None = None
    #: The text of its SMS, short (one or two segments with the link); None: the subject.
    sms: Callable[[dict, Reader], str] | None = None
    #: Kinds that ask "did it happen?" by SMS: records a reply (person, subject ref, "done"
    #: or "missed") the way the page's button does; returns False when already settled.
    reply: Callable[[User, str, str], bool] | None = None

    def words(self, params: dict, reader: Reader) -> Words:
        """Return (subject, lines, button label) in the current locale."""
        return (self.subject(params, reader), *self.body(params, reader))

    def text(self, params: dict, reader: Reader) -> str:
        """Return the SMS text (without link or reply code) in the current locale."""
        return (self.sms or self.subject)(params, reader)


KINDS: dict[str, Kind] = {}

#: Calendar sources by name: each gives a person's events (see reminders.ical).
CALENDARS: dict[str, Callable] = {}


def short(text: str, limit: int = 40) -> str:
    """Cut a title for a text message, marking the cut with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def register(*kinds: Kind) -> None:
    """Make these kinds known to the planner, delivery and preferences (idempotent)."""
    for kind in kinds:
        KINDS[kind.name] = kind


def register_calendar(name: str, events: Callable) -> None:
    """Add a source of calendar events `events(user, since, base_url)` (idempotent)."""
    CALENDARS[name] = events


def swept() -> list[Kind]:
    """Return the kinds a sweep looks for, which people may turn on or off."""
    return [kind for kind in KINDS.values() if kind.find is not None]


def is_secret(name: str) -> bool:
    """Tell whether mails of this kind carry a sign-in link (never shown on a page)."""
    kind = KINDS.get(name)
    return kind is not None and kind.secret_link


def ref_ids(refs: set[str], prefix: str) -> set[int]:
    """Return the ids of subject refs like `prefix:12` or `prefix:12:d30`."""
    found = set()
    for ref in refs:
        head, _, rest = ref.partition(":")
        if head == prefix and rest:
            found.add(int(rest.split(":")[0]))
    return found


def settled_among(refs: set[str], prefix: str, column, still_open) -> set[str]:
    """Return the refs `prefix:<id>` whose row no longer matches `still_open` (by `column`)."""
    ids = ref_ids(refs, prefix)
    open_now = set(db.session.scalars(select(column).where(column.in_(ids), still_open)))
    return {f"{prefix}:{i}" for i in ids - open_now}


def zones() -> dict[int, str]:
    """Return every active person's time zone (theirs, else the organisation's)."""
    default = organisation().timezone or "UTC"
    rows = db.session.execute(select(User.id, User.timezone).where(User.active.is_(True)))
    return {user_id: zone or default for user_id, zone in rows}


def person_name(user_id: int | None) -> str:
    """Return a person's name for a mail's words ("" when unknown)."""
    person = db.session.get(User, user_id) if user_id else None
    return person.name if person else ""


def local_at(day: date, at: time, zone: str) -> datetime:
    """Return `day` at local time `at` in `zone`, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def local_today(now: datetime, by_user: dict[int, str]) -> dict[str, date]:
    """Return today's date in each of these people's time zones, by zone."""
    return {zone: now.astimezone(ZoneInfo(zone)).date() for zone in set(by_user.values())}


def day_range(now: datetime, since: datetime) -> tuple[date, date]:
    """Dates worth looking at for a window, with a margin for time zones."""
    return since.date() - timedelta(days=2), now.date() + timedelta(days=2)
