"""The `field` macro writes every form's fields (empty, typed, refused) exactly as the macro
over WTForms' widgets did, only cheaper."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField
from wtforms.meta import DefaultMeta
from wtforms.widgets import ListWidget

import pdplanner
from pdplanner.forms import Form

#: The macro as it was: WTForms' label and widget, wrapped in the same block.
WTFORMS_FIELD = """\
{%- macro field(f, hint=None, autofocus=False) %}
  {%- set err_id = f.id ~ '-error' -%}
  {%- set hint_id = f.id ~ '-hint' -%}
  {%- set described = [] -%}
  {%- if hint %}{% set _ = described.append(hint_id) %}{% endif -%}
  {%- if f.errors %}{% set _ = described.append(err_id) %}{% endif -%}
  {%- set attrs = {} -%}
  {%- if described %}{% set _ = attrs.update({'aria-describedby': described|join(' ')}) %}{% endif -%}
  {%- if f.errors %}{% set _ = attrs.update({'aria-invalid': 'true'}) %}{% endif -%}
  {%- if autofocus %}{% set _ = attrs.update({'autofocus': True}) %}{% endif -%}
  {%- if f.flags.required %}{% set _ = attrs.update({'required': True}) %}{% endif -%}
  {% if f.type == 'BooleanField' %}
  <div class="field check{% if f.errors %} has-error{% endif %}">
    {{ wtforms(f, attrs) }} {{ f.label() }}
  {% else %}
  <div class="field{% if f.errors %} has-error{% endif %}">
    {{ f.label() }}
    {{ wtforms(f, attrs) }}
  {% endif %}
    {% if hint %}<p class="hint" id="{{ hint_id }}">{{ hint }}</p>{% endif %}
    {% if f.errors %}
    <p class="error" id="{{ err_id }}">{% for e in f.errors %}{{ e }}{% if not loop.last %} {% endif %}{% endfor %}</p>
    {% endif %}
  </div>
{% endmacro -%}
{{ field(f, hint, autofocus) }}"""  # noqa: E501 (the macro as it was written)

NEW_FIELD = ('{% from "_macros/forms.html" import field %}'
             "{{ field(f, hint, autofocus) }}")


def every_form() -> list[type[Form]]:
    """Return every form class of every room."""
    for module in pkgutil.walk_packages(pdplanner.__path__, "pdplanner."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


#: What a person may type: nothing, plain text, a number, and markup with quotes.
TYPED = ["", "Awa", "42", 'x" onfocus="alert(1)" <b>&amp;</b>']


def wtforms(field, attributes: dict):
    """Render a field as WTForms itself does (its widget called by its default Meta)."""
    return DefaultMeta.render_field(field.meta, field, attributes)


def render_both(app, form) -> list[tuple[str, str]]:
    """Render each field of the form through both macros, with and without hint/autofocus."""
    old_template = app.jinja_env.from_string(WTFORMS_FIELD)
    new_template = app.jinja_env.from_string(NEW_FIELD)
    pairs = []
    for f in form:
        if f.type == "CSRFTokenField" or isinstance(f.widget, ListWidget):
            continue  # never rendered by the `field` macro (radios: the `choices` macro)
        for hint, autofocus in ((None, False), ("A <hint> & more", True)):
            values = {"f": f, "hint": hint, "autofocus": autofocus, "wtforms": wtforms}
            pairs.append((old_template.render(values), new_template.render(values)))
    return pairs


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("typed", TYPED)
def test_every_forms_fields_render_as_wtforms_renders_them(app, typed, language):
    forms = every_form()
    assert len(forms) > 30
    compared = 0
    with app.test_request_context("/", method="POST", headers={"Accept-Language": language}):
        for cls in forms:
            empty = cls(formdata=None)
            # A hidden field's bad value is a 400, never shown again.
            data = MultiDict({f.name: "" if isinstance(f, HiddenField) else typed
                              for f in empty})
            for form in (empty, cls(formdata=data)):
                for f in form:  # a view sets a select's choices
                    if getattr(f, "choices", ()) is None:
                        f.choices = [("42", "Forty-two"), ("7", "A <b>")]
                form.validate()  # refused input shows its errors and keeps what was typed
                for old, new in render_both(app, form):
                    assert new == old, cls.__qualname__
                    compared += 1
    assert compared > 200


def test_a_fields_label_follows_the_readers_language(app):
    from pdplanner.accounts.forms import ProfileForm

    labels = {}
    for language in ("en", "fr", "en"):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            html = app.jinja_env.from_string(NEW_FIELD).render(
                f=ProfileForm(formdata=None).timezone, hint=None, autofocus=False)
            labels.setdefault(language, set()).add(html.split("</label>")[0])
    assert labels == {"en": {'\n  <div class="field">\n    <label for="timezone">Time zone'},
                      "fr": {'\n  <div class="field">\n    <label for="timezone">Fuseau horaire'}}


def test_a_forms_fields_called_directly_render_as_wtforms_renders_them(app):
    """A CSRF field, a hidden token, a field called with attributes: the form's Meta
    writes them as WTForms' widgets do."""
    from pdplanner.learning.forms import CheckInForm

    with app.test_request_context("/"):
        form = CheckInForm(formdata=None)
        form.token.data = 'a"b'
        for field, attributes in ((form.csrf_token, {"id": False}), (form.token, {}),
                                  (form.progress, {"class_": "wide", "data_x": "1"}),
                                  (form.note, {"rows": 3})):
            assert str(field(**attributes)) == str(wtforms(field, attributes))


def test_wtforms_own_messages_follow_the_readers_language_every_time(app):
    """A message WTForms writes itself ("not a valid integer") comes in the reader's
    language, request after request and language after language (its catalogue is read once
    per language, not per request)."""
    from flask_babel import force_locale
    from wtforms import IntegerField

    class Numbers(Form):
        class Meta:
            csrf = False

        n = IntegerField("n")

    seen = []
    for language in ("fr", "en", "fr"):
        with app.test_request_context("/"), force_locale(language):
            form = Numbers(formdata=MultiDict({"n": "deux"}))
            assert not form.validate()
            seen.append(form.n.errors[0])
    assert seen == ["N'est pas un entier valide.", "Not a valid integer value.",
                    "N'est pas un entier valide."]


#: The `form_errors` and `post_button` macros as they were written.
OLD_MACROS = """\
{% macro form_errors(form) %}
  {% if form.form_errors %}
  <div class="alert alert-error" role="alert">
    {% for e in form.form_errors %}<p>{{ e }}</p>{% endfor %}
  </div>
  {% elif form.errors %}
  <div class="alert alert-error" role="alert"><p>{{ _("Please correct the fields marked below.") }}</p></div>
  {% endif %}
{% endmacro %}
{% macro post_button(action, label, form, cls='button') %}
<form method="post" action="{{ action }}" class="inline">
  {{ form.csrf_token(id=False) }}
  <button type="submit" class="{{ cls }}">{{ label }}</button>
</form>
{% endmacro %}
{{ form_errors(form) }}|{{ post_button(action, label, form, cls) }}"""  # noqa: E501 (as written)

NEW_MACROS = ('{% from "_macros/forms.html" import form_errors, post_button %}'
              "{{ form_errors(form) }}|{{ post_button(action, label, form, cls) }}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_form_errors_and_post_buttons_render_as_the_macros_did(app, language):
    """A form's own errors, a field's error, no error; a button's action, label and class
    with markup in them: the same HTML as the macros wrote (escaped the same way), but for
    blank space between tags."""
    from pdplanner.learning.forms import CommentForm

    old, new = (app.jinja_env.from_string(OLD_MACROS), app.jinja_env.from_string(NEW_MACROS))
    def words(html: str) -> str:  # the same HTML but for the blank space between its tags
        return " ".join(html.split())

    with app.test_request_context("/", method="POST", headers={"Accept-Language": language}):
        quiet = CommentForm(formdata=None)
        refused = CommentForm(formdata=MultiDict({"text": ""}))
        refused.validate()
        stale = CommentForm(formdata=None)
        stale.form_errors.append('Someone saved <this> "first"')
        compared = set()
        for form in (quiet, refused, stale):
            for action, label, cls in (("/goals/1/agree", "Agree", "button"),
                                       ('/x?a=1&b="2"', "<b>Drop</b>", "link danger")):
                values = {"form": form, "action": action, "label": label, "cls": cls}
                written = words(new.render(values))
                assert written == words(old.render(values))
                compared.add(written.split("|")[0].strip())
    assert len(compared) == 3  # nothing, the fields' line, the form's own error
    assert any("&lt;this&gt; &#34;first&#34;" in said for said in compared)


def test_a_select_marks_the_chosen_option_whatever_list_it_wrote_before(app):
    """Options written once per list: each page marks its own choice, and a list whose
    labels changed (a team renamed) is written anew."""
    from pdplanner.accounts.forms import PersonForm

    def team_select(choices, chosen):
        with app.test_request_context("/"):
            form = PersonForm(formdata=None)
            form.team_id.choices = choices
            form.team_id.data = chosen
            return str(form.team_id())

    teams = [("", "— none —"), ("1", "Nurses"), ("2", "Lab & <x>")]
    first, second = team_select(teams, 1), team_select(list(teams), 2)
    assert '<option selected value="1">Nurses</option>' in first
    assert '<option value="2">Lab &amp; &lt;x&gt;</option>' in first
    assert '<option value="1">Nurses</option>' in second
    assert '<option selected value="2">Lab &amp; &lt;x&gt;</option>' in second
    renamed = team_select([("", "— none —"), ("1", "Midwives"), ("2", "Lab & <x>")], 1)
    assert '<option selected value="1">Midwives</option>' in renamed
    assert "Nurses" not in renamed
    nobody = team_select(teams, None)
    assert nobody.count(" selected") == 1 and '<option selected value="">' in nobody
