"""The exchanges' reminders: a share-back coming due, and "did you apply it?" at 30 and 60 days."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation
from pdplanner.exchanges.models import Exchange, FollowUp, Participant
from pdplanner.extensions import db
from pdplanner.reminders.kinds import LABELS, MORNING, Due, local_at, register

LABELS["share_back"] = _l("A share-back after an exchange is due")
LABELS["apply_follow_up"] = _l("30 and 60 days after an exchange: did you apply it?")


def _zones() -> dict[int, str]:
    default = organisation().timezone or "UTC"
    return {uid: zone or default for uid, zone in db.session.execute(
        select(User.id, User.timezone).where(User.active.is_(True)))}


@register("share_back", LABELS["share_back"])
def share_back(now: datetime, since: datetime):
    """Two days before a share-back is due (and it is not done), to whoever recorded it."""
    zones = _zones()
    rows = db.session.execute(select(Exchange.id, Exchange.title, Exchange.created_by_id,
                                     Exchange.share_back_due_on).where(
        Exchange.deleted_at.is_(None), Exchange.share_back_done_on.is_(None),
        Exchange.share_back_due_on.between(since.date(), now.date() + timedelta(days=3))))
    for exchange_id, title, user_id, due_on in rows:
        if user_id in zones:
            yield Due("share_back", user_id, f"exchange:{exchange_id}",
                      local_at(due_on - timedelta(days=2), MORNING, zones[user_id]),
                      f"/exchanges/{exchange_id}#share-back",
                      {"title": title, "day": due_on.isoformat()})


@register("apply_follow_up", LABELS["apply_follow_up"])
def apply_follow_up(now: datetime, since: datetime):
    """30 and 60 days after an exchange, to each staff participant who has not answered."""
    zones = _zones()
    answered = {(e, u, d) for e, u, d in db.session.execute(
        select(FollowUp.exchange_id, FollowUp.user_id, FollowUp.after_days))}
    for days in (30, 60):
        ends = (since.date() - timedelta(days=days + 1), now.date() - timedelta(days=days - 1))
        rows = db.session.execute(select(Exchange.id, Exchange.title, Exchange.ends_on,
                                         Participant.user_id)
                                  .join(Participant, Participant.exchange_id == Exchange.id)
                                  .where(Exchange.deleted_at.is_(None),
                                         Participant.user_id.is_not(None),
                                         Exchange.ends_on.between(*ends)))
        for exchange_id, title, ends_on, user_id in rows:
            if user_id in zones and (exchange_id, user_id, days) not in answered:
                yield Due("apply_follow_up", user_id, f"exchange:{exchange_id}:d{days}",
                          local_at(ends_on + timedelta(days=days), MORNING, zones[user_id]),
                          f"/exchanges/{exchange_id}#follow-up",
                          {"title": title, "days": days})
