"""The catalog's blueprint, which its page modules add their routes to."""

from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/catalog")
