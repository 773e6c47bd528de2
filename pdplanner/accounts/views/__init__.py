"""The accounts blueprint: profile, people and organisation settings."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from pdplanner.accounts.views import people, profile, settings  # noqa: E402, F401
