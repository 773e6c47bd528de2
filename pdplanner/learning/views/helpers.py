"""Small pieces shared by the learning views."""

from datetime import date

from flask_babel import get_locale, get_timezone
from flask_login import current_user

from pdplanner.catalog import queries as catalog_queries
from pdplanner.forms import choices_of
from pdplanner.learning import queries
from pdplanner.learning.goals import GoalData
from pdplanner.types import today_in


def language() -> str:
    """Return the current interface language."""
    return str(get_locale() or "en")


def reader_today() -> date:
    """Return today where the reader lives, in the zone the page shows dates in (Flask-Babel
    finds it once per request, with the organisation it reads for that anyway)."""
    return today_in(str(get_timezone()))


def fill_goal_choices(form, person) -> None:
    """Offer the person's skills and the live values and priorities."""
    lang = language()
    form.skill_ids.choices = choices_of(
        [(s.id, s.name_for(lang)) for s in queries.skills_for(person)])
    form.alignment_ids.choices = choices_of(
        [(a.id, a.name_for(lang)) for a in catalog_queries.alignments()])


def goal_data(form) -> GoalData:
    """Read a goal form into GoalData."""
    return GoalData(
        title=form.title.data, why=form.why.data, success=form.success.data,
        target_date=form.target_date.data, skill_ids=list(form.skill_ids.data or []),
        alignment_ids=list(form.alignment_ids.data or []),
        personal_interest=bool(getattr(form, "personal_interest", None)
                               and form.personal_interest.data),
        visibility=getattr(form, "visibility", None) and form.visibility.data or "shared",
        new_topic=getattr(form, "new_topic", None) and form.new_topic.data or "")


def is_owner(goal) -> bool:
    """Tell whether the viewer owns the goal."""
    return goal.owner_id == current_user.id
