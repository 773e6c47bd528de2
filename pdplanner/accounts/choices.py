"""Choice lists for selects, translated at render time."""

from functools import lru_cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l

from pdplanner.accounts import queries
from pdplanner.forms import choices_of


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """Return the IANA zones people live in (no Etc/ or legacy aliases), sorted."""
    legacy = ("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")
    names = [z for z in available_timezones() if "/" in z and not z.startswith(legacy)]
    return tuple(sorted(names))


def timezone_choices(blank_label=None) -> list:
    """Return (value, label) pairs for a time zone select, optionally with a blank first."""
    choices = [(z, z.replace("_", " ")) for z in timezone_names()]
    return choices_of(([("", blank_label)] if blank_label else []) + choices)


def language_choices(blank_label=None) -> list:
    """Return English and French, optionally after a blank "automatic" choice."""
    choices = [("en", "English"), ("fr", "Français")]
    return choices_of(([("", blank_label)] if blank_label else []) + choices)


def cadence_choices() -> list:
    """Return the supervision cadences."""
    return choices_of([("weekly", _l("Every week")), ("fortnightly", _l("Every 2 weeks")),
                       ("four_weekly", _l("Every 4 weeks")), ("monthly", _l("Every month"))])


def team_kind_choices() -> list:
    """Return the kinds of team."""
    return choices_of([("team", _l("Team")), ("site", _l("Site"))])


def team_choices() -> list:
    """Return active teams and sites with a blank first."""
    return choices_of([("", _l("— none —"))] + [(str(t.id), t.name) for t in queries.teams()])


def level_choices() -> list:
    """Return levels, most senior first, with a blank first."""
    return choices_of([("", _l("— none —"))] + [(str(lv.id), lv.name) for lv in queries.levels()])


def supervisor_choices(exclude_id: int | None = None) -> list:
    """Return active people as possible supervisors, with a blank first."""
    people = [(str(p.id), f"{p.name} ({p.email})") for p in queries.active_people()
              if p.id != exclude_id]
    return choices_of([("", _l("— no supervisor —"))] + people)
