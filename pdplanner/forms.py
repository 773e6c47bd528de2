"""Form pieces shared by every room."""

import inspect
from datetime import date, timedelta
from functools import lru_cache

from babel import support
from flask import current_app, g, request
from flask_babel import format_date, get_babel, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import HiddenField, SelectChoice, widgets
from wtforms import SelectField as WTFormsSelectField
from wtforms import SelectMultipleField as WTFormsSelectMultipleField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError

from pdplanner.errors import BadInput
from pdplanner.field_html import attributes, field_html, text, widget_html
from pdplanner.formatting import reader_language
from pdplanner.inputs import parse_int
from pdplanner.types import today_in

#: A NUL byte cannot be stored by PostgreSQL; refused alike on every database.
NUL_MESSAGE = _l("This text holds an invisible character (NUL) that cannot be saved. "
                 "Delete it, or type the text again.")


#: FlaskForm's "read the request" default for formdata (None means "read nothing").
_FROM_REQUEST = inspect.signature(FlaskForm.__init__).parameters["formdata"].default


def json_formdata() -> ImmutableMultiDict:
    """Read a JSON object body as form fields of text; any other JSON is a 400."""
    body = request.get_json()  # malformed JSON: 400
    if not isinstance(body, dict):
        raise BadInput()
    items = []
    for key, value in body.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict | list):
                raise BadInput()
            text = ("y" if item else "") if isinstance(item, bool) else item
            items.append((key, "" if text is None else str(text)))
    return ImmutableMultiDict(items)


@lru_cache(maxsize=8)
def _wtforms_catalogue(language: str) -> support.Translations:
    return support.Translations.load(messages_path(), [language], domain="wtforms")


class _WTFormsMessages:
    """WTForms' own messages ("Not a valid date value.") in the reader's language, each
    language's catalogue read once per process (Flask-WTF reads it from disk on every
    request that builds a form)."""

    def gettext(self, string: str) -> str:
        return _wtforms_catalogue(reader_language()).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(reader_language()).ungettext(singular, plural, n)


_WTFORMS_MESSAGES = _WTFormsMessages()


class Form(FlaskForm):
    """The base of every form: a NUL byte in any field is that field's error."""

    class Meta(FlaskForm.Meta):
        """Read a JSON body as text fields, like a form post (WTForms expects strings)."""

        def get_translations(self, form):
            """WTForms' messages in the reader's language (None when translation is off)."""
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return None
            return _WTFORMS_MESSAGES

        def wrap_formdata(self, form, formdata):
            """Turn a JSON object into text fields; else as Flask-WTF does."""
            if (formdata is _FROM_REQUEST and request and request.is_json
                    and request.method in ("POST", "PUT", "PATCH", "DELETE")):
                return json_formdata()
            return super().wrap_formdata(form, formdata)

        #: The `field` macro writes a field's whole block with this (see `field_html`).
        field_html = staticmethod(field_html)

        def render_field(self, field, render_kw):
            """Write the common inputs without WTForms' widget machinery (same HTML), e.g. a
            form's CSRF field or a hidden token; any other widget as WTForms does."""
            written = widget_html(field, dict(render_kw))
            if written is None:
                return super().render_field(field, render_kw)
            return Markup(written)  # noqa: S704 (every value escaped by widget_html)

    def validate(self, extra_validators=None) -> bool:
        """Validate as usual, then refuse NUL bytes (a hidden field holding one is a 400)."""
        valid = super().validate(extra_validators)
        for field in self:
            if not any(isinstance(v, str) and "\x00" in v for v in field.raw_data or ()):
                continue
            if isinstance(field, HiddenField):
                raise BadInput()
            field.errors = [*field.errors, NUL_MESSAGE]
            valid = False
        return valid


def form_field(field, hint=None, autofocus=False) -> Markup:
    """What templates call `field(f, hint, autofocus)`: a field's whole block (label, input,
    hint, errors) as its form's Meta writes it."""
    return field.meta.field_html(field, hint, autofocus)


def form_errors_html(form) -> Markup:
    """What templates call `form_errors(form)`: the form's own errors as an alert, else a
    line asking to correct the fields marked (when a field has an error), else nothing."""
    if form.form_errors:
        said = "".join(f"<p>{escape(e)}</p>" for e in form.form_errors)
        return Markup(f'\n  <div class="alert alert-error" role="alert">\n    {said}\n  '  # noqa: S704
                      '</div>\n')
    if form.errors:
        said = escape(gettext("Please correct the fields marked below."))
        return Markup(f'\n  <div class="alert alert-error" role="alert"><p>{said}</p></div>\n')  # noqa: S704
    return Markup("")


def post_button_html(action: str, label, form, cls: str = "button") -> Markup:
    """What templates call `post_button(action, label, form, cls)`: a form of one button
    that posts to `action` with the CSRF field of `form`."""
    return Markup(f'\n<form method="post" action="{escape(action)}" class="inline">\n  '  # noqa: S704
                  f'{form.csrf_token(id=False)}\n  <button type="submit" class="{escape(cls)}">'
                  f'{escape(label)}</button>\n</form>\n')


class HiddenInteger(HiddenField):
    """A whole number a page round-trips (a version, an id); anything else answers 400."""

    def process_formdata(self, valuelist):
        """Parse the posted value strictly, within the columns' range."""
        if valuelist:
            self.data = parse_int(valuelist[0].strip())


class HiddenToken(HiddenField):
    """A one-time form token as the page sent it (letters, digits, - and _); else 400."""

    def process_formdata(self, valuelist):
        """Accept an empty or well-formed token only."""
        value = valuelist[0] if valuelist else ""
        if value and not (len(value) <= 64 and value.replace("-", "").replace("_", "")
                          .isalnum() and value.isascii()):
            raise BadInput()
        self.data = value or None


class EmptyForm(Form):
    """A form with only the CSRF token, for POST-only buttons."""


def csrf_input() -> Markup:
    """Return the CSRF field of a POST button, as a form would render it (the token is made
    once per request, so a page with a button per row renders it cheaply)."""
    field = g.get("_csrf_input")
    if field is None:
        field = g._csrf_input = (Markup('<input name="csrf_token" type="hidden" value="%s">')
                                 % generate_csrf())
    return field


class _PostButton:
    """What templates call `post_form`: only the CSRF field of a POST-only button."""

    @staticmethod
    def csrf_token(**_attributes) -> Markup:
        """Return the CSRF field (attributes such as id=False change nothing)."""
        return csrf_input()


#: The form behind every POST-only button of a page (see `csrf_input`).
POST_BUTTON = _PostButton()


class VersionedForm(Form):
    """A form that round-trips the record's version to detect a stale save."""

    version = HiddenInteger()


def optional_int(value):
    """Coerce a select value to int, or None for the empty choice (ValueError when bad)."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    try:
        return parse_int(value)
    except BadInput:
        raise ValueError(value) from None


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


class SelectField(WTFormsSelectField):
    """A select list rendered by the fast `Select` widget."""

    widget = Select()


class SelectMultipleField(WTFormsSelectMultipleField):
    """A multiple select list rendered by the fast `Select` widget."""

    widget = Select(multiple=True)


def options(pairs, selected) -> Markup:
    """Return a filter's <option>s for (value, label) pairs, `selected` (a query-string
    value) marked: one string for a list of hundreds of teams."""
    chosen = str(selected) if selected is not None else None
    return Markup("".join(  # noqa: S704 (each value and label escaped)
        f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
        f'{escape(label)}</option>' for value, label in pairs))


def choices_of(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms SelectChoice objects."""
    return [SelectChoice(value, label) for value, label in pairs]


def status_code(form) -> int:
    """Return 422 when the form shows errors, else 200."""
    return 422 if form.errors or form.form_errors else 200


#: Dates in messages, in the style the pages use ("Thu 19 Nov 2026" / "jeu. 19 nov. 2026").
DATE_STYLE = "EEE d MMM y"
#: How far ahead a plan (target date, session, schedule, action, activity) may reach.
PLAN_AHEAD_DAYS = 5 * 365
#: How far back a plan may start, or a record may lie before its planned date (or today).
LOOK_BACK_DAYS = 365


class DateWithin:
    """Refuse absurd dates: at most `ahead` days after today, `back` days before a reference.

    Today is the user's (their time zone), or the form's `today` when it has one. The
    reference for `back` is today, or the date held by the form attribute named `since`
    (e.g. the planned date of what is being recorded) when it is set. `ahead=0` means
    "not in the future", `back=0` "from today on"; None leaves that side open. An empty
    field is left to InputRequired/Optional. `too_early`/`too_late` reword a side's message.
    A value equal to the one the record already has (the field's `object_data`, set from
    `obj=` or a keyword when the form is built) passes: a saved date that has aged since
    stays savable, while a changed date must obey the bounds.
    """

    def __init__(self, *, back: int | None = LOOK_BACK_DAYS, ahead: int | None = PLAN_AHEAD_DAYS,
                 since: str | None = None, too_early=None, too_late=None):
        self.back, self.ahead, self.since = back, ahead, since
        self.too_early, self.too_late = too_early, too_late

    def __call__(self, form, field) -> None:
        day = field.data
        if not isinstance(day, date) or day == field.object_data:
            return
        today = form_today(form)
        if self.ahead is not None and day > today + timedelta(days=self.ahead):
            raise ValidationError(self.too_late or (
                _l("Choose a date up to today.") if self.ahead == 0 else
                _l("Choose a date no later than %(date)s.",
                   date=format_date(today + timedelta(days=self.ahead), DATE_STYLE))))
        reference = (getattr(form, self.since, None) if self.since else None) or today
        if self.back is not None and day < reference - timedelta(days=self.back):
            raise ValidationError(self.too_early or (
                _l("Choose a date from today on.") if self.back == 0 and reference == today else
                _l("Choose a date no earlier than %(date)s.",
                   date=format_date(reference - timedelta(days=self.back), DATE_STYLE))))


def form_today(form) -> date:
    """Return the form's idea of today: its `today`, else today where the user lives."""
    given = getattr(form, "today", None)
    if isinstance(given, date):
        return given
    if current_user and current_user.is_authenticated:
        # The reader's zone as the app's time-zone selector chooses it (asked afresh).
        return today_in(get_babel().timezone_selector())
    return today_in(None)


# --- session2


def blank_once(key: str, render, form) -> Markup:
    """Return `render(form)` (a template macro writing the fields of a form shown blank: no
    data but its defaults, the same for every reader), written once per process, `key` and
    language. A form posted back, or holding errors, is written afresh."""
    if request.method != "GET" or form.errors or form.form_errors:
        return render(form)
    written = current_app.extensions.setdefault("pdplanner.blank_forms", {})
    slot = (key, str(get_locale() or "en"))
    html = written.get(slot)
    if html is None:
        html = written[slot] = render(form)
    return html
