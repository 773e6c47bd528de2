"""Sign-in forms: e-mail and password, a reset link asked for, a new password chosen."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from pdplanner.errors import RuleViolation
from pdplanner.forms import Form
from pdplanner.identity.services import check_new_password
from pdplanner.security import PASSWORD_MAX


class LoginForm(Form):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this device"))


class ForgotPasswordForm(Form):
    """Ask for a reset link."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "username"})


def new_password_rules(form, field) -> None:
    """Apply the service's rules for a new password, so the form reports them with the rest."""
    try:
        check_new_password(field.data or "")
    except RuleViolation as error:
        raise ValidationError(error.message) from None


class ResetPasswordForm(Form):
    """Choose a new password from a reset link: its rules and the repeat are checked at once."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), new_password_rules],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(ResetPasswordForm):
    """Change one's own password."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
