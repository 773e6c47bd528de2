"""A page's words translated once per language give the same text as the templates' `_()`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from pdplanner import words

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
