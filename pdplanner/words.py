"""The words of a page, translated once per process and language: a template's `_()` asks
Flask-Babel's context for the catalogue at every call (tens of microseconds, a goal's page
made about fifty), while these are looked up once.

A room names its page's words (lazy translations) with `table`; its view passes
`words(name)` to the template, which writes `w.why` where it wrote `_("Why")` — the same
text: the translation trusted as markup and formatted as `_()` formats it. A word that names
variables is formatted by the template: `w.chosen_by % {"name": owner.name}` (each value
escaped, as `_()` escapes it). The tables are `labels`' tables: registered, translated and
kept per language there; this module adds only what templates need.
"""

from __future__ import annotations

from types import SimpleNamespace

from markupsafe import Markup

from pdplanner import labels


def table(name: str, **lazy_words) -> None:
    """Name a page's words (named again, they are translated again)."""
    labels.register(name, lazy_words, as_text=_as_template_gives)


def _as_template_gives(lazy) -> Markup:
    """One word as the templates' `_()` gives it: trusted, and formatted (so `%%` is `%`)
    unless it names variables for the template to fill."""
    text = Markup(str(lazy))  # noqa: S704 (a translation, trusted as _() trusts it)
    return text if "%(" in text else text % {}


def words(name: str) -> SimpleNamespace:
    """Return the table `name` in the reader's language, each word an attribute."""
    return SimpleNamespace(**labels.translated(name))
