"""One's own profile: name, language, time zone and password."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from pdplanner.accounts import choices, services
from pdplanner.accounts.forms import ChangePasswordForm, ProfileForm
from pdplanner.accounts.views import bp
from pdplanner.errors import RuleViolation, apply_violation
from pdplanner.forms import status_code
from pdplanner.security import verify_password


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    """Show and save one's own profile."""
    user = current_user._get_current_object()
    form = ProfileForm(obj=user if request.method == "GET" else None)
    form.language.choices = choices.language_choices(_l("Automatic (from my browser)"))
    form.timezone.choices = choices.timezone_choices(_l("The organisation's time zone"))
    if request.method == "GET":
        form.language.data = user.language or ""
        form.timezone.data = user.timezone or ""
    if form.validate_on_submit():
        try:
            services.update_profile(user, form.name.data, form.language.data, form.timezone.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, user=user), status_code(form)


@bp.route("/profile/password", methods=["GET", "POST"])
def change_password():
    """Change one's own password; other sessions are signed out."""
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():  # the new password's rules and its repeat, together
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            # The session version moved on; sign this browser in again with it.
            login_user(user)
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("accounts.profile"))
    elif (form.is_submitted() and "csrf_token" not in form.errors and form.current_password.data
          and not verify_password(user.password_hash, form.current_password.data)):
        # The new password is refused: say in the same round if the current one is wrong too.
        form.current_password.errors.append(_("This is not your current password."))
    return render_template("accounts/password.html", form=form), status_code(form)
