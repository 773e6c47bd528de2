"""One HTTP call to a provider, its failures sorted into temporary and permanent."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

from flask import current_app

from pdplanner.reminders.sms import SmsError

#: Worth another try later: a timeout, throttling (429), or the provider's own trouble.
TEMPORARY_STATUSES = {408, 425, 429}


def basic_auth(username: str, password: str) -> str:
    """Return an HTTP Basic Authorization header value."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def post(url: str, body: bytes, content_type: str, headers: dict[str, str] | None = None
         ) -> tuple[int, dict]:
    """POST and return (status, JSON answer); raise SmsError on failure or an error status.

    Statuses the caller accepts besides 2xx (e.g. 409) come back instead of raising."""
    if not url.startswith(("https://", "http://")):
        raise SmsError(f"not an HTTP address: {url}"[:500], False)
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        url, data=body, method="POST",
        headers={"Content-Type": content_type, "Accept": "application/json", **(headers or {})})
    timeout = current_app.config["SMS_TIMEOUT"]
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, _json(response.read())
    except urllib.error.HTTPError as error:
        with error:
            answer = _json(error.read())
        if error.code == 409:
            return 409, answer
        temporary = error.code in TEMPORARY_STATUSES or error.code >= 500
        detail = answer.get("message") or answer.get("error") or error.reason
        raise SmsError(f"HTTP {error.code}: {detail}"[:500], temporary) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise SmsError(f"{type(error).__name__}: {error}"[:500], True) from None


def _json(raw: bytes) -> dict:
    """Read a JSON object answer ({} when the body is not one)."""
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
