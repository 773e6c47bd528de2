"""Translated labels of stored values (statuses, kinds), translated once per request.

A room registers its tables of lazy labels at start-up; templates call ``label(table,
value)``. Each table is translated once per request and language (a page listing a hundred
goals asks for one translation per label, not one per row), and a value without a label is
shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import g, has_app_context

from pdplanner.formatting import reader_locale

#: Tables of labels by name: {stored value: lazy label}.
TABLES: dict[str, Mapping[str, object]] = {}


def register(name: str, table: Mapping[str, object]) -> None:
    """Make a table of labels known to templates (idempotent)."""
    TABLES[name] = table


def translated(name: str) -> dict[str, str]:
    """Return the table `name` in the current language, translated once per request."""
    if not has_app_context():
        return {value: str(text) for value, text in TABLES[name].items()}
    locale = reader_locale()  # keyed on it, a label costs no walk through Babel's context
    cache = g.setdefault("_labels", {})
    table = cache.get((name, locale))
    if table is None:
        table = cache[(name, locale)] = {value: str(text)
                                         for value, text in TABLES[name].items()}
    return table


def label(name: str, value: object) -> str:
    """Return the label of `value` in table `name` (the value itself when it has none)."""
    return translated(name).get(value, value)
