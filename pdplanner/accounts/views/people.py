"""HR's people pages: list, add, edit, deactivate, import."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from pdplanner.accounts import choices, people_list, policy, queries
from pdplanner.accounts.forms import ImportForm, PersonForm, submitted
from pdplanner.accounts.page_words import PERSON_PAGE
from pdplanner.accounts.people import (
    PersonData,
    create_person,
    invite,
    invite_many,
    resend_invitation,
    set_active,
    update_person,
)
from pdplanner.accounts.phones import channel_choices
from pdplanner.accounts.staff_apply import import_staff
from pdplanner.accounts.views import bp
from pdplanner.errors import PermissionDenied, RuleViolation, StaleEdit, apply_violation
from pdplanner.forms import POST_BUTTON, EmptyForm
from pdplanner.inputs import query_int
from pdplanner.security import client_address
from pdplanner.words import words


@bp.route("/people")
def people():
    """List people with search, team and level filters, and pages."""
    args = request.args
    team_id, level_id = query_int("team"), query_int("level")
    status = args.get("status", "active")
    q = args.get("q", "")[:100]
    language = str(get_locale() or "en")
    page = people_list.people_page(current_user, q, team_id, level_id, status,
                                   language=language, page=query_int("page", 1, minimum=1),
                                   per_page=current_app.config["PEOPLE_PER_PAGE"])
    return render_template(
        "accounts/people.html", page=page, rows=people_list.rows_html(page.items), q=q,
        team_id=team_id, level_id=level_id, status=status,
        team_options=people_list.filter_options(tuple(queries.team_names(language)), team_id),
        level_options=people_list.filter_options(tuple(queries.level_names(language)), level_id),
    )


def _person_form(person=None) -> tuple[PersonForm, list]:
    """Build the person form with its choices filled in; return it with the person's
    direct reports (read with the choices) as (id, name)."""
    form = PersonForm(obj=person if request.method == "GET" else None)
    lists = choices.person_form_choices(current_app.config["SUPERVISOR_SELECT_MAX"],
                                        person.id if person else None)
    form.team_id.choices, form.level_id.choices = lists.teams, lists.levels
    if lists.supervisors is None:
        del form.supervisor_id  # a list of everyone would grow with the organisation
        if request.method == "GET" and person is not None and person.supervisor is not None:
            form.supervisor_email.data = person.supervisor.email
    else:
        del form.supervisor_email
        form.supervisor_id.choices = lists.supervisors
    form.reminder_channel.choices = channel_choices()
    form.language.choices = choices.language_choices(_l("Automatic (from the browser)"))
    if request.method == "GET" and person is not None:
        form.language.data = person.language or ""
        form.timezone.data = person.timezone or ""
        form.version.data = person.version
        form.phone.data = person.phone or ""
        form.reminder_channel.data = person.reminder_channel.value
    if not policy.may_grant_roles(current_user):
        form.is_hr.render_kw = form.is_admin.render_kw = {"disabled": True}
    return form, lists.reports


def _data(form: PersonForm, person=None) -> PersonData:
    """Read the submitted person fields (roles only when the actor may grant them)."""
    may_grant = policy.may_grant_roles(current_user)
    return PersonData(
        email=form.email.data, name=form.name.data, team_id=form.team_id.data,
        level_id=form.level_id.data,
        supervisor_id=form.supervisor_id.data if "supervisor_id" in form else None,
        supervisor_email=(form.supervisor_email.data or "") if "supervisor_email" in form else None,
        language=form.language.data, timezone=form.timezone.data,
        is_hr=form.is_hr.data if may_grant else bool(person and person.is_hr),
        is_admin=form.is_admin.data if may_grant else bool(person and person.is_admin),
        phone=submitted(form.phone), reminder_channel=form.reminder_channel.data or None,
    )


@bp.route("/people/new", methods=["GET", "POST"])
def person_new():
    """Add a person; they choose a password through the reset link."""
    form, _reports = _person_form()
    if form.validate_on_submit():
        try:
            person = create_person(current_user, _data(form))
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            if form.invite.data and person.email:
                invite(current_user, person)
                flash(_("%(name)s is added and invited by e-mail to choose a password.",
                        name=person.name), "success")
            else:
                flash(_("%(name)s is added. Invite them from their page when you are "
                        "ready.", name=person.name), "success")
            return redirect(url_for("accounts.person", person_id=person.id))
    return render_template("accounts/person_form.html", form=form, person=None,
                           w=words(PERSON_PAGE)), (
        422 if form.errors or form.form_errors else 200)


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
def person(person_id: int):
    """Show and edit one person's record."""
    person = queries.person_for(current_user, person_id)
    if person is None:
        abort(404)
    if request.method == "POST" and not policy.may_manage_person(current_user, person):
        abort(403)
    form, reports = _person_form(person)
    status = 200
    if form.validate_on_submit():
        try:
            update_person(current_user, person, _data(form, person), form.version.data or 0)
        except RuleViolation as error:
            apply_violation(form, error)
        except StaleEdit:
            form.form_errors.append(_("Someone saved this person since you opened the page. "
                                      "Your changes are below; check them and save again."))
            form.version.data = person.version
            status = 409
        except PermissionDenied:
            abort(403)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.person", person_id=person.id))
    if form.errors and status == 200:
        status = 422
    return render_template("accounts/person_form.html", form=form, person=person,
                           w=words(PERSON_PAGE),
                           **queries.person_page_extras(current_user, person),
                           reports=reports, action_form=POST_BUTTON), status


def _toggle(person_id: int, active: bool):
    """Deactivate or reactivate a person and return to their page."""
    person = queries.person_for(current_user, person_id)
    if person is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            set_active(current_user, person, active)
        except RuleViolation as error:
            flash(str(error.message), "error")
        except PermissionDenied:
            abort(403)
        else:
            flash(_("Reactivated.") if active else _("Deactivated: they can no longer sign in."),
                  "success")
    return redirect(url_for("accounts.person", person_id=person.id))


@bp.route("/people/<int:person_id>/invite", methods=["POST"])
def person_invite(person_id: int):
    """E-mail a person (again) a link to choose their password."""
    person = queries.person_for(current_user, person_id)
    if person is None:
        abort(404)
    if not policy.may_manage_person(current_user, person):
        abort(403)
    if EmptyForm().validate_on_submit():
        try:
            resend_invitation(current_user, person, client_address())
        except RuleViolation as error:
            flash(str(error.message), "error")
        else:
            flash(_("Invitation sent to %(email)s.", email=person.email), "success")
    return redirect(url_for("accounts.person", person_id=person.id))


@bp.route("/people/<int:person_id>/deactivate", methods=["POST"])
def person_deactivate(person_id: int):
    """Deactivate a person (nobody is deleted)."""
    return _toggle(person_id, False)


@bp.route("/people/<int:person_id>/reactivate", methods=["POST"])
def person_reactivate(person_id: int):
    """Reactivate a person."""
    return _toggle(person_id, True)


@bp.route("/people/import", methods=["GET", "POST"])
def people_import():
    """Import staff from a CSV file: every row checked, all or nothing."""
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        try:
            result = import_staff(current_user, form.file.data.read())
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            if not result.errors:
                invited = invite_many(current_user, result.new_people) if form.invite.data \
                    else 0
                flash(_("Import done: %(c)d added, %(u)d updated.", c=result.created,
                        u=result.updated) + (" " + ngettext(
                            "%(num)d invitation sent.", "%(num)d invitations sent.", invited)
                            if invited else ""), "success")
                return redirect(url_for("accounts.people"))
    status = 422 if (result and result.errors) or form.errors else 200
    return render_template("accounts/import.html", form=form, result=result), status
