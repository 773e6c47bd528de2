"""SMS providers behind one interface, chosen by SMS_PROVIDER; they know messages, not models."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app


class SmsError(Exception):
    """A provider refused or failed a text; `temporary` ones are worth trying again."""

    def __init__(self, message: str, temporary: bool):
        super().__init__(message)
        self.temporary = temporary


@dataclass(frozen=True)
class Incoming:
    """A webhook call as received: the address it was sent to, headers, raw body, form."""

    url: str
    headers: dict[str, str]
    body: bytes
    form: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """What a webhook says: a reply (`text` from `number`) or a delivery report (`status`)."""

    kind: str  # "reply" or "report"
    ref: str
    number: str = ""
    text: str = ""
    delivered: bool | None = None


def provider_name() -> str | None:
    """Return the configured provider's name (None: texts wait in the outbox)."""
    return current_app.config.get("SMS_PROVIDER") or None


def provider():
    """Return the configured provider's module, or None when texts wait."""
    from pdplanner.reminders.sms import android_gateway, twilio

    return {"android-gateway": android_gateway, "twilio": twilio}.get(provider_name() or "")


def delivers() -> bool:
    """Tell whether texts go anywhere."""
    return provider() is not None
