"""The words of a page, translated once per process and language: a template's `_()` asks
Flask-Babel's context for the catalogue at every call (tens of microseconds, a goal's page
made about fifty), while these are looked up once.

A room names its page's words (lazy translations) with `table`; its view passes
`words(name)` to the template, which writes `w.why` where it wrote `_("Why")` — the same
text: the translation trusted as markup and formatted as `_()` formats it. A word that names
variables is formatted by the template: `w.chosen_by % {"name": owner.name}` (each value
escaped, as `_()` escapes it).
"""

from __future__ import annotations

from types import SimpleNamespace

from markupsafe import Markup

from pdplanner.formatting import reader_language

#: The tables of words by name: {key: lazy translation}.
_TABLES: dict[str, dict[str, object]] = {}
#: Tables already translated, by (name, language).
_TRANSLATED: dict[tuple[str, str], SimpleNamespace] = {}


def table(name: str, **lazy_words) -> None:
    """Name a page's words (named again, they are translated again)."""
    for key in [key for key in _TRANSLATED if key[0] == name]:
        del _TRANSLATED[key]
    _TABLES[name] = lazy_words


def _as_template_gives(lazy) -> Markup:
    """One word as the templates' `_()` gives it: trusted, and formatted (so `%%` is `%`)
    unless it names variables for the template to fill."""
    text = Markup(str(lazy))  # noqa: S704 (a translation, trusted as _() trusts it)
    return text if "%(" in text else text % {}


def words(name: str) -> SimpleNamespace:
    """Return the table `name` in the reader's language, each word an attribute."""
    key = (name, reader_language())
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = SimpleNamespace(**{
            word: _as_template_gives(lazy) for word, lazy in _TABLES[name].items()})
    return found
