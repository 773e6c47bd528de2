"""The exchanges' reminders: a share-back coming due, and "did you apply it?" at 30 and 60 days."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pdplanner.exchanges.models import Exchange, FollowUp, Participant
from pdplanner.extensions import db
from pdplanner.reminders.kinds import (
    MORNING,
    Due,
    Kind,
    Reader,
    local_at,
    settled_among,
    short,
    zones,
)


def share_back(now: datetime, since: datetime):
    """Two days before a share-back is due (and it is not done), to whoever recorded it."""
    by_user = zones()
    rows = db.session.execute(select(Exchange.id, Exchange.title, Exchange.created_by_id,
                                     Exchange.share_back_due_on).where(
        Exchange.deleted_at.is_(None), Exchange.share_back_done_on.is_(None),
        Exchange.share_back_due_on.between(since.date(), now.date() + timedelta(days=3))))
    for exchange_id, title, user_id, due_on in rows:
        if user_id in by_user:
            yield Due("share_back", user_id, f"exchange:{exchange_id}",
                      local_at(due_on - timedelta(days=2), MORNING, by_user[user_id]),
                      f"/exchanges/{exchange_id}#share-back",
                      {"title": title, "day": due_on.isoformat()})


def shared_back(refs: set[str]) -> set[str]:
    """Exchanges among these whose share-back is done."""
    return settled_among(refs, "exchange", Exchange.id, Exchange.share_back_done_on.is_(None))


def apply_follow_up(now: datetime, since: datetime):
    """30 and 60 days after an exchange, to each staff participant who has not answered."""
    by_user = zones()
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
            if user_id in by_user and (exchange_id, user_id, days) not in answered:
                yield Due("apply_follow_up", user_id, f"exchange:{exchange_id}:d{days}",
                          local_at(ends_on + timedelta(days=days), MORNING, by_user[user_id]),
                          f"/exchanges/{exchange_id}#follow-up",
                          {"title": title, "days": days})


def _share_back_subject(p: dict, reader: Reader) -> str:
    return _("Share back what you learned: %(title)s", title=p["title"])


def _share_back_body(p: dict, reader: Reader):
    return ([_("The share-back of “%(title)s” is due on %(day)s: a session with the team, "
               "or a written note.", title=p["title"], day=reader.day(p["day"]))],
            _("Record the share-back"))


def _follow_up_subject(p: dict, reader: Reader) -> str:
    return _("Did you apply it? %(title)s", title=p["title"])


def _follow_up_body(p: dict, reader: Reader):
    return ([_("It is %(days)d days since “%(title)s”. Did you apply what you learned? "
               "One answer helps the whole team.", days=p["days"], title=p["title"])],
            _("Answer"))


def _share_back_sms(p: dict, reader: Reader) -> str:
    return _("Share-back due %(day)s: %(title)s.", day=reader.short_day(p["day"]),
             title=short(p["title"]))


def _follow_up_sms(p: dict, reader: Reader) -> str:
    return _("Did you apply it? %(title)s (%(days)d days ago).", title=short(p["title"]),
             days=p["days"])


KINDS = (
    Kind("share_back", _share_back_subject, _share_back_body, share_back,
         _l("A share-back after an exchange is due"), shared_back, sms=_share_back_sms),
    Kind("apply_follow_up", _follow_up_subject, _follow_up_body, apply_follow_up,
         _l("30 and 60 days after an exchange: did you apply it?"), sms=_follow_up_sms),
)
