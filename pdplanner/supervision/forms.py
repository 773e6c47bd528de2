"""Forms for schedules, sessions, agenda points, goal reviews, actions and notes."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from pdplanner.forms import DateWithin, Form, SelectField, VersionedForm, choices_of, optional_int
from pdplanner.learning.forms import level_choices


class ScheduleForm(Form):
    """How often and when a pair meets."""

    cadence = SelectField(_l("How often"))
    starts_on = DateField(_l("First session"), validators=[
        InputRequired(), DateWithin(back=0, too_early=_l("Choose a first date from today on."))])
    at = TimeField(_l("Time"), validators=[InputRequired()])
    duration_minutes = IntegerField(_l("Duration in minutes"), default=60,
                                    validators=[InputRequired(), NumberRange(min=15, max=480)])


class SessionTimeForm(Form):
    """A date and time for a one-off or moved session: from today on, as the service wants."""

    day = DateField(_l("Date"), validators=[InputRequired(), DateWithin(back=0)])
    at = TimeField(_l("Time"), validators=[InputRequired()])


class ItemForm(Form):
    """A point for the agenda."""

    text = StringField(_l("Add a point to discuss"), validators=[DataRequired(),
                                                                Length(max=500)])


class ReviewForm(Form):
    """What was said about one goal."""

    note = TextAreaField(_l("Progress noted"), validators=[Length(max=2000)])
    agree = BooleanField(_l("We agree this goal"))
    skill_id = SelectField(_l("Skill to rate"), coerce=optional_int, validators=[Optional()])
    level = SelectField(_l("Your rating (1-4)"), coerce=optional_int, validators=[Optional()],
                        choices=choices_of([("", _l("— no rating —"))]) + level_choices())
    comment = TextAreaField(_l("Comment for the goal"), validators=[Length(max=2000)])


class ActionForm(Form):
    """An action agreed in the session."""

    text = StringField(_l("Agreed action"), id="action_text",
                       validators=[DataRequired(), Length(max=200)])
    owner = RadioField(_l("Who does it?"), default="report", choices=choices_of([
        ("report", _l("The report: it goes on their plan")),
        ("supervisor", _l("Me: a task for the supervisor"))]))
    goal_id = SelectField(_l("For which goal"), coerce=optional_int, validators=[Optional()])
    due_on = DateField(_l("By when"), validators=[InputRequired(), DateWithin(back=0)])


class NotesForm(VersionedForm):
    """Shared and supervisor-only notes."""

    shared_notes = TextAreaField(_l("Shared notes (both of you read them)"),
                                 validators=[Length(max=10000)])
    private_notes = TextAreaField(_l("Private notes (only you)"),
                                  validators=[Length(max=10000)])


class HeldForm(Form):
    """The date a session took place."""

    held_on = DateField(_l("Held on"), validators=[
        InputRequired(), DateWithin(ahead=0, since="planned_on",
                                    too_late=_l("A session cannot be held in the future."))])
    #: asked only for a session planned for later
    early = BooleanField(_l("Yes, it already took place, before its planned day"))

    def __init__(self, *args, planned_on=None, **kwargs):
        """Know the planned date (else today), so the date held stays within a year before it."""
        super().__init__(*args, **kwargs)
        self.planned_on = planned_on


class MissedForm(Form):
    """Why a session did not take place."""

    reason = StringField(_l("Why did it not happen?"), validators=[DataRequired(),
                                                                  Length(max=500)])
