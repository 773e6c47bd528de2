"""Back links that lead to the page a person came from within the app; knows no room."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from pdplanner.security import safe_next

#: Pages a back link may lead to (by endpoint), and what the link then says.
BACK_LABELS = {
    "main.index": _l("← My learning"),
    "supervision.team": _l("← My team"),
    "supervision.history": _l("← Sessions"),
    "supervision.my_sessions": _l("← Sessions"),
    "insights.dashboard": _l("← Insights"),
    "insights.people": _l("← Insights"),
    "accounts.person": _l("← Back"),
    "accounts.people": _l("← People"),
}


def back_link(default_url: str, default_label: str) -> tuple[str, str]:
    """Return (url, label) of the page named by ``?back=``, if it is one of ours, else the
    default; only a same-site relative path to a known page is ever offered."""
    target = safe_next(request.args.get("back"))
    if target:
        try:
            endpoint, _args = current_app.url_map.bind("localhost").match(
                urlsplit(target).path, method="GET")
        except HTTPException:
            endpoint = None
        if endpoint in BACK_LABELS:
            return target, str(BACK_LABELS[endpoint])
    return default_url, default_label
