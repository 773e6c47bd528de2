"""Plan reminders: find what is due in the window and queue it once (outbox + notification)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from pdplanner.accounts.models import ReminderChannel, User
from pdplanner.extensions import db
from pdplanner.reminders import mail
from pdplanner.reminders.kinds import KINDS, Due, swept
from pdplanner.reminders.models import (
    Channel,
    Notification,
    OutboxMessage,
    OutboxStatus,
    ReminderPreference,
)
from pdplanner.types import utcnow

#: Letters of a reply code: none that reads like another (0/O, 1/I/L).
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def message_id(dedupe_key: str) -> str:
    """Derive a stable Message-ID from the dedupe key and our domain (a re-send carries it)."""
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:40]
    return f"<{digest}@{mail.message_domain()}>"


def _insert_ignoring_duplicates(model, rows: list[dict]) -> None:
    """Insert rows, silently skipping those whose dedupe key already exists."""
    if not rows:
        return
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    for start in range(0, len(rows), 500):
        statement = insert(model).on_conflict_do_nothing(index_elements=["dedupe_key"])
        db.session.execute(statement, rows[start:start + 500])


def preferences() -> dict[tuple[int, str], bool]:
    """Return every stored choice as {(user id, kind): enabled}."""
    rows = db.session.execute(select(ReminderPreference.user_id, ReminderPreference.kind,
                                     ReminderPreference.enabled))
    return {(user_id, kind): enabled for user_id, kind, enabled in rows}


def channel_preferences() -> dict[tuple[int, str], ReminderChannel]:
    """Return every per-kind channel chosen as {(user id, kind): channel}."""
    rows = db.session.execute(select(ReminderPreference.user_id, ReminderPreference.kind,
                                     ReminderPreference.channel)
                              .where(ReminderPreference.channel.is_not(None)))
    return {(user_id, kind): channel for user_id, kind, channel in rows}


def kind_channels(user: User) -> dict[str, str]:
    """Return the channels one person chose per kind ({kind: value})."""
    return {kind: channel.value for kind, channel in db.session.execute(
        select(ReminderPreference.kind, ReminderPreference.channel).where(
            ReminderPreference.user_id == user.id, ReminderPreference.channel.is_not(None)))}


def reply_code(dedupe_key: str) -> str:
    """Derive a three-letter code from a text's key: a reply naming it finds that text."""
    number = int(hashlib.sha256(dedupe_key.encode()).hexdigest()[:12], 16)
    letters = []
    for _ in range(3):
        number, index = divmod(number, len(CODE_LETTERS))
        letters.append(CODE_LETTERS[index])
    return "".join(letters)


def channels_of(person, chosen: ReminderChannel | None) -> list[Channel]:
    """Return how a reminder reaches this person: their choice for the kind, else their
    usual channel, on the addresses they have (no text after STOP)."""
    channel = chosen or person.reminder_channel
    found = []
    if channel in (ReminderChannel.EMAIL, ReminderChannel.BOTH) and person.email:
        found.append(Channel.EMAIL)
    if (channel in (ReminderChannel.SMS, ReminderChannel.BOTH) and person.phone
            and person.sms_stopped_at is None):
        found.append(Channel.SMS)
    return found


def wants(prefs: dict, user_id: int, kind: str) -> bool:
    """Tell whether a person wants this kind of reminder (their choice, else the default)."""
    return prefs.get((user_id, kind), KINDS[kind].default_on)


def due_now(now: datetime) -> list[Due]:
    """Return every reminder due in the window (now minus the look-back, up to now).

    A periodic kind looks back only as far as its catch-up horizon: after downtime, or on
    a new installation, last period's digest is not sent just before this period's.
    """
    lookback = now - timedelta(days=current_app.config["REMINDER_LOOKBACK_DAYS"])
    found = []
    for kind in swept():
        since = lookback if kind.catch_up is None else max(lookback, now - kind.catch_up)
        found.extend(d for d in kind.find(now, since) if since < d.due_at <= now)
    return found


def plan(now: datetime) -> int:
    """Queue every due reminder once; return how many items were found due."""
    due = due_now(now)
    if not due:
        return 0
    prefs, chosen = preferences(), channel_preferences()
    people = {row.id: row for row in db.session.execute(
        select(User.id, User.email, User.phone, User.reminder_channel, User.sms_stopped_at)
        .where(User.active.is_(True)))}
    mails, notices = [], []
    queued_at = utcnow()  # when it was written, on the real clock; `now` only says what is due
    for item in due:
        if item.user_id not in people or not wants(prefs, item.user_id, item.kind):
            continue
        params = json.dumps(item.params, sort_keys=True)
        person = people[item.user_id]
        for channel in channels_of(person, chosen.get((item.user_id, item.kind))):
            key = item.key_for(channel.value)
            sms = channel == Channel.SMS
            mails.append({"dedupe_key": key, "kind": item.kind, "channel": channel,
                          "user_id": item.user_id,
                          "to_address": person.phone if sms else person.email,
                          "subject_ref": item.subject_ref, "params": params,
                          "message_id": message_id(key), "status": OutboxStatus.PENDING,
                          "attempts": 0, "next_attempt_at": now, "last_error": "",
                          "segments": 0, "reply_code": (reply_code(key) if sms and
                                                        KINDS[item.kind].reply else None),
                          "subject": "", "text": "", "html": "", "created_at": queued_at})
        notices.append({"dedupe_key": item.dedupe_key, "user_id": item.user_id,
                        "kind": item.kind, "params": params, "link": item.link,
                        "subject_ref": item.subject_ref, "created_at": queued_at})
    _insert_ignoring_duplicates(OutboxMessage, mails)
    _insert_ignoring_duplicates(Notification, notices)
    db.session.commit()
    return len(mails)
