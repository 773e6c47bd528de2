"""Links: back links that lead to the page a person came from within the app, and the
templates' url_for; knows no room."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask import url_for as flask_url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from pdplanner.inputs import DB_INT_MAX
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


#: Numbers that stand for a URL's integer arguments while its pattern is built: a page with
#: a link per row builds each distinct link shape once, then fills in the numbers.
_SLOT = 1_000_000_007
_NUMBER = object()  # marks an integer argument in a link shape
_OPTIONS = ("_external", "_scheme", "_method")


@lru_cache(maxsize=1024)
def _pattern(root: str, endpoint: str,
             shape: tuple[tuple[str, object], ...]) -> tuple[str, tuple[str, ...]] | None:
    """Return (url with slots, slot strings in the order of the numbered arguments) for this
    link shape, or None if a slot does not appear exactly once in the url (url_for is then
    called every time)."""
    values, slots = {}, []
    for name, value in shape:  # the arguments' order is kept: it orders the query string
        if value is _NUMBER:
            slots.append(str(_SLOT + len(slots)))
            value = int(slots[-1])
        values[name] = value
    url = flask_url_for(endpoint, **values)
    if any(url.count(slot) != 1 for slot in slots):
        return None
    return url, tuple(slots)


def url_for(endpoint: str, **values) -> str:
    """Templates' url_for: the same URL as Flask's, built once per link shape (endpoint,
    arguments, non-integer values) and then filled with the row's integers."""
    if not has_request_context() or endpoint.startswith(".") or any(o in values for o in _OPTIONS):
        return flask_url_for(endpoint, **values)
    numbers = [v for v in values.values()
               if type(v) is int and 0 <= v <= DB_INT_MAX]  # noqa: E721 (not a bool)
    shape = tuple((k, _NUMBER if type(v) is int and 0 <= v <= DB_INT_MAX else v)  # noqa: E721
                  for k, v in values.items())
    try:
        found = _pattern(request.script_root, endpoint, shape)
    except TypeError:  # an unhashable value: build it the usual way
        return flask_url_for(endpoint, **values)
    if found is None:
        return flask_url_for(endpoint, **values)
    url, slots = found
    for slot, number in zip(slots, numbers, strict=True):
        url = url.replace(slot, str(number))
    return url
