"""Forms for exchanges, lessons, share-backs, follow-ups, outcomes and partners."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from pdplanner.exchanges import services
from pdplanner.forms import PLAN_AHEAD_DAYS, DateWithin, Form, SelectField, choices_of, optional_int
from pdplanner.learning.forms import CheckboxesField

#: Exchanges are often recorded after the fact: accept those of the last few years.
EXCHANGE_BACK_DAYS = PLAN_AHEAD_DAYS


def kind_choices():
    """Return the kinds of exchange."""
    return choices_of([
        ("visit_to", _l("Visit to a partner organisation")),
        ("visit_from", _l("Visit from a partner organisation")),
        ("joint_training", _l("Joint training")),
        ("qi_meeting", _l("QI meeting of partner health centres")),
        ("conference", _l("Conference")), ("peer_session", _l("Internal peer session"))])


class ExchangeForm(Form):
    """A learning exchange."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=3, max=200)])
    kind = SelectField(_l("Kind of exchange"), choices=kind_choices())
    starts_on = DateField(_l("First day"), validators=[InputRequired(), DateWithin(
        back=EXCHANGE_BACK_DAYS)])
    ends_on = DateField(_l("Last day"), validators=[Optional(), DateWithin(
        back=EXCHANGE_BACK_DAYS)])
    partner_ids = CheckboxesField(_l("Partner organisations"), coerce=int,
                                  validators=[Optional()])
    skill_ids = CheckboxesField(_l("Topics"), coerce=int, validators=[Optional()])
    staff_emails = TextAreaField(_l("Staff who took part (e-mail addresses, one per line)"),
                                 validators=[Length(max=5000)])
    externals = TextAreaField(_l("Other participants (one per line: name, organisation)"),
                              validators=[Length(max=5000)])

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then the last day against the first when both are valid."""
        valid = super().validate(extra_validators)
        start, end = self.starts_on.data, self.ends_on.data
        if start and end and not self.starts_on.errors and not self.ends_on.errors:
            if end < start:
                self.ends_on.errors.append(_l("The last day cannot come before the first."))
                return False
            if services.too_long(start, end):
                self.ends_on.errors.append(services.too_long_message())
                return False
        return valid


class LessonForm(Form):
    """A lesson learned."""

    title = StringField(_l("The lesson in a few words"),
                        validators=[DataRequired(), Length(min=3, max=200)])
    what_worked = TextAreaField(_l("What works"), validators=[Length(max=2000)])
    what_to_avoid = TextAreaField(_l("What to avoid"), validators=[Length(max=2000)])
    idea = TextAreaField(_l("An idea to try here"), validators=[Length(max=2000)])
    programme = StringField(_l("Programme"), validators=[Length(max=160)])
    team_id = SelectField(_l("Site or team it comes from"), coerce=optional_int,
                          validators=[Optional()])
    tags = StringField(_l("Tags (comma-separated)"), validators=[Length(max=300)])

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then that the lesson says something (as the service will)."""
        valid = super().validate(extra_validators)
        texts = (self.what_worked, self.what_to_avoid, self.idea)
        if not any(f.errors for f in texts) and not any((f.data or "").strip() for f in texts):
            self.what_worked.errors.append(_l("Write what worked, what to avoid or an idea to "
                                              "try."))
            return False
        return valid


class ShareBackForm(Form):
    """How what was learned was shared with the team."""

    kind = RadioField(_l("How was it shared?"), default="session", choices=choices_of([
        ("session", _l("A session with the team")), ("note", _l("A written note"))]))
    done_on = DateField(_l("Date"), validators=[InputRequired(), DateWithin(
        ahead=0, back=EXCHANGE_BACK_DAYS)])
    attendees = TextAreaField(_l("Who attended (for a session)"), validators=[Length(max=2000)])
    note = TextAreaField(_l("The note (for a written note)"), validators=[Length(max=5000)])

    def __init__(self, *args, exchange_starts_on: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        #: The exchange's first day: a share-back cannot be dated before it.
        self.exchange_starts_on = exchange_starts_on

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then the date against the exchange, and what the kind needs."""
        valid = super().validate(extra_validators)
        began, done_on = self.exchange_starts_on, self.done_on.data
        if began and isinstance(done_on, date) and not self.done_on.errors and done_on < began:
            self.done_on.errors.append(services.before_exchange_message(began))
            valid = False
        if self.kind.errors:
            return valid
        if self.kind.data == "session" and not self.attendees.errors \
                and not (self.attendees.data or "").strip():
            self.attendees.errors.append(_l("Say who attended the session."))
            return False
        if self.kind.data == "note" and not self.note.errors \
                and not (self.note.data or "").strip():
            self.note.errors.append(_l("Write the note you shared."))
            return False
        return valid


class FollowUpForm(Form):
    """A participant's answer to "did you apply it?"."""

    after_days = SelectField(_l("After"), coerce=int, choices=choices_of([
        (30, _l("30 days")), (60, _l("60 days"))]))
    applied = RadioField(_l("Did you apply what you learned?"), validators=[InputRequired()],
                         choices=choices_of([("yes", _l("Yes")), ("no", _l("Not yet"))]))
    note = TextAreaField(_l("How, or what stops you?"), id="follow_note",
                         validators=[Length(max=2000)])


class OutcomeForm(Form):
    """Whether an adopted idea worked."""

    worked = RadioField(_l("Did it work here?"), validators=[InputRequired()],
                        choices=choices_of([("yes", _l("Yes")), ("no", _l("No"))]))
    note = TextAreaField(_l("What happened?"), validators=[Length(max=2000)])


class PartnerForm(Form):
    """A partner organisation."""

    name = StringField(_l("Partner organisation"), validators=[DataRequired(),
                                                               Length(max=160)])
