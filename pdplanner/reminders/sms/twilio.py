"""Twilio's Messages API: form POST to Accounts/{SID}/Messages.json; X-Twilio-Signature.

SMS_USERNAME is the account SID, SMS_PASSWORD the auth token, SMS_SENDER the From number
(or Messaging Service). Status callbacks and incoming messages are form POSTs signed with
base64(HMAC-SHA1(auth token, the full URL followed by each POST field's name and value,
sorted by name)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote, urlencode

from flask import current_app

from pdplanner.reminders.sms import Event, Incoming, SmsError
from pdplanner.reminders.sms.http import basic_auth, post

NAME = "twilio"
DEFAULT_URL = "https://api.twilio.com"
#: Message statuses that end a text's journey.
DELIVERED, FAILED = {"delivered", "read"}, {"undelivered", "failed"}


def send(to: str, text: str, key: str) -> str:
    """Create one Message; return its SID for status callbacks."""
    cfg = current_app.config
    sid, token = cfg.get("SMS_USERNAME") or "", cfg.get("SMS_PASSWORD") or ""
    base = (cfg.get("SMS_API_URL") or DEFAULT_URL).rstrip("/")
    fields = {"To": to, "Body": text,
              "StatusCallback": cfg["BASE_URL"].rstrip("/") + "/sms/webhook"}
    sender = cfg.get("SMS_SENDER") or ""
    fields["MessagingServiceSid" if sender.startswith("MG") else "From"] = sender
    _status, answer = post(f"{base}/2010-04-01/Accounts/{quote(sid)}/Messages.json",
                           urlencode(fields).encode(), "application/x-www-form-urlencoded",
                           {"Authorization": basic_auth(sid, token)})
    if not answer.get("sid"):
        raise SmsError("twilio: no message SID in the answer", True)
    return str(answer["sid"])


def signature(url: str, form: dict[str, str], token: str) -> str:
    """Compute X-Twilio-Signature for a call to `url` with these POST fields."""
    data = url + "".join(name + form[name] for name in sorted(form))
    digest = hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def verify(incoming: Incoming) -> bool:
    """Tell whether the call is signed with our auth token."""
    token = current_app.config.get("SMS_PASSWORD") or ""
    given = incoming.headers.get("X-Twilio-Signature", "")
    if not token or not given:
        return False
    return hmac.compare_digest(signature(incoming.url, incoming.form, token), given)


def events(incoming: Incoming) -> list[Event]:
    """Read a (verified) call: a status callback, or an incoming message."""
    form, ref = incoming.form, incoming.form.get("MessageSid", "")[:100]
    if not ref:
        return []
    status = form.get("MessageStatus", "").lower()
    if "Body" in form and status in ("", "received"):
        return [Event("reply", ref, form.get("From", ""), form.get("Body", ""))]
    if status in DELIVERED | FAILED:
        return [Event("report", ref, delivered=status in DELIVERED)]
    return []


def acknowledgement() -> tuple[str, str]:
    """An empty TwiML answer: our reply goes through the outbox, like every text."""
    return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', "text/xml"
