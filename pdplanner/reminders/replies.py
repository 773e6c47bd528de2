"""Texts received: "did it happen?" answered, STOP, help; delivery reports. Each once."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from pdplanner import audit
from pdplanner.accounts.models import User
from pdplanner.accounts.phones import e164
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.reminders.kinds import KINDS
from pdplanner.reminders.models import (
    Channel,
    DeliveryReport,
    OutboxMessage,
    OutboxStatus,
    SmsReply,
)
from pdplanner.reminders.planner import message_id
from pdplanner.reminders.render import language_of
from pdplanner.reminders.sms import Event
from pdplanner.transaction import use_case
from pdplanner.types import utcnow

log = logging.getLogger(__name__)

DONE_WORDS = {"1", "oui", "yes", "fait", "done"}
MISSED_WORDS = {"2", "non", "no"}
STOP_WORDS = {"stop", "arret", "arreter", "stopall", "unsubscribe"}
#: How far back a reply without a code looks for the question it answers.
QUESTION_DAYS = 14


def words_of(text: str) -> list[str]:
    """Fold a reply to plain lower-case words: accents and case set aside ("Arrêt" = arret)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text or "")
                    if not unicodedata.combining(ch))
    return re.findall(r"[a-z0-9]+", plain.casefold())


def read_answer(words: list[str]) -> str | None:
    """Return "done", "missed", "stop", or None for an unknown or ambiguous reply."""
    if words and words[0] in STOP_WORDS:
        return "stop"
    said = {"done" for w in words if w in DONE_WORDS} | {"missed" for w in words
                                                          if w in MISSED_WORDS}
    return said.pop() if len(said) == 1 else None


def _questions(person: User, words: list[str]) -> list[OutboxMessage]:
    """The person's "did it happen?" texts this reply may answer: the one its code names,
    else those of the last days whose date is still open."""
    codes = {w.upper() for w in words if len(w) == 3}
    query = (select(OutboxMessage).where(OutboxMessage.user_id == person.id,
                                         OutboxMessage.channel == Channel.SMS,
                                         OutboxMessage.reply_code.is_not(None))
             .order_by(OutboxMessage.id.desc()))
    named = list(db.session.scalars(query.where(OutboxMessage.reply_code.in_(codes)).limit(1))
                 ) if codes else []
    if named:
        return named
    recent = list(db.session.scalars(query.where(
        OutboxMessage.created_at >= utcnow() - timedelta(days=QUESTION_DAYS))))
    open_ones, seen = [], set()
    for row in recent:
        kind = KINDS.get(row.kind)
        if row.subject_ref in seen or kind is None:
            continue
        seen.add(row.subject_ref)
        if kind.settled is None or row.subject_ref not in kind.settled({row.subject_ref}):
            open_ones.append(row)
    return open_ones


def _answer(person: User, text_key: str, words_said: str) -> int:
    """Queue a text to the person (an acknowledgement or help), sent like any other."""
    row = OutboxMessage(dedupe_key=f"sms_reply:{text_key}:sms", kind="sms_reply",
                        channel=Channel.SMS, user_id=person.id, to_address=person.phone,
                        text=words_said, message_id=message_id(f"sms_reply:{text_key}"))
    db.session.add(row)
    db.session.flush()
    return row.id


def _handle(person: User, words: list[str]) -> tuple[str, str]:
    """Act on a known person's reply; return (outcome, the answer to text back)."""
    answer = read_answer(words)
    if answer == "stop":
        person.sms_stopped_at = utcnow()
        audit.record(person.id, "sms.stop", f"user:{person.id}")
        return "stop", _("You will get no more texts from pdplanner. To get them again, "
                         "choose SMS on your profile.")
    help_text = _("Reply 1 if it happened, 2 if not, with the code from the text (e.g. 1 K7P). "
                  "STOP: no more texts.")
    if answer is None:
        return "help", help_text
    questions = _questions(person, words)
    if len(questions) != 1:
        return "help", help_text
    question = questions[0]
    kind = KINDS.get(question.kind)
    try:
        recorded = kind.reply(person, question.subject_ref, answer)
    except RuleViolation:
        return "help", help_text
    if not recorded:
        return "settled", _("This date was already recorded. Thank you!")
    return answer, (_("Recorded: it happened. Well done!") if answer == "done"
                    else _("Recorded: it did not happen. You can plan a new date."))


@use_case
def receive(provider: str, event: Event) -> tuple[str, int | None]:
    """Record a received text once (a retried webhook finds it and stops); act on it.

    Returns (outcome, id of the text queued in answer or None)."""
    try:
        number = e164(event.number)
    except ValueError:
        number = None
    person = db.session.scalar(select(User).where(User.phone == number, User.active.is_(True))
                               ) if number else None
    reply = SmsReply(provider=provider, provider_ref=event.ref, from_number=event.number[:32],
                     user_id=person.id if person else None, outcome="unknown")
    try:
        with db.session.begin_nested():  # a concurrent copy waits here, then fails the key
            db.session.add(reply)
    except IntegrityError:
        log.info("SMS %s from %s already handled", event.ref, provider)
        return "duplicate", None
    if person is None:
        log.warning("SMS from an unknown number ignored (%s)", provider)
        return "unknown", None
    with force_locale(language_of(person)):
        reply.outcome, words_said = _handle(person, words_of(event.text))
    return reply.outcome, _answer(person, f"{provider}:{event.ref}", words_said)


@use_case
def record_report(event: Event) -> int:
    """Record a provider's delivery report on the text it names; return rows changed."""
    report = DeliveryReport.DELIVERED if event.delivered else DeliveryReport.FAILED
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.provider_ref == event.ref,
                                    OutboxMessage.channel == Channel.SMS,
                                    OutboxMessage.status == OutboxStatus.SENT)
        .values(report=report).execution_options(synchronize_session=False))
    return result.rowcount
