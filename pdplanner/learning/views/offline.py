"""The one door for actions a device kept while offline: each is recorded once, or refused."""

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from pdplanner.errors import NotFound, PermissionDenied
from pdplanner.idempotency import DeviceOutcome
from pdplanner.learning import offline
from pdplanner.learning.views import bp


def _queued() -> tuple[str, str, dict, dict[str, str]]:
    """Read {key, user, path, fields} from the JSON body; anything else is a 400."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    key, path, fields = body.get("key"), body.get("path"), body.get("fields")
    if (not isinstance(key, str) or not 8 <= len(key) <= 64 or not isinstance(path, str)
            or len(path) > 200 or not isinstance(fields, dict)
            or not all(isinstance(v, str) and len(v) <= 5000 for v in fields.values())):
        abort(400)
    try:
        endpoint, args = current_app.url_map.bind("").match(path, method="POST")
    except HTTPException:
        endpoint, args = "", {}
    return key, str(body.get("user", "")), {"endpoint": endpoint, **args}, fields


def _gone():
    """Answer that the action's object is not the sender's, or no longer exists (404)."""
    return jsonify(outcome=DeviceOutcome.REFUSED,
                   message=_("This date or goal no longer exists.")), 404


@bp.route("/offline/actions", methods=["POST"])
def offline_action():
    """Record an action kept on the device; the same key sent again answers as the first."""
    key, user, target, fields = _queued()
    if user != str(current_user.id):
        return jsonify(outcome=DeviceOutcome.REFUSED,
                       message=_("Kept on this device by someone else: not sent.")), 403
    endpoint = target.pop("endpoint")
    if endpoint not in offline.OFFLINE_FORMS:
        return _gone()
    try:
        answer = offline.send(current_user._get_current_object(), key, endpoint, target, fields)
    except (NotFound, PermissionDenied):
        return _gone()
    status = 200 if answer.outcome == DeviceOutcome.RECORDED else 409
    return jsonify(outcome=answer.outcome, message=answer.message), status
