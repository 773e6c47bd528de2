"""English and French are complete: every message in the code has a French translation."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHODS = [("pdplanner/**.py", "python"), ("templates/**.html", "jinja2"),
           ("templates/**.txt", "jinja2")]


def _source_messages() -> set[str]:
    """Extract every translatable message from the code and templates, as pybabel does."""
    found = set()
    # Unlike the default filter, look inside folders starting with "_" (templates/_macros).
    def wanted(path: str) -> bool:
        return not Path(path).name.startswith(".")

    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS, directory_filter=wanted):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def french():
    """The French catalogue."""
    with PO.open("rb") as handle:
        return read_po(handle, locale="fr")


def test_every_message_has_a_french_translation(french):
    """A string added to the code without a French translation fails here."""
    missing = []
    for msgid in sorted(_source_messages()):
        entry = french.get(msgid)
        strings = entry.string if entry else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(values):
            missing.append(msgid)
    assert not missing, f"{len(missing)} message(s) lack French: {missing[:10]}"


def test_french_placeholders_match_english(french):
    """Translations keep the same %(name)s placeholders, or pages would crash."""
    problems = [(m.id, errors) for m, errors in french.check()]
    assert not problems


def test_french_is_served(client, employee, app):
    """The compiled catalogue is found and used."""
    html = client.get("/auth/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Se connecter" in html and '<html lang="fr">' in html


def test_language_choice_order(app, client, make_user):
    """Profile beats cookie beats browser beats the organisation default."""
    person = make_user(language="en")
    client.login(person.email)
    html = client.get("/profile", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    client.logout()
    client.set_cookie("pdplanner_lang", "en")
    html = client.get("/auth/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_plural_messages_have_plural_french(french):
    """An ngettext message needs msgstr[0]/msgstr[1] in French, not a one-form entry."""
    plurals = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS,
            directory_filter=lambda path: not Path(path).name.startswith(".")):
        if isinstance(message, tuple):
            plurals.add(message[0])
    missing = [m for m in sorted(plurals) if not (french.get(m) and french.get(m).pluralizable)]
    assert not missing, f"plural message(s) without French plural forms: {missing}"


@pytest.mark.parametrize(("language", "day", "moment", "long"), [
    ("en", "Thu 21 Nov 2030", "Thu 21 Nov 2030, 10:00", "Thursday 21 November 2030, 10:00"),
    ("fr", "jeu. 21 nov. 2030", "jeu. 21 nov. 2030, 10:00", "jeudi 21 novembre 2030, 10:00"),
])
def test_named_date_styles(app, language, day, moment, long):
    """Templates name a style; Babel's names give the same style, never seconds or a zone."""
    from datetime import UTC, date, datetime, time

    from flask_babel import force_locale

    from pdplanner.formatting import dateformat, datetimeformat, timeformat

    at = datetime(2030, 11, 21, 10, tzinfo=UTC)
    with app.test_request_context(), force_locale(language):
        assert dateformat(date(2030, 11, 21)) == day
        assert dateformat(at, "short") == dateformat(at, "medium") == day
        assert datetimeformat(at) == datetimeformat(at, "short") == moment
        assert datetimeformat(at, "full") == long
        assert datetimeformat(at, "time") == timeformat(at) == timeformat(time(10)) == "10:00"
        assert dateformat(at, "d MMM y") == day.split(" ", 1)[1]  # a written-out pattern
