"""Reads for exchanges: the list, share-backs due, the lessons library with search."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.exchanges import search
from pdplanner.exchanges.models import (
    Adoption,
    Exchange,
    FollowUp,
    Lesson,
    Partner,
    exchange_partner,
    exchange_skill,
)
from pdplanner.extensions import db


def exchanges(limit: int = 100) -> list[tuple[Exchange, int]]:
    """Return (exchange, number of its live lessons), newest first, partners loaded: two
    statements however many exchanges there are."""
    lessons = (select(func.count(Lesson.id)).where(Lesson.exchange_id == Exchange.id,
                                                   Lesson.deleted_at.is_(None))
               .correlate(Exchange).scalar_subquery())
    rows = db.session.execute(select(Exchange, lessons).where(Exchange.deleted_at.is_(None))
                              .options(selectinload(Exchange.partners))
                              .order_by(Exchange.starts_on.desc(), Exchange.id.desc())
                              .limit(limit))
    return [(exchange, count) for exchange, count in rows]


def exchange(exchange_id: int) -> Exchange | None:
    """Return a live exchange (visible to all staff)."""
    return db.session.scalar(select(Exchange).where(Exchange.id == exchange_id,
                                                    Exchange.deleted_at.is_(None)))


def share_backs(today: date) -> dict[str, list[Exchange]]:
    """Share-backs overdue and done, for HR."""
    live = select(Exchange).where(Exchange.deleted_at.is_(None))
    return {"overdue": list(db.session.scalars(live.where(
                Exchange.share_back_done_on.is_(None), Exchange.share_back_due_on < today)
                .order_by(Exchange.share_back_due_on))),
            "done": list(db.session.scalars(live.where(Exchange.share_back_done_on.is_not(None))
                                            .order_by(Exchange.share_back_done_on.desc())
                                            .limit(50)))}


def partners() -> list[Partner]:
    """Return the partner organisations by name."""
    return list(db.session.scalars(select(Partner).order_by(Partner.folded_name)))


def library(q: str = "", skill_id: int | None = None, team_id: int | None = None,
            partner_id: int | None = None, kind: str | None = None, page: int = 1):
    """Search lessons (accents folded, stemmed where the engine can), filtered, newest first."""
    query = select(Lesson).where(Lesson.deleted_at.is_(None))
    clause = search.matching(q)
    if clause is not None:
        query = query.where(clause)
    if team_id:
        query = query.where(Lesson.team_id == team_id)
    if skill_id or partner_id or kind:
        query = query.join(Exchange, Lesson.exchange_id == Exchange.id)
        if kind:
            query = query.where(Exchange.kind == kind)
        if skill_id:
            query = query.where(Exchange.id.in_(select(exchange_skill.c.exchange_id).where(
                exchange_skill.c.skill_id == skill_id)))
        if partner_id:
            query = query.where(Exchange.id.in_(select(exchange_partner.c.exchange_id).where(
                exchange_partner.c.partner_id == partner_id)))
    query = (query.order_by(Lesson.created_at.desc(), Lesson.id.desc())
             .options(selectinload(Lesson.exchange)))  # one statement for the page's exchanges
    return db.paginate(query, page=page, per_page=current_app.config["LESSONS_PER_PAGE"],
                       error_out=False)


def lesson(lesson_id: int) -> Lesson | None:
    """Return a live lesson."""
    return db.session.scalar(select(Lesson).where(Lesson.id == lesson_id,
                                                  Lesson.deleted_at.is_(None)))


def adoption(adoption_id: int | None) -> Adoption | None:
    """Return an adoption of a lesson by id."""
    return db.session.get(Adoption, adoption_id) if adoption_id is not None else None
def answers_visible_to(viewer: User, exchange: Exchange | None) -> list:
    """Answers to "did you apply it?" the viewer may read, newest first, with who gave them:
    all of them for the exchange's creator, its staff participants and HR; else only those
    of the viewer's own reports."""
    if exchange is None:
        return []
    query = (select(User.name, FollowUp.after_days, FollowUp.applied, FollowUp.note,
                    FollowUp.created_at)
             .join(User, User.id == FollowUp.user_id)
             .where(FollowUp.exchange_id == exchange.id)
             .order_by(FollowUp.created_at.desc(), FollowUp.id.desc()))
    whole = (exchange.created_by_id == viewer.id or policy.is_hr(viewer)
             or any(p.user_id == viewer.id for p in exchange.participants))
    if not whole:
        query = query.where(User.supervisor_id == viewer.id)
    return list(db.session.execute(query))
