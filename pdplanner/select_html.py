"""A select list written in Python: the same HTML as WTForms' select, each list of options
escaped and written once per process (a person's record lists every team, level and
possible supervisor, the profile 600 time zones), each request marking only its choice."""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import SelectChoice, widgets

from pdplanner.field_html import attributes, text

#: Options already written: {(coerce, ((value, label), …)): ((coerced value, option, option
#: selected), …)}. A page's lists (teams, levels, people) are the same from one request to
#: the next: each is escaped and written once, and a request only marks its chosen one.
_OPTIONS: dict[tuple, tuple[tuple[object, str, str], ...]] = {}
#: Lists kept at most (a few hundred options each), the whole map dropped when full.
_OPTIONS_MAX = 256


def _plain_pairs(choices: list) -> list[tuple] | None:
    """Return (value, label) of each choice, or None if one is not a plain option (in a
    group, with attributes of its own, or of a shape WTForms alone reads)."""
    pairs = []
    for c in choices:
        if type(c) is SelectChoice and c.optgroup is None and not c.render_kw:
            pairs.append((c.value, c.label))
        elif type(c) is tuple and len(c) == 2:
            pairs.append(c)
        else:
            return None
    return pairs


def _written_options(pairs: list[tuple], coerce) -> tuple[tuple[object, str, str], ...]:
    """Return each (value, label) as (the value coerced, its <option>, the same selected),
    written once per list of choices (values and labels, labels in the reader's language)."""
    shown = tuple((value, text(label)) for value, label in pairs)
    key = (coerce, shown)
    try:
        found = _OPTIONS.get(key)
    except TypeError:  # a value that cannot be a key: write the list each time
        found, key = None, None
    if found is None:
        found = tuple(_option(value, label, coerce) for value, label in shown)
        if key is not None:
            if len(_OPTIONS) >= _OPTIONS_MAX:
                _OPTIONS.clear()
            _OPTIONS[key] = found
    return found


def _option(value, label, coerce) -> tuple[object, str, str]:
    """One choice as (its value coerced, its <option>, the same selected), as WTForms
    writes them (a boolean value as its name, an empty label as the value)."""
    shown = escape(str(value) if isinstance(value, bool) else value)
    inner = f'value="{shown}">{escape(label or value)}</option>'
    return coerce(value), f"<option {inner}", f"<option selected {inner}"


class Select(widgets.Select):
    """WTForms' select, each plain option written straight out (a list of 500 teams or 600
    time zones costs a fraction of the time), with the same HTML."""

    def __call__(self, field, **kwargs) -> Markup:
        """Write a single select of plain choices in one pass: WTForms reads the choices
        twice, builds a Choice per option and formats each through Markup (a person's page
        spent a third of its time on a list of 500 teams); anything else as WTForms does."""
        choices = None if self.multiple else getattr(field, "choices", None)
        pairs = _plain_pairs(choices) if isinstance(choices, list) else None
        if pairs is None:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = dir(field.flags)
        for key in self.validation_attrs:
            if key in flags and key not in kwargs:
                kwargs[key] = getattr(field.flags, key)
        data = field.data
        options = "".join(chosen if value == data else plain
                          for value, plain, chosen in _written_options(pairs, field.coerce))
        # Every value and label went through escape() (a lazy translation is trusted, as
        # WTForms trusts it), and `attributes` escapes the attributes: the whole is safe.
        written = attributes(dict(kwargs, name=field.name))
        return Markup(f"<select {written}>{options}</select>")  # noqa: S704

    @classmethod
    def render_option(cls, choice, **kwargs) -> Markup:
        """Write one option, as WTForms would (attributes in name order)."""
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = Markup(" selected") if choice.selected else ""
        return Markup('<option%s value="%s">%s</option>') % (
            selected, value, choice.label or choice.value)


def options(pairs, selected) -> Markup:
    """Return a filter's <option>s for (value, label) pairs, `selected` (a query-string
    value) marked: one string for a list of hundreds of teams."""
    chosen = str(selected) if selected is not None else None
    return Markup("".join(  # noqa: S704 (each value and label escaped)
        f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
        f'{escape(label)}</option>' for value, label in pairs))
