"""A form field written as one block (label, input, hint, error) in Python: the same HTML as
the `field` macro over WTForms' widgets, without their per-attribute machinery (a goal's
page spent a sixth of its time there)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
from wtforms import widgets

from pdplanner.formatting import reader_language

#: Input widgets written here: their attributes are the field's, the value its `_value()`
#: (a password's is blank). Any other widget (or a subclass) is called as WTForms does.
_INPUTS = frozenset({
    widgets.TextInput, widgets.DateInput, widgets.NumberInput, widgets.EmailInput,
    widgets.TelInput, widgets.URLInput, widgets.SearchInput, widgets.TimeInput,
    widgets.DateTimeLocalInput, widgets.MonthInput, widgets.WeekInput,
    widgets.HiddenInput, widgets.PasswordInput, widgets.CheckboxInput, widgets.TextArea,
})


#: Lazy texts of labels and choices already translated: {(language, how, what): text}. The
#: catalogues do not change while the process runs (see `labels`).
_TEXTS: dict[tuple, Markup] = {}
#: Enough for every label and choice of every form in both languages, bounded all the same.
_TEXTS_MAX = 4096


def text(value):
    """Return a label's or a choice's text: a lazy translation is looked up once per
    language (each costs a catalogue lookup through Flask-Babel's context) and, as
    markupsafe treats it (`LazyString.__html__`), trusted as markup; the rest as is."""
    if type(value) is not LazyString:
        return value
    try:
        key = (reader_language(), value._func, value._args,
               tuple(sorted(value._kwargs.items())))
        found = _TEXTS.get(key)
    except TypeError:  # a value that cannot be a key: translate it each time
        return Markup(str(value))  # noqa: S704 (as escape() does with a lazy string)
    if found is None:
        if len(_TEXTS) >= _TEXTS_MAX:
            _TEXTS.clear()
        found = _TEXTS[key] = Markup(str(value))  # noqa: S704 (as above)
    return found


def attributes(kwargs: dict) -> str:
    """Return `wtforms.widgets.html_params(**kwargs)` as text: sorted by key, True as a bare
    name, False left out, each value escaped."""
    out = []
    for key, value in sorted(kwargs.items()):
        key = key.rstrip("_")
        if key.startswith(("data_", "aria_")):
            key = key.replace("_", "-")
        if value is True:
            out.append(key)
        elif value is not False:
            out.append(f'{key}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return " ".join(out)


def widget_html(field, kwargs: dict) -> str | None:
    """Return the field's input as its WTForms widget writes it, or None for a widget not
    written here."""
    widget = field.widget
    kind = type(widget)
    if kind not in _INPUTS or getattr(field, "_datalist", None) is not None:
        return None
    if field.render_kw:
        kwargs = dict(field.render_kw, **kwargs)
    kwargs.setdefault("id", field.id)
    flags = field.flags
    names = vars(flags)  # the flags set (as `dir` lists them, without sorting every name)
    if kind is widgets.TextArea:
        for key in widget.validation_attrs:
            if key in names and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        return (f"<textarea {attributes(dict(kwargs, name=field.name))}>\r\n"
                f"{escape(field._value())}</textarea>")
    kwargs.setdefault("type", widget.input_type)
    if kind is widgets.CheckboxInput and getattr(field, "checked", field.data):
        kwargs.setdefault("checked", True)
    if kind is widgets.PasswordInput and widget.hide_value:
        kwargs["value"] = ""
    if "value" not in kwargs:
        kwargs["value"] = field._value()
    for key in widget.validation_attrs:
        if key in names and key not in kwargs:
            value = getattr(flags, key)
            kwargs[key] = value() if callable(value) else value
    return f"<input {attributes(dict(kwargs, name=field.name))}>"


def field_html(field, hint=None, autofocus=False) -> Markup:
    """Write a field as the `field` macro of `_macros/forms.html` does: its visible label,
    its input described by the hint and the errors, then the hint and the errors."""
    errors, described, kwargs = field.errors, [], {}
    if hint:
        described.append(f"{field.id}-hint")
    if errors:
        described.append(f"{field.id}-error")
        kwargs["aria-invalid"] = "true"
    if described:
        kwargs["aria-describedby"] = " ".join(described)
    if autofocus:
        kwargs["autofocus"] = True
    if field.flags.required:
        kwargs["required"] = True
    # The common inputs as the form's Meta writes them (`widget_html`), any other widget
    # through the field as WTForms calls it.
    element = widget_html(field, kwargs) or str(field(**kwargs))
    label = field.label
    label_html = f'<label for="{escape(label.field_id)}">{escape(text(label.text))}</label>'
    invalid = " has-error" if errors else ""
    if field.type == "BooleanField":
        head = f'\n  <div class="field check{invalid}">\n    {element} {label_html}\n  '
    else:
        head = f'\n  <div class="field{invalid}">\n    {label_html}\n    {element}\n  '
    tail = (f'<p class="hint" id="{escape(field.id)}-hint">{escape(hint)}</p>' if hint else "")
    tail += "\n    "
    if errors:
        tail += (f'\n    <p class="error" id="{escape(field.id)}-error">'
                 f'{" ".join(str(escape(e)) for e in errors)}</p>\n    ')
    return Markup(f"{head}\n    {tail}\n  </div>\n")  # noqa: S704 (every part escaped)


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
