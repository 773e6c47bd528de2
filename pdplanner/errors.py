"""Domain errors raised by services, and the error pages that answer them."""

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest

from pdplanner.extensions import db


class DomainError(Exception):
    """Base class for errors a service raises on purpose."""


class NotFound(DomainError):
    """The object does not exist, or is not the caller's to see."""


class PermissionDenied(DomainError):
    """The caller may not do this."""


class RuleViolation(DomainError):
    """A business rule refused the input; `field` names the form field to blame."""

    def __init__(self, field: str | None, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


class StaleEdit(DomainError):
    """Someone saved the record since this form was loaded."""


class Throttled(DomainError):
    """Too many attempts from this address or for this account; retry after some seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        """Say how long to wait, in whole minutes, in the reader's language."""
        minutes = max(1, -(-self.retry_after // 60))
        return ngettext("Too many attempts. For your security, wait %(num)d minute, "
                        "then try again.",
                        "Too many attempts. For your security, wait %(num)d minutes, "
                        "then try again.", minutes)


class BadInput(BadRequest):
    """A value no page of ours sends (a tampered hidden field, a NUL in the address): 400."""

    def __init__(self, message=None):
        super().__init__()
        self.message = message or _l(
            "This request holds a value that cannot be used (a number out of range, an "
            "invisible character or a changed hidden field). Go back, reload the page and "
            "try again.")


def apply_violation(form, error: RuleViolation) -> None:
    """Attach a service's RuleViolation to the matching form field (or the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def register_error_handlers(app: Flask) -> None:
    """Answer 400/403/404/405/409/413/429/500/503 with pages that leak nothing."""
    titles = {
        400: _l("Bad request"),
        403: _l("You do not have access to this page"),
        404: _l("Page not found"),
        405: _l("This action is not allowed here"),
        409: _l("Someone else saved this first"),
        413: _l("What you sent is too large"),
        503: _l("The service is busy, please try again"),
    }

    messages = {
        413: _l("You can send at most %(size)s at a time. Go back, make the file or the text "
                "smaller, and try again.", size=f"{app.config['MAX_CONTENT_LENGTH'] // 2**20} MB"),
    }

    def render(code: int, message=None):
        # Never touch the request body here: an over-long body raises again when read.
        return render_template("errors/error.html", code=code, title=titles.get(code),
                               message=message or messages.get(code)), code

    for code in titles:
        app.register_error_handler(
            code, lambda e, code=code: render(code, getattr(e, "message", None)))

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        """A full disk, a lock held too long or a lost database: nothing half-written, 503."""
        db.session.rollback()
        app.logger.exception("database unavailable")
        response = render(503)
        return response[0], 503, {"Retry-After": "30"}

    @app.errorhandler(Throttled)
    def throttled(error: Throttled):
        """Too many attempts: 429, how long to wait, and when to come back."""
        db.session.rollback()
        page = render_template("errors/error.html", code=429, title=error.message)
        return page, 429, {"Retry-After": str(error.retry_after)}

    @app.errorhandler(500)
    def internal_error(error):
        """Roll back whatever the failed request left half-done."""
        db.session.rollback()
        title = _l("Something went wrong on our side")
        return render_template("errors/error.html", code=500, title=title), 500
