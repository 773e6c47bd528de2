"""Forms for the catalogue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from pdplanner.forms import choices_of


class AlignmentForm(FlaskForm):
    """A core value or strategic priority, named in English and French."""

    kind = SelectField(_l("Kind"), choices=choices_of([("value", _l("Core value")),
                                                       ("priority", _l("Strategic priority"))]))
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=160)])
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=160)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=2000)])
    description_fr = TextAreaField(_l("Description in French"), validators=[Length(max=2000)])
