"""Sign in, sign out, change one's password and reset a forgotten one."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from pdplanner.accounts.queries import organisation
from pdplanner.errors import RuleViolation, Throttled, apply_violation
from pdplanner.forms import EmptyForm, status_code
from pdplanner.identity import services
from pdplanner.identity.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
)
from pdplanner.security import client_address, safe_next, verify_password

bp = Blueprint("identity", __name__)


@bp.route("/auth/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the person in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data,
                                         client_address())
        except Throttled as error:
            return _too_many("identity/login.html", form, error)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    status = 200 if not form.errors and not form.form_errors else 422
    return render_template("identity/login.html", form=form), status


def _too_many(template: str, form, error: Throttled):
    """Show the form again, what was typed kept, with how long to wait (429)."""
    form.form_errors.append(error.message)
    return render_template(template, form=form), 429, {"Retry-After": str(error.retry_after)}


@bp.route("/auth/logout", methods=["POST"])
def logout():
    """Sign out and end every copy of this session."""
    if EmptyForm().validate_on_submit():
        services.end_session(current_user._get_current_object())
        logout_user()
        flash(_("You are signed out."), "success")
        response = redirect(url_for("identity.login"))
        # The installed app's copies of this person's pages and queued actions go too.
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
        return response
    return redirect(url_for("identity.login"))


@bp.route("/auth/forgot", methods=["GET", "POST"])
def forgot_password():
    """Send a reset link to an address; the answer never says whether it exists."""
    if current_user.is_authenticated:
        return redirect(url_for("identity.change_password"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            services.request_password_reset(form.email.data, client_address())
        except Throttled as error:
            return _too_many("identity/forgot.html", form, error)
        flash(_("If this address belongs to an account, a reset link is on its way. "
                "It works once, for 60 minutes."), "success")
        return redirect(url_for("identity.login"))
    return render_template("identity/forgot.html", form=form)


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from an e-mailed reset link."""
    return _choose_password(token, "reset")


@bp.route("/auth/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    """A new person chooses their first password from their invitation."""
    return _choose_password(token, "invite")


def _choose_password(token: str, purpose: str):
    """Set a password from a reset or invitation link, then send the person to sign in.

    Only a valid link signs out whoever is signed in here: a broken one changes nothing.
    """
    if services.user_for_reset_token(token, purpose) is None:
        flash(_("This reset link is invalid or has expired. Ask for a new one.")
              if purpose == "reset" else
              _("This invitation has expired or was already used. Ask for a reset link "
                "here, or ask HR to invite you again."), "error")
        return redirect(url_for("identity.forgot_password"))
    if current_user.is_authenticated:
        logout_user()
    form = ResetPasswordForm()
    if form.validate_on_submit():  # the length rule and the repeat are checked together
        try:
            services.reset_password(token, form.password.data, purpose)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Your password is changed. Sign in with it now.") if purpose == "reset"
                  else _("Welcome! Sign in with your e-mail address and this password."),
                  "success")
            return redirect(url_for("identity.login"))
    return render_template("identity/reset.html", form=form, welcome=purpose == "invite",
                           organisation=organisation()), status_code(form)


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
    return render_template("identity/password.html", form=form), status_code(form)
