"""Form pieces shared by every room."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for POST-only buttons."""


class VersionedForm(FlaskForm):
    """A form that round-trips the record's version to detect a stale save."""

    version = HiddenField()


def optional_int(value):
    """Coerce a select value to int, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    return int(value)


def choices_of(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms SelectChoice objects."""
    return [SelectChoice(value, label) for value, label in pairs]


def status_code(form) -> int:
    """Return 422 when the form shows errors, else 200."""
    return 422 if form.errors or form.form_errors else 200
