"""Sign webhook calls the way each provider documents it (written apart from the app's code)."""

import base64
import hashlib
import hmac
import json
import time

WEBHOOK_URL = "http://localhost/sms/webhook"
GATEWAY_KEY = "gateway-signing-key"


def twilio_headers(form: dict, token: str, url: str = WEBHOOK_URL) -> dict:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL and each field, name then value,
    sorted by name, keyed with the auth token."""
    payload = url + "".join(f"{key}{form[key]}" for key in sorted(form))
    mac = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return {"X-Twilio-Signature": base64.b64encode(mac).decode()}


def gateway_call(event: str, payload: dict, key: str = GATEWAY_KEY,
                 stamp: int | None = None) -> tuple[bytes, dict]:
    """A signed SMS Gateway for Android webhook: body, and X-Signature (hex HMAC-SHA256 of
    the body then the timestamp) with X-Timestamp."""
    body = json.dumps({"deviceId": "dev1", "event": event, "id": "evt1", "payload": payload,
                       "webhookId": "wh1"}).encode()
    stamp = str(int(time.time()) if stamp is None else stamp)
    mac = hmac.new(key.encode(), body + stamp.encode(), hashlib.sha256).hexdigest()
    return body, {"X-Signature": mac, "X-Timestamp": stamp, "Content-Type": "application/json"}
