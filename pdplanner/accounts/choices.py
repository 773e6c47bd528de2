"""Choice lists for selects, translated at render time."""

from typing import NamedTuple

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from pdplanner.accounts import person_page, queries
from pdplanner.accounts.timezones import sort_key
from pdplanner.forms import choices_of


class PersonFormChoices(NamedTuple):
    """The person form's lists: teams, levels, and supervisors (None: too many to list);
    and the person's direct reports as (id, name), shown beside the form."""

    teams: list
    levels: list
    supervisors: list | None
    reports: list


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


def _language() -> str:
    """Return the reader's language (names of teams and levels follow it)."""
    return str(get_locale() or "en")


def team_choices() -> list:
    """Return active teams and sites with a blank first."""
    return choices_of([("", _l("— none —"))] + [(str(team_id), name) for team_id, name
                                                 in queries.team_names(_language())])


def level_choices() -> list:
    """Return levels, most senior first, with a blank first."""
    return choices_of([("", _l("— none —"))] + [(str(lv.id), lv.name_for(_language()))
                                                 for lv in queries.levels()])


def supervisor_choices(exclude_id: int | None = None) -> list:
    """Return active people as possible supervisors, with a blank first."""
    people = [(str(p.id), f"{p.name} ({p.email or p.phone})") for p in queries.active_people()
              if p.id != exclude_id]
    return choices_of([("", _l("— no supervisor —"))] + people)


def person_form_choices(most: int, person_id: int | None) -> PersonFormChoices:
    """Return the team, level and (if at most `most` people are active, else None)
    supervisor choices of the form of the person `person_id` (None: a new person; never
    their own supervisor), and their direct reports (read with the lists by one
    statement)."""
    found = person_page.person_choices(_language(), most, person_id)
    none = _l("— none —")
    supervisors = None if found.people is None else choices_of(
        [("", _l("— no supervisor —"))] + [(str(p_id), f"{name} ({email or phone})")
                                           for p_id, name, email, phone in found.people
                                           if p_id != person_id])
    return PersonFormChoices(
        choices_of([("", none)] + [(str(t_id), name) for t_id, name in found.teams]),
        choices_of([("", none)] + [(str(lv_id), name) for lv_id, name in found.levels]),
        supervisors, found.reports)


def country_choices() -> list[tuple[str, str]]:
    """Countries with a numbering plan, named in the reader's language, sorted."""
    import phonenumbers

    locale = Locale.parse(str(get_locale() or "en"))
    named = [(code, locale.territories.get(code, code))
             for code in phonenumbers.SUPPORTED_REGIONS if code != "001"]
    return sorted(named, key=lambda pair: sort_key(pair[1]))
