"""One's skills: rate oneself from 1 to 4, and see how that changed."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner.errors import RuleViolation, apply_violation
from pdplanner.forms import choices_of, status_code
from pdplanner.learning import plans, queries
from pdplanner.learning.forms import AssessForm
from pdplanner.learning.views import bp
from pdplanner.learning.views.helpers import language


@bp.route("/skills", methods=["GET", "POST"])
def skills():
    """Rate oneself on a skill; the history shows every rating."""
    lang = language()
    options = queries.skills_for(current_user)
    form = AssessForm()
    form.skill_id.choices = choices_of([("", _("Choose a skill"))]
                                       + [(str(s.id), s.name_for(lang)) for s in options])
    if form.validate_on_submit():
        try:
            plans.assess_skill(current_user, form.skill_id.data, form.level.data, form.note.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Rating saved."), "success")
            return redirect(url_for("learning.skills"))
    history = queries.rating_history(current_user)
    latest = {}
    for rating, rater in history:
        latest.setdefault(rating.skill_id, (rating, rater))
    return render_template("learning/skills.html", form=form, history=history,
                           latest=list(latest.values()), lang=lang), status_code(form)
