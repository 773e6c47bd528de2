"""Form pieces shared by every room."""

import inspect
from datetime import date, timedelta
from functools import lru_cache

from babel import support
from flask import current_app, g, request
from flask_babel import format_date, get_babel, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import HiddenField, SelectChoice
from wtforms import SelectField as WTFormsSelectField
from wtforms import SelectMultipleField as WTFormsSelectMultipleField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError

from pdplanner.errors import BadInput
from pdplanner.field_html import field_html, widget_html
from pdplanner.formatting import reader_language
from pdplanner.inputs import parse_int
from pdplanner.select_html import Select
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


class SelectField(WTFormsSelectField):
    """A select list rendered by the fast `Select` widget."""

    widget = Select()


class SelectMultipleField(WTFormsSelectMultipleField):
    """A multiple select list rendered by the fast `Select` widget."""

    widget = Select(multiple=True)


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
