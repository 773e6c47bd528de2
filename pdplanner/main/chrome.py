"""The frame of every page — the head's links, the header with its menu, the device's notices
and the footer's language switch — written once per language and path prefix; a request
fills in only its own values (its CSRF token, the person's menu, the path it came from).
As template code the frame cost a third of a short page."""

from __future__ import annotations

from functools import lru_cache

from flask import request
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from pdplanner.forms import csrf_input
from pdplanner.main.menu import fixed_fragment, fixed_url, main_menu, static_url

_CSRF = "\x00csrf\x00"  # where a request's CSRF field goes in a frame written once


def _language() -> str:
    return str(get_locale() or "en")


@lru_cache(maxsize=64)
def _head(language: str, root: str) -> str:
    """The head's links after the title (styles, icons, manifest, scripts)."""
    return (f'  <link rel="stylesheet" href="{escape(static_url("app.css"))}">\n'
            f'  <link rel="icon" href="{escape(static_url("favicon.svg"))}" type="image/svg+xml">\n'
            f'  <link rel="manifest" href="{escape(fixed_url("main.manifest", lang=language))}">\n'
            f'  <link rel="apple-touch-icon" href="{escape(static_url("icons/icon-192.png"))}">\n'
            '  <meta name="theme-color" content="#0b5e54">\n'
            f'  <script src="{escape(static_url("queue.js"))}" defer></script>\n'
            f'  <script src="{escape(static_url("app.js"))}" defer></script>\n')


def page_head(user) -> Markup:
    """Return the head's links, and whose page this is when someone is signed in."""
    head = _head(_language(), request.script_root)
    if user.is_authenticated:
        head = f'  <meta name="pdplanner-user" content="{int(user.id)}">\n{head}'
    return Markup(head)  # noqa: S704 (URLs escaped above, the id an int)


@lru_cache(maxsize=64)
def _header(language: str, root: str, signed_in: bool) -> tuple[str, str]:
    """The header before the menu's items and after them (with the device's notices)."""
    skip = escape(_("Skip to content"))
    brand = escape(fixed_url("main.index"))
    # The notice's text holds markup of its own (a <time> filled in by the service worker).
    offline = Markup(_('Offline — this page was last updated at <time id="offline-saved">'  # noqa: S704
                       "</time>."))
    before = (f'<a class="skip" href="#main">{skip}</a>\n'
              '<header class="site">\n  <div class="bar">\n'
              f'    <a class="brand" href="{brand}">pdplanner</a>\n')
    device = (f'<div class="device">\n  <p id="offline-notice" class="offline-box" role="status"'
              f' hidden>{offline}</p>\n')
    if not signed_in:
        return before + "  </div>\n</header>\n" + device + "</div>\n", ""
    main, menu, sign_out = escape(_("Main")), escape(_("Menu")), escape(_("Sign out"))
    before += (f'    <nav aria-label="{main}">\n      <details class="menu">\n'
               f'      <summary>{menu}</summary>\n      <ul>\n')
    after = ('\n        <li>\n'
             f'          <form method="post" action="{escape(fixed_url("identity.logout"))}"'
             ' class="inline" data-sign-out>\n'
             f'            {_CSRF}\n'
             f'            <button type="submit" class="link">{sign_out}</button>\n'
             '          </form>\n        </li>\n      </ul>\n      </details>\n    </nav>\n'
             '  </div>\n</header>\n'
             f'{device}{fixed_fragment("_partials/device_queue.html")}\n</div>\n')
    return before, after


def page_header(user, hr: bool, unread: int) -> Markup:
    """Return the skip link, the header with this person's menu and the device's notices."""
    before, after = _header(_language(), request.script_root, bool(user.is_authenticated))
    if not user.is_authenticated:
        return Markup(before)  # noqa: S704 (written from escaped parts)
    menu = main_menu(user.is_supervisor, hr, user.is_admin, unread)
    filled = after.replace(_CSRF, str(csrf_input()))
    return Markup("".join((before, str(menu), filled)))  # noqa: S704


@lru_cache(maxsize=64)
def _footer(language: str, root: str) -> str:
    other, name = ("en", "English") if language == "fr" else ("fr", "Français")
    return ('<footer class="site">\n'
            f'  <form method="post" action="{escape(fixed_url("main.set_language"))}"'
            ' class="inline lang">\n'
            f'    {_CSRF}\n'
            '    <input type="hidden" name="next" value="\x00next\x00">\n'
            f'    <button type="submit" name="language" value="{other}" class="link"'
            f' lang="{other}">{name}</button>\n'
            '  </form>\n</footer>\n')


def page_footer(path: str) -> Markup:
    """Return the footer: switch language and come back to `path`."""
    footer = _footer(_language(), request.script_root)
    filled = footer.replace(_CSRF, str(csrf_input())).replace("\x00next\x00", str(escape(path)))
    return Markup(filled)  # noqa: S704 (written from escaped parts)


def register(app) -> None:
    """Give templates the page's frame."""
    app.jinja_env.globals.update(page_head=page_head, page_header=page_header,
                                 page_footer=page_footer)
