"""Date and time filters for templates: one human style, in the reader's language and zone.

Templates name a style instead of repeating Babel patterns:

- ``value|dateformat`` → "Thu 19 Nov 2026" / "jeu. 19 nov. 2026" (also ``'day'``);
  ``'day_month'`` drops the year, ``'long'`` spells out the day and month.
- ``value|datetimeformat`` → "Thu 19 Nov 2026, 10:00" (also ``'day'``, ``'day_month'``,
  ``'long'``); ``'time'`` gives the time alone.
- ``value|timeformat`` → "10:00".

Babel's own names (short, medium, long, full) map onto these styles, so no page shows
"12/5/26", seconds or a time-zone name: times are always shown in the reader's zone.
Any other string is used as a Babel pattern, as before.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.numbers import NumberPattern, parse_pattern
from flask import g, has_app_context
from flask_babel import format_date, format_datetime, get_locale, get_timezone, get_translations

#: Date styles by name.
DATE_FORMATS = {
    "day": "EEE d MMM y",
    "day_month": "EEE d MMM",
    "long": "EEEE d MMMM y",
}
#: Times: hours and minutes, 24-hour, never seconds or a zone (as e-mails show them).
TIME_FORMAT = "HH:mm"
#: Babel's named formats (and no format at all) mapped onto the styles above.
ALIASES = {None: "day", "short": "day", "medium": "day", "full": "long"}


def reader_locale() -> Locale:
    """Return the request's locale: the one Flask-Babel keeps in g (a new object after
    force_locale or refresh), read without walking its context again."""
    state = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(state, "babel_locale", None)
    return locale or get_locale() or Locale.parse("en")


def reader_language() -> str:
    """Return the request's locale by name ("en", "fr"), kept beside the locale object
    Flask-Babel holds (so `force_locale` is seen at once): a Locale is slow to hash, compare
    and name, and labels and dates ask for it on every row."""
    state = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return str(get_locale() or "en")
    named = getattr(state, "pdplanner_language", None)
    if named is None or named[0] is not locale:
        named = state.pdplanner_language = (locale, str(locale))
    return named[1]


def _date_pattern(format: str | None) -> str:
    name = ALIASES.get(format, format)
    return DATE_FORMATS.get(name, name)


@lru_cache(maxsize=4096)
def _calendar_date(value: date, pattern: str, locale: str) -> str:
    return babel_format_date(value, pattern, locale=locale)


def dateformat(value: date | datetime | None, format: str | None = None) -> str:
    """Format a date (or a UTC datetime, in the reader's zone) in a named style.

    A calendar date reads the same for everyone with the same language, a moment for
    everyone with the same language and zone, so each is formatted once per process (a plan
    shows the same few dozen dates on every view)."""
    if value is None:
        return ""
    if type(value) is date:
        return _calendar_date(value, _date_pattern(format), reader_language())
    return _zoned_date(value, _date_pattern(format), reader_language(), str(reader_zone()))


def reader_zone():
    """Return the request's time zone as Flask-Babel keeps it in g (see reader_locale)."""
    state = g.get("_flask_babel") if has_app_context() else None
    return getattr(state, "babel_tzinfo", None) or get_timezone()


@lru_cache(maxsize=4096)
def _zoned(value: datetime, pattern: str, locale: str, zone: str) -> str:
    # Called with the reader's locale and zone current: they are the key's last two parts.
    return format_datetime(value, pattern)


@lru_cache(maxsize=4096)
def _zoned_date(value: datetime, pattern: str, locale: str, zone: str) -> str:
    return format_date(value, pattern)  # (as _zoned: the locale and zone are current)


def datetimeformat(value: datetime | None, format: str | None = None) -> str:
    """Format a UTC datetime in the reader's zone: a named date style, then the time (once
    per process for a given moment, language and zone: a list of sessions repeats them)."""
    if value is None:
        return ""
    locale = reader_locale()
    if format == "time":
        pattern = TIME_FORMAT
    elif ALIASES.get(format, format) in DATE_FORMATS:
        combine = locale.datetime_formats.get("medium") or "{1}, {0}"
        pattern = str(combine).replace("{1}", _date_pattern(format)).replace("{0}", TIME_FORMAT)
    else:
        pattern = format  # a Babel pattern written out in the template
    return _zoned(value, pattern, reader_language(), str(reader_zone()))


def timeformat(value: datetime | time | None, format: str | None = None) -> str:
    """Format a time of day; a UTC datetime is shown in the reader's zone."""
    if value is None:
        return ""
    pattern = TIME_FORMAT if format in (None, "time", "short", "medium", "long", "full") \
        else format
    if isinstance(value, datetime):
        return format_datetime(value, pattern)
    # A bare time of day (a schedule's hour) is already in its owner's zone.
    return babel_format_time(value, pattern, locale=reader_locale())


@lru_cache(maxsize=8)
def _number_pattern(digits: int) -> NumberPattern:
    return parse_pattern("#,##0." + "0" * digits if digits else "#,##0")


def decimal(value: float | int | None, digits: int = 1) -> str:
    """A number with `digits` decimals, the reader's way ("2.5" / "2,5"); "—" for none.
    The pattern is parsed once (a growth table formats hundreds of cells)."""
    if value is None:
        return "—"
    return _number_pattern(digits).apply(value, reader_locale())


def _translations():
    """Return the translations of the request's current language, found once per language.

    Flask-Babel walks its context three times for every message; a page with a few hundred
    messages asks here instead. The cache follows the locale object Flask-Babel holds, so
    `force_locale` (a mail in the reader's language) and `refresh` are seen at once.
    """
    state = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()
    cached = getattr(state, "pdplanner_translations", None)
    if cached is None or cached[0] is not locale:
        cached = state.pdplanner_translations = (locale, get_translations())
    return cached[1]


def register(app) -> None:
    """Replace Flask-Babel's filters with the named styles above, add `decimal`, and give
    templates a gettext that finds the translations once per request and language."""
    app.jinja_env.filters.update(dateformat=dateformat, datetimeformat=datetimeformat,
                                 timeformat=timeformat, decimal=decimal)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True)
