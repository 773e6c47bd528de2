"""Organisation settings, teams and sites, and job levels (HR and admin)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner.accounts import choices, organisation, queries
from pdplanner.accounts.forms import LevelForm, SettingsForm, TeamForm
from pdplanner.accounts.models import Team
from pdplanner.accounts.views import bp
from pdplanner.errors import RuleViolation, apply_violation
from pdplanner.forms import EmptyForm, blank_once, status_code


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Edit the organisation's name, language, time zone and default cadence."""
    org = queries.organisation()
    form = SettingsForm(obj=org if request.method == "GET" else None)
    form.default_cadence.choices = choices.cadence_choices()
    form.country.choices = choices.country_choices()
    if form.validate_on_submit():
        try:
            organisation.update_settings(current_user, form.name.data, form.default_language.data,
                                         form.timezone.data, form.default_cadence.data,
                                         form.participation_target.data,
                                         form.country.data, form.sms_monthly_cap.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/settings.html", form=form), status_code(form)


def _team_form(team=None) -> TeamForm:
    """Build a team form with its kind choices."""
    form = TeamForm(obj=team if request.method == "GET" else None)
    form.kind.choices = choices.team_kind_choices()
    return form


def _save_team(form: TeamForm, team: Team | None) -> bool:
    """Save a team from its form; return True on success."""
    try:
        organisation.save_team(current_user, team, form.name.data, form.kind.data,
                               form.is_partner.data, form.description.data,
                               form.archived.data, form.name_fr.data)
    except RuleViolation as error:
        apply_violation(form, error)
        return False
    flash(_("Saved."), "success")
    return True


@bp.route("/settings/teams", methods=["GET", "POST"])
def teams():
    """List teams and sites and add one."""
    form = _team_form()
    if form.validate_on_submit() and _save_team(form, None):
        return redirect(url_for("accounts.teams"))
    return render_template("accounts/teams.html", form=form, blank_once=blank_once,
                           teams=queries.teams(include_archived=True,
                                                language=str(get_locale() or "en"))), (
        status_code(form))


@bp.route("/settings/teams/<int:team_id>", methods=["GET", "POST"])
def team_edit(team_id: int):
    """Edit a team or site."""
    team = queries.team_by_id(team_id) or abort(404)
    form = _team_form(team)
    if form.validate_on_submit() and _save_team(form, team):
        return redirect(url_for("accounts.teams"))
    return render_template("accounts/team_form.html", form=form, team=team), status_code(form)


@bp.route("/settings/levels", methods=["GET", "POST"])
def levels():
    """List job levels in order and add one at the bottom."""
    form = LevelForm()
    if form.validate_on_submit():
        try:
            organisation.save_level(current_user, None, form.name.data, form.name_fr.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.levels"))
    return render_template("accounts/levels.html", form=form, levels=queries.levels(),
                           move_form=EmptyForm()), status_code(form)


@bp.route("/settings/levels/<int:level_id>", methods=["GET", "POST"])
def level_edit(level_id: int):
    """Rename a job level."""
    level = queries.level_by_id(level_id) or abort(404)
    form = LevelForm(obj=level if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            organisation.save_level(current_user, level, form.name.data, form.name_fr.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.levels"))
    return render_template("accounts/level_form.html", form=form, level=level), (
        status_code(form))


@bp.route("/settings/levels/<int:level_id>/move/<any(up, down):direction>", methods=["POST"])
def level_move(level_id: int, direction: str):
    """Move a level up or down the ordered list."""
    level = queries.level_by_id(level_id) or abort(404)
    if EmptyForm().validate_on_submit():
        organisation.move_level(current_user, level, direction)
    return redirect(url_for("accounts.levels"))
