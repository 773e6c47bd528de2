"""Forms for goals, check-ins, comments, activities, outcomes, reflections and ratings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from pdplanner.forms import VersionedForm, choices_of, optional_int

TEXT = 2000


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes (easier than a multi-select on a phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def visibility_choices():
    """Return who may read a goal or reflection."""
    return choices_of([("private", _l("Only me")), ("shared", _l("Me and my supervisor"))])


class GoalForm(VersionedForm):
    """An employee's goal."""

    token = HiddenField()
    title = StringField(_l("What do you want to learn?"),
                        validators=[DataRequired(), Length(min=3, max=200)])
    why = TextAreaField(_l("Why does it matter to you?"), validators=[Length(max=TEXT)])
    success = TextAreaField(_l("How will you know you succeeded?"),
                            validators=[Length(max=TEXT)])
    target_date = DateField(_l("Target date"), validators=[Optional()])
    skill_ids = CheckboxesField(_l("Skills"), coerce=int, validators=[Optional()])
    new_topic = StringField(_l("A topic that is not in the list"),
                            validators=[Optional(), Length(max=160)])
    alignment_ids = CheckboxesField(_l("It serves these values and priorities"), coerce=int,
                                    validators=[Optional()])
    personal_interest = BooleanField(_l("It is (also) personal interest"))
    visibility = RadioField(_l("Who can see this goal?"), default="private",
                            choices=visibility_choices())


class SuggestForm(FlaskForm):
    """A supervisor's suggestion of a goal to a report."""

    token = HiddenField()
    title = StringField(_l("Suggested goal"), validators=[DataRequired(), Length(min=3, max=200)])
    why = TextAreaField(_l("Why you suggest it"), validators=[Length(max=TEXT)])
    success = TextAreaField(_l("What success could look like"), validators=[Length(max=TEXT)])
    target_date = DateField(_l("Target date"), validators=[Optional()])
    skill_ids = CheckboxesField(_l("Skills"), coerce=int, validators=[Optional()])
    alignment_ids = CheckboxesField(_l("It serves these values and priorities"), coerce=int,
                                    validators=[Optional()])


class CheckInForm(FlaskForm):
    """A dated progress note."""

    token = HiddenField()
    on = DateField(_l("Date"), validators=[InputRequired()])
    progress = IntegerField(_l("Progress (%)"),
                            validators=[InputRequired(), NumberRange(min=0, max=100)])
    note = TextAreaField(_l("What moved forward?"), validators=[Length(max=1000)])


class CommentForm(FlaskForm):
    """A comment on a goal."""

    text = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=TEXT)])


class ReasonForm(FlaskForm):
    """A reason (to drop a goal or decline a suggestion)."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


def kind_choices():
    """Return the kinds of learning activity."""
    return choices_of([
        ("course", _l("Course")), ("mentoring", _l("Mentoring")),
        ("job_shadowing", _l("Job shadowing")), ("peer_learning", _l("Peer learning session")),
        ("reading", _l("Reading")), ("exchange_visit", _l("Partner exchange visit")),
        ("workshop", _l("Workshop or training")), ("on_the_job", _l("On-the-job practice")),
        ("qi_meeting", _l("QI meeting")), ("other", _l("Other"))])


def recurrence_choices():
    """Return how an activity can repeat."""
    return choices_of([("none", _l("Once")), ("weekly", _l("Every week")),
                       ("fortnightly", _l("Every 2 weeks")), ("monthly", _l("Every month"))])


class ActivityForm(FlaskForm):
    """When and how a learning activity happens."""

    token = HiddenField()
    kind = SelectField(_l("Kind"), choices=kind_choices())
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=3, max=200)])
    with_whom = StringField(_l("With whom, or where"), validators=[Length(max=200)])
    starts_on = DateField(_l("Date (the first one, if it repeats)"),
                          validators=[InputRequired()])
    start_time = TimeField(_l("Time (optional)"), validators=[Optional()])
    duration_minutes = IntegerField(_l("Duration in minutes"), default=60,
                                    validators=[InputRequired(), NumberRange(min=5, max=1440)])
    recurrence = SelectField(_l("Repeats"), choices=recurrence_choices())
    until = DateField(_l("Last date (if it repeats)"), validators=[Optional()])


class ResolveForm(FlaskForm):
    """What became of a planned occurrence."""

    outcome = RadioField(_l("What happened?"), validators=[InputRequired()], choices=choices_of([
        ("done", _l("Done")), ("missed", _l("Missed")), ("cancelled", _l("Cancelled"))]))
    happened_on = DateField(_l("Date it happened"), validators=[Optional()])
    reason = TextAreaField(_l("Why was it missed? (optional)"), validators=[Length(max=500)])


class RescheduleForm(FlaskForm):
    """A new date for a planned occurrence."""

    new_date = DateField(_l("New date"), validators=[InputRequired()])


class ReflectionForm(FlaskForm):
    """What one learned and will apply."""

    learned = TextAreaField(_l("What did you learn?"), validators=[Length(max=TEXT)])
    apply = TextAreaField(_l("What will you apply in your work?"), validators=[Length(max=TEXT)])
    visibility = RadioField(_l("Who can read this reflection?"), default="private",
                            choices=visibility_choices())


def level_choices():
    """Return the four self-assessment levels."""
    return choices_of([("1", _l("1 · Aware")), ("2", _l("2 · Practising")),
                       ("3", _l("3 · Confident")), ("4", _l("4 · Can teach others"))])


class AssessForm(FlaskForm):
    """A self-rating on one skill."""

    skill_id = SelectField(_l("Skill"), coerce=optional_int, validators=[InputRequired()])
    level = RadioField(_l("Level"), coerce=int, choices=level_choices(),
                       validators=[InputRequired()])
    note = StringField(_l("Note (optional)"), validators=[Length(max=500)])
