"""HR's pages for skill areas, skills and topics proposed by staff."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner.catalog import queries, skills
from pdplanner.catalog.forms import AcceptTopicForm, AreaForm, MergeTopicForm, SkillForm
from pdplanner.catalog.models import Skill, SkillStatus
from pdplanner.catalog.views.blueprint import bp
from pdplanner.errors import RuleViolation, apply_violation
from pdplanner.forms import EmptyForm, choices_of, status_code


def _lang() -> str:
    return str(get_locale() or "en")


def _area_choices():
    return choices_of([("", _("— no area —"))]
                      + [(str(a.id), a.name_for(_lang())) for a in queries.areas()])


def _skill_form(skill: Skill | None, posted: bool = True) -> SkillForm:
    """A skill's form with its area and value/priority choices (blank unless `posted`)."""
    if not posted:
        form = SkillForm(formdata=None)
    else:
        form = SkillForm(obj=skill if skill is not None and request.method == "GET" else None)
    form.area_id.choices = _area_choices()
    form.alignment_ids.choices = choices_of([(a.id, a.name_for(_lang()))
                                             for a in queries.alignments()])
    return form


def _save_skill(form: SkillForm, skill: Skill | None) -> bool:
    """Save a new or edited skill from its form; return True when it is saved."""
    try:
        skills.save_skill(current_user, skill, form.area_id.data, form.name_en.data,
                          form.name_fr.data, form.description_en.data,
                          form.description_fr.data, form.alignment_ids.data)
    except RuleViolation as error:
        apply_violation(form, error)
        return False
    flash(_("Saved."), "success")
    return True


def _skills_page(form: SkillForm, area_form: AreaForm):
    """The skills page with its two forms (the one posted keeps its input); 422 when either
    shows errors."""
    return render_template("catalog/skills.html", form=form, lang=_lang(),
                           skills=queries.catalogue_skills(include_archived=True),
                           areas=queries.areas(include_archived=True),
                           proposals=queries.proposals(), area_form=area_form,
                           action_form=EmptyForm()), max(status_code(form),
                                                         status_code(area_form))


@bp.route("/skills", methods=["GET", "POST"])
def skills_list():
    """List skills by area and add a skill."""
    form = _skill_form(None)
    if form.validate_on_submit() and _save_skill(form, None):
        return redirect(url_for("catalog.skills_list"))
    return _skills_page(form, AreaForm(formdata=None))


@bp.route("/skills/<int:skill_id>", methods=["GET", "POST"])
def skill_edit(skill_id: int):
    """Edit a catalogue skill."""
    skill = queries.skill(skill_id)
    if skill is None or skill.status != SkillStatus.CATALOGUE:
        abort(404)
    form = _skill_form(skill)
    if request.method == "GET":
        form.alignment_ids.data = [a.id for a in skill.alignments]
    if form.validate_on_submit() and _save_skill(form, skill):
        return redirect(url_for("catalog.skills_list"))
    return render_template("catalog/skill_form.html", form=form, skill=skill,
                           action_form=EmptyForm()), status_code(form)


@bp.route("/skills/<int:skill_id>/archive", methods=["POST"])
def skill_archive(skill_id: int):
    """Archive or restore a skill."""
    skill = queries.skill(skill_id) or abort(404)
    if EmptyForm().validate_on_submit():
        skills.set_skill_archived(current_user, skill, not skill.archived)
    return redirect(url_for("catalog.skills_list"))


@bp.route("/areas", methods=["POST"])
def area_new():
    """Add a skill area."""
    form = AreaForm()
    if form.validate_on_submit():
        try:
            skills.save_area(current_user, None, form.name_en.data, form.name_fr.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("catalog.skills_list") + "#areas")
    return _skills_page(_skill_form(None, posted=False), form)


@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
def area_edit(area_id: int):
    """Rename a skill area."""
    area = queries.area(area_id) or abort(404)
    form = AreaForm(obj=area if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            skills.save_area(current_user, area, form.name_en.data, form.name_fr.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("catalog.skills_list") + "#areas")
    return render_template("catalog/area_form.html", form=form, area=area), status_code(form)


@bp.route("/proposals/<int:skill_id>", methods=["GET", "POST"])
def proposal(skill_id: int):
    """Decide on a topic proposed by staff: accept, merge, or leave it personal."""
    topic = queries.skill(skill_id)
    if topic is None or topic.status != SkillStatus.PROPOSED:
        abort(404)
    accept_form, merge_form = AcceptTopicForm(prefix="accept"), MergeTopicForm(prefix="merge")
    accept_form.area_id.choices = _area_choices()
    merge_form.into_id.choices = choices_of(
        [("", _("Choose a skill"))] + [(str(s.id), s.name_for(_lang()))
                                      for s in queries.catalogue_skills()])
    if request.method == "GET":
        accept_form.name_en.data, accept_form.name_fr.data = topic.name_en, topic.name_fr
    decision = request.form.get("decision")
    try:
        if decision == "accept" and accept_form.validate_on_submit():
            skills.accept_topic(current_user, topic, accept_form.area_id.data,
                                accept_form.name_en.data, accept_form.name_fr.data)
        elif decision == "merge" and merge_form.validate_on_submit():
            skills.merge_topic(current_user, topic, merge_form.into_id.data)
        elif decision == "personal" and EmptyForm().validate_on_submit():
            skills.keep_personal(current_user, topic)
        else:
            decision = None
    except RuleViolation as error:
        apply_violation(merge_form if decision == "merge" else accept_form, error)
        decision = None
    if decision:
        flash(_("Decision recorded."), "success")
        return redirect(url_for("catalog.skills_list") + "#proposals")
    status = 422 if request.method == "POST" else 200
    return render_template("catalog/proposal.html", topic=topic, accept_form=accept_form,
                           merge_form=merge_form, action_form=EmptyForm()), status
