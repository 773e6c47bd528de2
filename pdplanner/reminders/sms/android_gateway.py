"""SMS Gateway for Android (local server or its cloud): POST /message, signed webhooks.

Sending: JSON {"id", "textMessage": {"text"}, "phoneNumbers": [...]} with basic auth
(SMS_USERNAME/SMS_PASSWORD); 202 answers the message's state. Our id is derived from the
outbox key, so a resend of the same text is recognised (409) rather than sent twice.
Webhooks (sms:received, sms:delivered, sms:failed) carry X-Signature, the hex HMAC-SHA256 of
the raw body followed by X-Timestamp, keyed with the signing key (SMS_WEBHOOK_SECRET).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from flask import current_app

from pdplanner.reminders.sms import Event, Incoming, SmsError
from pdplanner.reminders.sms.http import basic_auth, post

NAME = "android-gateway"
#: The cloud server; a phone on the local network is e.g. http://192.168.1.20:8080.
DEFAULT_URL = "https://api.sms-gate.app/3rdparty/v1"
#: A signed call older (or further ahead) than this is refused as a possible replay.
MAX_SKEW_SECONDS = 300


def message_id(key: str) -> str:
    """Derive the gateway's message id from the outbox key (stable across retries)."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def send(to: str, text: str, key: str) -> str:
    """Hand one text to the gateway; return its id for delivery reports."""
    cfg = current_app.config
    base = (cfg.get("SMS_API_URL") or DEFAULT_URL).rstrip("/")
    ours = message_id(key)
    body = json.dumps({"id": ours, "textMessage": {"text": text}, "phoneNumbers": [to],
                       "withDeliveryReport": True}).encode()
    status, answer = post(f"{base}/message", body, "application/json", {
        "Authorization": basic_auth(cfg.get("SMS_USERNAME") or "", cfg.get("SMS_PASSWORD") or "")})
    if status == 409:
        return ours  # the gateway has it already: the earlier try got through
    if str(answer.get("state", "")).lower() == "failed":
        raise SmsError(f"gateway: {answer.get('recipients')}"[:500], False)
    return str(answer.get("id") or ours)


def verify(incoming: Incoming) -> bool:
    """Tell whether a webhook call carries a fresh, valid signature."""
    secret = current_app.config.get("SMS_WEBHOOK_SECRET") or ""
    signature = incoming.headers.get("X-Signature", "")
    stamp = incoming.headers.get("X-Timestamp", "")
    if not secret or not signature or not stamp.isdigit():
        return False
    if abs(time.time() - int(stamp)) > MAX_SKEW_SECONDS:
        return False
    expected = hmac.new(secret.encode(), incoming.body + stamp.encode(), hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), signature.lower())


def events(incoming: Incoming) -> list[Event]:
    """Read a (verified) webhook call: a received text, or a delivery report."""
    try:
        data = json.loads(incoming.body)
    except ValueError:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("payload"), dict):
        return []
    event, payload = data.get("event"), data["payload"]
    if event == "sms:received":
        # The gateway's messageId comes from the content; with the time it names one text.
        ref = f"{payload.get('messageId', '')}:{payload.get('receivedAt', '')}"
        return [Event("reply", ref[:100], str(payload.get("phoneNumber", "")),
                      str(payload.get("message", "")))]
    if event in ("sms:delivered", "sms:failed"):
        return [Event("report", str(payload.get("messageId", ""))[:100],
                      delivered=event == "sms:delivered")]
    return []


def acknowledgement() -> tuple[str, str]:
    """What the webhook answers once handled (body, content type)."""
    return "", "text/plain"
