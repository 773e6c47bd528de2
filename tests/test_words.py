"""A page's words translated once per language give the same text as the templates' `_()`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from pdplanner import labels, words

TEMPLATE_GETTEXT = ('{{ _("Chosen by %(name)s", name=who) }}|{{ _("Only me") }}|'
                    '{{ _("%(label)s: %(value)s", label="40 %", value=who) }}')
WORDS = ('{{ w.chosen_by % {"name": who} }}|{{ w.only_me }}|'
         '{{ w.label_value % {"label": "40 %", "value": who} }}')


def test_a_pages_words_read_as_the_templates_gettext_gives_them(app):
    words.table("test_words", chosen_by=_l("Chosen by %(name)s"), only_me=_l("Only me"),
                label_value=_l("%(label)s: %(value)s"))
    for language in ("en", "fr", "en"):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            values = {"who": "<b>Awa & co</b>"}
            expected = app.jinja_env.from_string(TEMPLATE_GETTEXT).render(values)
            given = app.jinja_env.from_string(WORDS).render(w=words.words("test_words"),
                                                            **values)
        assert given == expected
        assert ("Choisi par" in given) == (language == "fr")
        assert "&lt;b&gt;Awa &amp; co" in given


def test_a_pages_words_are_kept_as_labels_tables_once_per_language(app):
    """`words` keeps no tables of its own: a page's words are `labels`' table, translated
    (and made markup) once per language there."""
    words.table("test_kept", only_me=_l("Only me"), percent=_l("100%%"))
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        kept = labels.translated("test_kept")
        assert kept is labels.translated("test_kept")
        assert kept == {"only_me": "Moi seulement", "percent": "100%"}
        assert vars(words.words("test_kept")) == kept
        assert all(hasattr(text, "__html__") for text in kept.values())


def test_a_pages_words_named_again_are_translated_again(app):
    """A table named again replaces the words already translated under its name."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        words.table("test_again", word=_l("Only me"))
        assert words.words("test_again").word == "Only me"
        words.table("test_again", word=_l("Why"))
        assert words.words("test_again").word == "Why"
