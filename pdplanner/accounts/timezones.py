"""The time-zone select: its ~600 options written once per language and process.

Every profile and person page shows the whole list; building 600 choices and escaping each
one per request cost more than the rest of those pages together. The options' HTML is
made once per (language, blank label) and only the chosen one is marked on each page.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

from babel import Locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import SelectChoice
from wtforms.validators import ValidationError

from pdplanner.field_html import text
from pdplanner.formatting import reader_language
from pdplanner.forms import SelectField

#: The error of a zone the list does not offer (a page of ours never sends one).
UNKNOWN_ZONE = _l("Choose a time zone from the list.")


@lru_cache(maxsize=1)
def zones_by_country() -> tuple[tuple[str, str], ...]:
    """(country code, zone) for each zone people live in, from tzdata's zone.tab: current
    names only (Asia/Kolkata, not the old alias Asia/Calcutta), no Etc/ or legacy zones."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone = line.split("\t")[:3]
            rows.append((code, zone))
    return tuple(rows)


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """Every zone the select offers (UTC included)."""
    return frozenset(zone for _code, zone in zones_by_country()) | {"UTC"}


def sort_key(label: str) -> str:
    """Sort labels as a reader expects: accents and case aside ("États-Unis" with the E)."""
    return "".join(c for c in unicodedata.normalize("NFD", label.casefold())
                   if not unicodedata.combining(c))


@lru_cache(maxsize=8)
def named_zones(language: str) -> tuple[tuple[str, str], ...]:
    """(zone, "Country — City") in one language, sorted: built once per language."""
    locale = Locale.parse(language)
    named = [(zone, f"{locale.territories.get(code, code)} — "
                    f"{zone.rsplit('/', 1)[-1].replace('_', ' ')}")
             for code, zone in zones_by_country()]
    named.sort(key=lambda pair: sort_key(pair[1]))
    return (*named, ("UTC", "UTC"))


@lru_cache(maxsize=16)
def _options(language: str, blank: str | None) -> Markup:
    """The options' HTML, none selected, in one language (the blank one first if given)."""
    pairs = ([("", blank)] if blank is not None else []) + list(named_zones(language))
    return Markup("").join(Markup('<option value="%s">%s</option>') % pair for pair in pairs)


def _attributes(**kwargs) -> Markup:
    """Write attributes in name order as WTForms does: True gives the bare name, False or
    None leaves it out, `aria_x` and `data_x` become `aria-x` and `data-x`."""
    parts = []
    for key in sorted(kwargs):
        value = kwargs[key]
        if value is None or value is False:
            continue
        name = key.replace("_", "-") if key.startswith(("aria_", "data_")) else key
        parts.append(escape(name) if value is True
                     else Markup('%s="%s"') % (name, value))
    return Markup(" ").join(parts)


class TimeZoneSelect:
    """Render the select from the cached options, marking the field's value selected
    exactly as WTForms' select does (`<option selected value="…">`)."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        if field.flags.required and "required" not in kwargs:
            kwargs["required"] = True
        options = str(_options(reader_language(), field.blank_label()))
        if isinstance(field.data, str):
            chosen = escape(field.data)
            options = options.replace(f'<option value="{chosen}">',
                                      f'<option selected value="{chosen}">', 1)
        # The options are escaped when cached, the value above, the attributes by
        # `_attributes`: the whole is safe.
        return Markup(f"<select {_attributes(name=field.name, **kwargs)}>{options}</select>")  # noqa: S704


class TimeZoneField(SelectField):
    """A time zone by its tz name, or the blank choice (the organisation's zone) if given."""

    widget = TimeZoneSelect()

    def __init__(self, label=None, validators=None, blank=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.blank = blank

    def blank_label(self) -> str | None:
        """The blank choice's label in the reader's language, or None without one."""
        return str(text(self.blank)) if self.blank is not None else None

    @property
    def choices(self) -> list[SelectChoice]:
        """The choices as WTForms lists them (the page itself uses the cached HTML)."""
        blank = self.blank_label()
        return [SelectChoice(value, label) for value, label in
                ([("", blank)] if blank is not None else []) + list(named_zones(reader_language()))]

    @choices.setter
    def choices(self, value) -> None:
        """Ignore WTForms' own setting of choices: they always come from tzdata."""

    def pre_validate(self, form) -> None:
        """Accept a known zone, or the blank choice when the field offers one."""
        if self.data in known_zones() or (self.data == "" and self.blank is not None):
            return
        raise ValidationError(UNKNOWN_ZONE)
