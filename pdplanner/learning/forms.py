"""Forms for goals, check-ins, comments, activities, outcomes, reflections and ratings."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from pdplanner.forms import (
    DateWithin,
    Form,
    HiddenToken,
    SelectField,
    VersionedForm,
    choices_of,
    optional_int,
)
from pdplanner.learning.models import OccurrenceStatus
from pdplanner.learning.recurrence import MAX_OCCURRENCES, MAX_SPAN_DAYS, occurrence_dates

TEXT = 2000


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes (easier than a multi-select on a phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def visibility_choices(shared=None):
    """Return who may read a goal or reflection (`shared` says who reads a shared one)."""
    return choices_of([("private", _l("Only me")),
                       ("shared", shared or _l("Me and my supervisor"))])


def target_date_field() -> DateField:
    """An optional target date: from today on, at most a few years ahead."""
    return DateField(_l("Target date"), validators=[
        Optional(), DateWithin(back=0, too_early=_l("Choose a target date from today on."))])


class GoalForm(VersionedForm):
    """An employee's goal."""

    token = HiddenToken()
    title = StringField(_l("What do you want to learn?"),
                        validators=[DataRequired(), Length(min=3, max=200)])
    why = TextAreaField(_l("Why does it matter to you?"), validators=[Length(max=TEXT)])
    success = TextAreaField(_l("How will you know you succeeded?"),
                            validators=[Length(max=TEXT)])
    target_date = target_date_field()
    skill_ids = CheckboxesField(_l("Skills"), coerce=int, validators=[Optional()])
    new_topic = StringField(_l("A topic that is not in the list"), validators=[
        Optional(), Length(min=2, max=160, message=_l("Name the topic in 2 to 160 characters."))])
    alignment_ids = CheckboxesField(_l("It serves these values and priorities"), coerce=int,
                                    validators=[Optional()])
    personal_interest = BooleanField(_l("It is (also) personal interest"))
    visibility = RadioField(_l("Who can see this goal?"), default="private",
                            choices=visibility_choices(_l("Me, my supervisor and HR")))


class SuggestForm(Form):
    """A supervisor's suggestion of a goal to a report."""

    token = HiddenToken()
    title = StringField(_l("Suggested goal"), validators=[DataRequired(), Length(min=3, max=200)])
    why = TextAreaField(_l("Why you suggest it"), validators=[Length(max=TEXT)])
    success = TextAreaField(_l("What success could look like"), validators=[Length(max=TEXT)])
    target_date = target_date_field()
    skill_ids = CheckboxesField(_l("Skills"), coerce=int, validators=[Optional()])
    alignment_ids = CheckboxesField(_l("It serves these values and priorities"), coerce=int,
                                    validators=[Optional()])


class CheckInForm(Form):
    """A dated progress note."""

    token = HiddenToken()
    on = DateField(_l("Date"), validators=[InputRequired(), DateWithin(ahead=0)])
    progress = IntegerField(_l("Progress (%)"),
                            validators=[InputRequired(), NumberRange(min=0, max=100)])
    note = TextAreaField(_l("What moved forward?"), validators=[Length(max=1000)])


class CommentForm(Form):
    """A comment on a goal."""

    text = TextAreaField(_l("Comment"), validators=[
        DataRequired(_l("Write a comment first.")), Length(max=TEXT)])


class ReasonForm(Form):
    """A reason (to drop a goal or decline a suggestion)."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class DropForm(ReasonForm):
    """Why one drops one's goal."""

    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Say briefly why you drop this goal.")), Length(max=1000)])


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


class ActivityForm(Form):
    """When and how a learning activity happens."""

    token = HiddenToken()
    kind = SelectField(_l("Kind"), choices=kind_choices())
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=3, max=200)])
    with_whom = StringField(_l("With whom, or where"), validators=[Length(max=200)])
    starts_on = DateField(_l("Date (the first one, if it repeats)"), validators=[
        InputRequired(),
        DateWithin(too_early=_l("Choose a date within the last year or later."))])
    start_time = TimeField(_l("Time (optional)"), validators=[Optional()])
    duration_minutes = IntegerField(_l("Duration in minutes"), default=60,
                                    validators=[InputRequired(), NumberRange(min=5, max=1440)])
    recurrence = SelectField(_l("Repeats"), choices=recurrence_choices())
    until = DateField(_l("Last date (if it repeats)"), validators=[Optional(), DateWithin()])

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then the last date against the first and the repeat."""
        valid = super().validate(extra_validators)
        if self.recurrence.errors or self.recurrence.data == "none" or self.until.errors:
            return valid
        until, start = self.until.data, self.starts_on.data
        if until is None:
            self.until.errors.append(_l("A repeating activity needs a last date."))
        elif start is None or self.starts_on.errors:
            return valid
        elif until <= start:
            self.until.errors.append(_l("The last date must come after the first."))
        elif (until - start).days > MAX_SPAN_DAYS:
            self.until.errors.append(_l("A repeating activity can last at most 2 years."))
        elif len(occurrence_dates(start, self.recurrence.data, until)) > MAX_OCCURRENCES:
            self.until.errors.append(_l("That makes more than %(n)d sessions; choose an "
                                        "earlier last date.", n=MAX_OCCURRENCES))
        else:
            return valid
        return False


class ResolveForm(Form):
    """What became of a planned occurrence."""

    outcome = RadioField(_l("What happened?"), validators=[InputRequired()], choices=choices_of([
        (OccurrenceStatus.DONE, _l("Done")), (OccurrenceStatus.MISSED, _l("Missed")),
        (OccurrenceStatus.CANCELLED, _l("Cancelled"))]))
    happened_on = DateField(_l("Date it happened"), validators=[
        Optional(), DateWithin(ahead=0, since="planned_on",
                               too_late=_l("It cannot have happened in the future."))])
    reason = TextAreaField(_l("Why was it missed? (optional)"), validators=[Length(max=500)])

    def __init__(self, *args, planned_on=None, **kwargs):
        """Know the planned date, so the date it happened stays within a year before it."""
        super().__init__(*args, **kwargs)
        self.planned_on = planned_on


class RescheduleForm(Form):
    """A new date for a planned occurrence."""

    new_date = DateField(_l("New date"), validators=[
        InputRequired(), DateWithin(back=0, too_early=_l("Choose a new date from today on."))])


class ReflectionForm(Form):
    """What one learned and will apply."""

    learned = TextAreaField(_l("What did you learn?"), validators=[Length(max=TEXT)])
    apply = TextAreaField(_l("What will you apply in your work?"), validators=[Length(max=TEXT)])
    visibility = RadioField(_l("Who can read this reflection?"), default="private",
                            choices=visibility_choices())


class QuickOutcomeForm(Form):
    """One tap: done or missed; a done date may carry a short reflection with it."""

    learned = TextAreaField(_l("What did you learn?"), validators=[Length(max=TEXT)])
    apply = TextAreaField(_l("What will you apply in your work?"), validators=[Length(max=TEXT)])
    share = BooleanField(_l("Share it with my supervisor"))


#: What each self-assessment level means.
SKILL_LEVELS = {1: _l("Aware"), 2: _l("Practising"), 3: _l("Confident"),
                4: _l("Can teach others")}


def level_choices():
    """Return the four self-assessment levels ("2 · Practising"), translated when shown."""
    return choices_of([(str(n), LazyString(lambda n=n: f"{n} · {SKILL_LEVELS[n]}"))
                       for n in SKILL_LEVELS])


class AssessForm(Form):
    """A self-rating on one skill."""

    skill_id = SelectField(_l("Skill"), coerce=optional_int, validators=[InputRequired()])
    level = RadioField(_l("Level"), coerce=int, choices=level_choices(),
                       validators=[InputRequired()])
    note = StringField(_l("Note (optional)"), validators=[Length(max=500)])
