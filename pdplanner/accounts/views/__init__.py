"""The accounts blueprint: sign-in, profile, people and organisation settings."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from pdplanner.accounts.views import auth, people, profile, settings  # noqa: E402, F401
