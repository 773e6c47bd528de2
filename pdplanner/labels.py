"""Translated labels of stored values (statuses, kinds), translated once per request.

A room registers its tables of lazy labels at start-up; templates call ``label(table,
value)``. Each table is translated once per language (a page listing a hundred goals asks
for no translation per row), and a value without a label is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import has_app_context

from pdplanner.formatting import reader_language

#: Tables of labels by name: {stored value: lazy label}.
TABLES: dict[str, Mapping[str, object]] = {}
#: How a table's lazy labels become text, when not by `str` (a page's words: `pdplanner.words`).
_AS_TEXT: dict[str, Callable[[object], str]] = {}


def register(name: str, table: Mapping[str, object],
             as_text: Callable[[object], str] = str) -> None:
    """Make a table of labels known to templates (idempotent); `as_text` makes each lazy
    label its text once per language."""
    if TABLES.get(name) is not table or _AS_TEXT.get(name, str) is not as_text:
        for key in [key for key in _TRANSLATED if key[0] == name]:
            del _TRANSLATED[key]  # a new table for this name: translate it again
    TABLES[name] = table
    if as_text is str:
        _AS_TEXT.pop(name, None)
    else:
        _AS_TEXT[name] = as_text


#: Tables already translated, by (table, language): the catalogues do not change while the
#: process runs, so each table is translated once per language, not once per request.
_TRANSLATED: dict[tuple[str, str], dict[str, str]] = {}


def translated(name: str) -> dict[str, str]:
    """Return the table `name` in the current language."""
    if not has_app_context():
        return _translate(name)
    key = (name, reader_language())
    table = _TRANSLATED.get(key)
    if table is None:
        table = _TRANSLATED[key] = _translate(name)
    return table


def _translate(name: str) -> dict[str, str]:
    """Translate the table `name` into the current language, each label made text."""
    as_text = _AS_TEXT.get(name, str)
    return {value: as_text(text) for value, text in TABLES[name].items()}


def label(name: str, value: object) -> str:
    """Return the label of `value` in table `name` (the value itself when it has none)."""
    return translated(name).get(value, value)
