"""One's own profile: name, language, time zone and password."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from pdplanner.accounts import choices, people
from pdplanner.accounts.forms import ProfileForm, submitted
from pdplanner.accounts.page_words import PROFILE_PAGE
from pdplanner.accounts.phones import channel_choices
from pdplanner.accounts.views import bp
from pdplanner.errors import RuleViolation, apply_violation
from pdplanner.forms import status_code
from pdplanner.words import words


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    """Show and save one's own profile."""
    user = current_user._get_current_object()
    form = ProfileForm(obj=user if request.method == "GET" else None)
    form.language.choices = choices.language_choices(_l("Automatic (from my browser)"))
    form.reminder_channel.choices = channel_choices()
    if request.method == "GET":
        form.language.data = user.language or ""
        form.timezone.data = user.timezone or ""
        form.phone.data = user.phone or ""
        form.reminder_channel.data = user.reminder_channel.value
    if form.validate_on_submit():
        try:
            people.update_profile(user, form.name.data, form.language.data, form.timezone.data,
                                  submitted(form.phone), form.reminder_channel.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, user=user,
                           w=words(PROFILE_PAGE)), status_code(form)
