"""The supervision blueprint: My team, schedules and sessions."""

from flask import Blueprint, abort
from flask_login import current_user

from pdplanner.supervision import queries

bp = Blueprint("supervision", __name__)


def visible_session(session_id: int):
    """Return a session the viewer takes part in, or answer 404."""
    session = queries.session_for(current_user, session_id)
    if session is None:
        abort(404)
    return session


def led_session(session_id: int):
    """Return a session the viewer supervises: 404 if foreign, 403 for the report."""
    session = visible_session(session_id)
    if session.supervisor_id != current_user.id:
        abort(403)
    return session


from pdplanner.supervision.views import session as _session_views  # noqa: E402, F401
from pdplanner.supervision.views import slot as _slot_views  # noqa: E402, F401
from pdplanner.supervision.views import team as _team_views  # noqa: E402, F401
