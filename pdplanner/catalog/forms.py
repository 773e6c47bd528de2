"""Forms for the catalogue."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from pdplanner.forms import Form, SelectField, SelectMultipleField, choices_of, optional_int


class AlignmentForm(Form):
    """A core value or strategic priority, named in English and French."""

    kind = SelectField(_l("Kind"), choices=choices_of([("value", _l("Core value")),
                                                       ("priority", _l("Strategic priority"))]))
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=160)])
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=160)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=2000)])
    description_fr = TextAreaField(_l("Description in French"), validators=[Length(max=2000)])


class AreaForm(Form):
    """A skill area named in both languages (own ids: it shares a page with SkillForm)."""

    name_en = StringField(_l("Name in English"), id="area_name_en",
                          validators=[DataRequired(), Length(max=160)])
    name_fr = StringField(_l("Name in French"), id="area_name_fr",
                          validators=[DataRequired(), Length(max=160)])


class SkillForm(Form):
    """A catalogue skill."""

    area_id = SelectField(_l("Area"), coerce=optional_int, validators=[Optional()])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=160)])
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=160)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=2000)])
    description_fr = TextAreaField(_l("Description in French"), validators=[Length(max=2000)])
    alignment_ids = SelectMultipleField(_l("Linked values and priorities"), coerce=int,
                                        validators=[Optional()],
                                        widget=widgets.ListWidget(prefix_label=False),
                                        option_widget=widgets.CheckboxInput())


class AcceptTopicForm(Form):
    """HR takes a proposed topic into the catalogue."""

    area_id = SelectField(_l("Area"), coerce=optional_int, validators=[Optional()])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=160)])
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=160)])


class MergeTopicForm(Form):
    """HR folds a proposed topic into an existing skill."""

    into_id = SelectField(_l("Merge into"), coerce=optional_int, validators=[InputRequired()])
