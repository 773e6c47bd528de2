"""The site menu and the page head's links: built once per language and role, marked per
request (the menu is on every page; its dozen links were a dozen url_for and gettext calls)."""

from __future__ import annotations

from functools import lru_cache

from flask import render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

#: (endpoint, label, who sees it): everyone, supervisors, HR, HR or supervisors, admins.
ITEMS = (
    ("main.index", _l("My learning"), "all"),
    ("learning.goals", _l("Goals"), "all"),
    ("learning.plan", _l("Plan"), "all"),
    ("supervision.my_sessions", _l("Sessions"), "all"),
    ("exchanges.exchanges", _l("Exchanges"), "all"),
    ("supervision.team", _l("My team"), "supervisor"),
    ("insights.dashboard", _l("Insights"), "hr-or-supervisor"),
    ("accounts.people", _l("People"), "hr"),
    ("accounts.settings", _l("Settings"), "hr"),
    ("reminders.outbox", _l("Mail"), "admin"),
    ("reminders.notifications", _l("Notifications"), "all"),
    ("accounts.profile", _l("Profile"), "all"),
)


def _shown(who: str, supervises: bool, hr: bool, admin: bool) -> bool:
    return {"all": True, "supervisor": supervises, "hr": hr, "admin": admin,
            "hr-or-supervisor": hr or supervises}[who]


@lru_cache(maxsize=64)
def _links(language: str, root: str, supervises: bool, hr: bool, admin: bool):
    """(endpoint, escaped url, escaped label) of the links this person sees, in this
    language."""
    return tuple((endpoint, escape(url_for(endpoint)), escape(str(label)))
                 for endpoint, label, who in ITEMS if _shown(who, supervises, hr, admin))


def main_menu(supervises: bool, hr: bool, admin: bool, unread: int) -> Markup:
    """Return the menu's list items, the current page marked and unread notices counted."""
    path = request.path
    items = []
    for endpoint, url, label in _links(str(get_locale() or "en"), request.script_root,
                                       bool(supervises), bool(hr), bool(admin)):
        current = ' aria-current="page"' if url == path else ""
        badge = ""
        if endpoint == "reminders.notifications" and unread:
            said = escape(ngettext("unread", "unread", unread))  # (outside the f-string, where
            # the catalogue's extractor finds it)
            badge = (f' <span class="badge planned">{int(unread)}<span class="sr-only"> '
                     f'{said}</span></span>')
        items.append(f'<li><a href="{url}"{current}>{label}{badge}</a></li>')
    return Markup("\n".join(items))  # noqa: S704 (every part above is escaped)


@lru_cache(maxsize=256)
def _url(root: str, endpoint: str, values: tuple) -> str:
    return url_for(endpoint, **dict(values))


def fixed_url(endpoint: str, **values) -> str:
    """Return url_for's answer for a URL that depends only on its few arguments (a static
    file, the sign-out form), remembered per path prefix."""
    return _url(request.script_root, endpoint, tuple(sorted(values.items())))


def static_url(filename: str) -> str:
    """Return a static file's URL."""
    return fixed_url("static", filename=filename)


_FRAGMENTS: dict[tuple[str, str], Markup] = {}


def fixed_fragment(name: str) -> Markup:
    """Return a template that depends on nothing but the language (the device's queue of
    offline actions, on every page), rendered once per language."""
    key = (name, str(get_locale() or "en"))
    if key not in _FRAGMENTS:
        _FRAGMENTS[key] = Markup(render_template(name))  # noqa: S704 (rendered with autoescape)
    return _FRAGMENTS[key]


def register(app) -> None:
    """Give templates the menu, the fixed URLs and the fixed fragments."""
    app.jinja_env.globals.update(main_menu=main_menu, static_url=static_url, fixed_url=fixed_url,
                                 fixed_fragment=fixed_fragment)
