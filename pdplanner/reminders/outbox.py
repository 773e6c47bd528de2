"""The outbox's one way in for other rooms: queue a mail now (an invitation, a reset link)."""

from __future__ import annotations

import json
import threading

from flask import current_app

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.reminders import delivery, mail, planner, sms
from pdplanner.reminders.models import OutboxMessage


def enqueue(user: User, kind: str, key: str, params: dict) -> int | None:
    """Queue one mail (e.g. a password reset) and send it now, without making the caller wait."""
    return enqueue_many([(user, kind, key, params)])[0]


def enqueue_many(items: list[tuple[User, str, str, dict]]) -> list[int]:
    """Queue mails of (person, kind, key, params) in one commit, then send them together
    (one connection, one thread), without making the caller wait; return their ids."""
    rows = [OutboxMessage(dedupe_key=f"{kind}:{key}:email", kind=kind, user_id=user.id,
                          to_address=user.email, params=json.dumps(params),
                          message_id=planner.message_id(f"{kind}:{key}"))
            for user, kind, key, params in items]
    db.session.add_all(rows)
    db.session.commit()
    ids = [row.id for row in rows]
    if ids:
        send_soon(ids)
    return ids


def send_soon(ids: list[int]) -> None:
    """Deliver these messages now: in a thread in production, inline when configured."""
    if not mail.delivers() and not sms.delivers():
        return
    app = current_app._get_current_object()

    def run():
        with app.app_context():
            try:
                delivery.deliver(only_ids=ids)
            except Exception:  # noqa: BLE001 - the sweep retries whatever failed here
                app.logger.exception("immediate delivery failed; the sweep will retry")

    if app.config.get("MAIL_SEND_INLINE"):
        run()
    else:
        threading.Thread(target=run, name="pdplanner-mail", daemon=True).start()
