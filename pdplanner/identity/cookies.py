"""The session cookie, opened once per process: every request of a signed-in person sends
the same signed cookie until the session changes, and checking its signature, inflating and
parsing it cost a tenth of a short page. A cookie already verified is remembered by its exact
text (nobody can forge that text without the key), its age still checked on every request."""

from __future__ import annotations

import copy
import time
from collections import OrderedDict

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

#: How many opened cookies each process remembers (a few hundred bytes each).
KEPT = 4096

_SIMPLE = (str, int, float, bool, type(None))


class RememberedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with each cookie's verified contents remembered."""

    def __init__(self) -> None:
        self._opened: OrderedDict[tuple, tuple[dict, int]] = OrderedDict()

    def open_session(self, app, request):
        """Return the request's session: remembered when this exact cookie was verified
        before with the same keys and is still young enough, else verified as Flask does."""
        if not app.secret_key:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), self.salt, value)
        opened = self._opened.get(key)
        if opened is None:
            try:
                data, signed_at = self.get_signing_serializer(app).loads(
                    value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            opened = (data, int(signed_at.timestamp()))
            self._opened[key] = opened
            if len(self._opened) > KEPT:
                self._opened.popitem(last=False)
        data, signed_at = opened
        age = int(time.time()) - signed_at
        if age > max_age or age < 0:  # as itsdangerous refuses it: expired, or from the future
            self._opened.pop(key, None)
            return self.session_class()
        # The request may change its session (flash a message, sign out): give it a copy.
        simple = all(type(item) in _SIMPLE for item in data.values())
        return self.session_class(dict(data) if simple else copy.deepcopy(data))
