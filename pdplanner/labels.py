"""Translated labels of stored values (statuses, kinds), translated once per request.

A room registers its tables of lazy labels at start-up; templates call ``label(table,
value)``. Each table is translated once per language (a page listing a hundred goals asks
for no translation per row), and a value without a label is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import has_app_context

from pdplanner.formatting import reader_language

#: Tables of labels by name: {stored value: lazy label}.
TABLES: dict[str, Mapping[str, object]] = {}


def register(name: str, table: Mapping[str, object]) -> None:
    """Make a table of labels known to templates (idempotent)."""
    if TABLES.get(name) is not table:
        for key in [key for key in _TRANSLATED if key[0] == name]:
            del _TRANSLATED[key]  # a new table for this name: translate it again
    TABLES[name] = table


#: Tables already translated, by (table, language): the catalogues do not change while the
#: process runs, so each table is translated once per language, not once per request.
_TRANSLATED: dict[tuple[str, str], dict[str, str]] = {}


def translated(name: str) -> dict[str, str]:
    """Return the table `name` in the current language."""
    if not has_app_context():
        return {value: str(text) for value, text in TABLES[name].items()}
    key = (name, reader_language())
    table = _TRANSLATED.get(key)
    if table is None:
        table = _TRANSLATED[key] = {value: str(text) for value, text in TABLES[name].items()}
    return table


def label(name: str, value: object) -> str:
    """Return the label of `value` in table `name` (the value itself when it has none)."""
    return translated(name).get(value, value)
