"""Deliver texts from the outbox: the mail's claim, lease and fenced acks, plus quiet hours
and the organisation's monthly cap; the provider is called outside any transaction."""

from __future__ import annotations

import json
import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation
from pdplanner.extensions import db
from pdplanner.reminders import sms
from pdplanner.reminders.delivery import Lease, backoff, claim, resolved
from pdplanner.reminders.kinds import KINDS
from pdplanner.reminders.models import Channel, Notification, OutboxMessage, OutboxStatus
from pdplanner.reminders.render import reader_of, render_defaults
from pdplanner.reminders.sms.segments import segments
from pdplanner.types import utcnow

log = logging.getLogger(__name__)


def month_start(now: datetime, zone: str) -> datetime:
    """Return the first moment of `now`'s month in the organisation's zone, in UTC."""
    local = now.astimezone(ZoneInfo(zone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(
        ZoneInfo("UTC"))


def next_month(now: datetime, zone: str) -> datetime:
    """Return the first moment of the next month in the organisation's zone, in UTC."""
    first = month_start(now, zone).astimezone(ZoneInfo(zone))
    return (first + timedelta(days=32)).replace(day=1).astimezone(ZoneInfo("UTC"))


def segments_used(since: datetime) -> int:
    """Count the segments sent since the start of the month."""
    return db.session.scalar(select(func.coalesce(func.sum(OutboxMessage.segments), 0)).where(
        OutboxMessage.channel == Channel.SMS, OutboxMessage.status == OutboxStatus.SENT,
        OutboxMessage.sent_at >= since)) or 0


def quiet_until(now: datetime, zone: str) -> datetime | None:
    """Return when quiet hours end if it is quiet now in `zone` (21:00-07:00), else None."""
    cfg = current_app.config
    local = now.astimezone(ZoneInfo(zone))
    start, end = cfg["SMS_QUIET_FROM"], cfg["SMS_QUIET_UNTIL"]
    if start > local.hour >= end:
        return None
    day = local.date() + timedelta(days=1 if local.hour >= start else 0)
    return datetime.combine(day, time(end), tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def short_link(notification_id: int | None) -> str:
    """Return the text's short link to its page (/r/<notification id>)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/r/{notification_id}" if notification_id is not None else base + "/"


def compose(row: OutboxMessage, user: User, notification_id: int | None, defaults) -> str:
    """Write a reminder's text in the person's language: words, reply code, short link."""
    if row.text:
        return row.text  # written when queued (an acknowledgement, a help text)
    reader = reader_of(user, defaults)
    with force_locale(reader.language):
        kind = KINDS.get(row.kind)
        words = kind.text(json.loads(row.params or "{}"), reader) if kind else row.kind
        if row.reply_code:
            words += " " + _("Reply 1 if done, 2 if missed (code %(code)s).",
                             code=row.reply_code)
        return f"{words} {short_link(notification_id)}"


def text_preview(row: OutboxMessage, user: User) -> dict:
    """The text a waiting row would send, for the admin's page ({subject, text})."""
    notice = _notification_ids([row]).get(row.dedupe_key)
    return {"subject": "", "text": compose(row, user, notice, render_defaults())}


def _tell_admins(month: datetime) -> None:
    """Notify every active administrator, once a month, that texts wait for the cap."""
    admins = list(db.session.scalars(select(User.id).where(User.active.is_(True),
                                                           User.is_admin.is_(True))))
    rows = [{"dedupe_key": f"sms_cap:{month:%Y-%m}:u{admin}", "user_id": admin,
             "kind": "sms_cap", "params": "{}", "link": "/admin/sms", "subject_ref": None,
             "created_at": utcnow()} for admin in admins]
    if not rows:
        return
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    with db.engine.begin() as connection:
        connection.execute(insert(Notification).on_conflict_do_nothing(
            index_elements=["dedupe_key"]), rows)


def _notification_ids(rows: list[OutboxMessage]) -> dict[str, int]:
    """Return each text's notification id, by the text's key (the notice has the mail's)."""
    keys = {row.dedupe_key.removesuffix(":sms") + ":email": row.dedupe_key for row in rows}
    return {keys[key]: notice_id for key, notice_id in db.session.execute(
        select(Notification.dedupe_key, Notification.id).where(
            Notification.dedupe_key.in_(list(keys))))}


def _send_texts(module, lease: Lease, now: datetime) -> dict:
    """Send claimed texts one by one, acknowledging each as soon as the provider answered."""
    counts = dict.fromkeys(("sms_sent", "sms_retry", "sms_dead", "sms_skipped", "sms_waiting",
                            "sms_refused"), 0)
    rows = list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.id.in_(sorted(lease.held))).order_by(OutboxMessage.id)))
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({r.user_id for r in rows if r.user_id})))}
    notices, defaults, settled = _notification_ids(rows), render_defaults(), resolved(rows)
    org = organisation()
    zone_of_org = org.timezone or "UTC"
    cap = org.sms_monthly_cap if org.sms_monthly_cap is not None else 1000
    clock = max(now, utcnow())
    used, told = segments_used(month_start(clock, zone_of_org)), False
    for row in rows:
        if not lease.holds(row.id):
            counts["sms_refused"] += 1
            continue
        user = users.get(row.user_id)
        service = bool(row.text)  # an answer to the person's own text: no quiet, no STOP
        outcome, values = _plan(row, user, settled, service, clock, zone_of_org)
        if outcome is None:
            text = compose(row, user, notices.get(row.dedupe_key), defaults)
            cost = segments(text)
            if used + cost > cap:
                log.warning("monthly SMS cap (%s segments) reached; text %s waits", cap, row.id)
                if not told:
                    _tell_admins(month_start(clock, zone_of_org))
                    told = True
                outcome, values = "sms_waiting", {
                    "status": OutboxStatus.PENDING, "attempts": row.attempts - 1,
                    "next_attempt_at": next_month(clock, zone_of_org),
                    "last_error": "monthly SMS cap reached"}
            else:
                outcome, values = _send_one(module, row, text, cost)
                used += cost if outcome == "sms_sent" else 0
        if lease.acknowledge(row.id, **values):
            counts[outcome] += 1
        else:
            counts["sms_refused"] += 1
    db.session.remove()
    return counts


def _plan(row, user, settled, service, clock, default_zone: str):
    """Say whether a text is skipped or waits for the morning (None: send it now)."""
    if user is None or not user.active or row.subject_ref in settled or (
            user.sms_stopped_at is not None and not service):
        return "sms_skipped", {"status": OutboxStatus.SKIPPED}
    zone = user.timezone or default_zone
    morning = None if service else quiet_until(clock, zone)
    if morning is not None:
        return "sms_waiting", {"status": OutboxStatus.PENDING, "attempts": row.attempts - 1,
                               "next_attempt_at": morning, "last_error": "quiet hours"}
    return None, {}


def _send_one(module, row: OutboxMessage, text: str, cost: int):
    """Hand one text to the provider; return (outcome, values to acknowledge)."""
    try:
        ref = module.send(row.to_address, text, row.dedupe_key)
    except sms.SmsError as error:
        dead = not error.temporary or row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
        return ("sms_dead" if dead else "sms_retry"), {
            "status": OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
            "next_attempt_at": utcnow() + backoff(row.attempts), "last_error": str(error)}
    return "sms_sent", {"status": OutboxStatus.SENT, "sent_at": utcnow(), "segments": cost,
                        "provider_ref": ref[:100], "text": text, "last_error": ""}


def deliver(now: datetime | None = None, batch: int = 100,
            only_ids: list[int] | None = None) -> dict:
    """Send every text due, batch by batch; with no provider they wait in the outbox."""
    module = sms.provider()
    if module is None:
        return {}
    now, totals = now or utcnow(), {}
    while True:
        token, ids = claim(now, batch, only_ids, Channel.SMS)
        if not ids:
            return totals
        with db.engine.connect() as connection:
            counts = _send_texts(module, Lease(token, ids, connection), now)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
