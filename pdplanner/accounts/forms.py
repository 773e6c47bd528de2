"""Forms for sign-in, profile, people, import and organisation settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from pdplanner.accounts.timezones import TimeZoneField
from pdplanner.forms import Form, SelectField, VersionedForm, choices_of, optional_int

LANGUAGE_CHOICES = choices_of([("en", "English"), ("fr", "Français")])


def submitted(field) -> str | None:
    """Return a field's text when the form sent it, else None (the service keeps the value)."""
    return (field.data or "") if field.raw_data else None


def strip(value):
    """Drop the spaces a paste leaves around a value (the service strips them too)."""
    return value.strip() if isinstance(value, str) else value


class ProfileForm(Form):
    """One's own name, language and time zone."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    language = SelectField(_l("Language"))
    timezone = TimeZoneField(_l("Time zone"), blank=_l("The organisation's time zone"))
    phone = StringField(_l("Mobile number"), filters=[strip], validators=[Length(max=32)])
    reminder_channel = SelectField(_l("How reminders reach me"), validate_choice=False)


class PersonForm(VersionedForm):
    """HR's form for one person's record."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        Optional(), Length(max=254), Email(_l("Enter a valid e-mail address."))])
    phone = StringField(_l("Mobile number"), filters=[strip], validators=[Length(max=32)])
    reminder_channel = SelectField(_l("How reminders reach them"), validate_choice=False)
    team_id = SelectField(_l("Team or site"), coerce=optional_int, validators=[Optional()])
    level_id = SelectField(_l("Level"), coerce=optional_int, validators=[Optional()])
    supervisor_id = SelectField(_l("Supervisor"), coerce=optional_int, validators=[Optional()])
    #: Replaces supervisor_id in a large organisation (see SUPERVISOR_SELECT_MAX).
    supervisor_email = EmailField(_l("Supervisor's e-mail"), filters=[strip],
                                  validators=[Optional(), Length(max=254)])
    language = SelectField(_l("Language"))
    timezone = TimeZoneField(_l("Time zone"), blank=_l("The organisation's time zone"))
    is_hr = BooleanField(_l("HR: manages people and the catalogue, sees team-wide figures"))
    is_admin = BooleanField(_l("Administrator: manages accounts, roles and settings"))
    #: Only when adding someone: their page offers to send it (again) later.
    invite = BooleanField(_l("E-mail them an invitation to choose their password"),
                          default=True)


class ImportForm(Form):
    """A CSV file of staff."""

    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a CSV file.")),
        FileAllowed(["csv", "txt"], _l("Choose a .csv file.")),
    ])
    invite = BooleanField(_l("E-mail each new person an invitation to choose their password"),
                          default=True)


class SettingsForm(Form):
    """The organisation's settings."""

    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])
    default_language = SelectField(_l("Default language"), choices=LANGUAGE_CHOICES)
    timezone = TimeZoneField(_l("Time zone"))
    default_cadence = SelectField(_l("Default supervision cadence"))
    participation_target = IntegerField(_l("Participation target (%)"), default=60,
                                        validators=[InputRequired(), NumberRange(0, 100)])
    country = SelectField(_l("Country (for mobile numbers typed without +)"),
                          validate_choice=False)
    sms_monthly_cap = IntegerField(_l("SMS segments per month"),
                                   validators=[Optional(), NumberRange(0, 10_000_000)])


class TeamForm(Form):
    """A team or site."""

    name = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    name_fr = StringField(_l("Name in French"), validators=[Length(max=120)])
    kind = SelectField(_l("Kind"))
    is_partner = BooleanField(_l("Partner organisation (e.g. a partner health centre)"))
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    archived = BooleanField(_l("Archived (no longer offered for new people)"))


class LevelForm(Form):
    """A job level's name."""

    name = StringField(_l("Level name in English"), validators=[DataRequired(), Length(max=120)])
    name_fr = StringField(_l("Level name in French"), validators=[Length(max=120)])
