"""The installable app: its manifest, service worker, offline page and the device's session."""

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from pdplanner.main.views import bp

#: The brand colour of the header, also the colour of the installed app's title bar.
THEME_COLOUR = "#0b5e54"
LANGUAGES = ("en", "fr")


def _language() -> str:
    """Return the language asked for in ?lang=, else the reader's."""
    asked = request.args.get("lang", "")
    return asked if asked in LANGUAGES else str(get_locale() or "en")


@bp.route("/manifest.webmanifest")
def manifest():
    """Describe the app to the phone that installs it, in English or French."""
    language = _language()
    with force_locale(language):
        body = {
            "name": _("pdplanner — my learning"),
            "short_name": "pdplanner",
            "description": _("Plan your learning and record it, even without a connection."),
            "lang": language,
            "dir": "ltr",
            "id": "/",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOUR,
            "icons": [
                {"src": url_for("static", filename="icons/icon.svg"), "sizes": "any",
                 "type": "image/svg+xml"},
                {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192",
                 "type": "image/png"},
                {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512",
                 "type": "image/png", "purpose": "any maskable"},
            ],
        }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.cache_control.max_age = 3600
    return response


@bp.route("/sw.js")
def service_worker():
    """Serve the service worker from the root, so its scope covers every page."""
    path = current_app.static_folder + "/sw.js"
    with open(path, encoding="utf-8") as script:
        response = current_app.response_class(script.read(), mimetype="text/javascript")
    # Checked for updates on every visit; the whole site is its scope.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
def offline():
    """Say that a page was never opened on this device, so it cannot be shown offline."""
    with force_locale(_language()):
        return render_template("main/offline.html", offline_language=_language())


@bp.route("/offline/state")
def device_state():
    """Tell the device who is signed in, with a CSRF token for this session (JSON)."""
    if not current_user.is_authenticated:
        return jsonify(user=None)
    return jsonify(user=current_user.id, csrf=generate_csrf())


@bp.after_app_request
def name_the_reader(response):
    """Tell the service worker whose page this is, and in which language, so it keeps each
    person's pages apart and forgets them when someone else signs in."""
    if response.mimetype == "text/html" and request.endpoint != "main.offline":
        user = current_user._get_current_object()
        if user is not None and user.is_authenticated:
            response.headers["X-Pdplanner-User"] = str(user.id)
        response.headers["Content-Language"] = str(get_locale() or "en")
    return response
