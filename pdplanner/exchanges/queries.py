"""Reads for exchanges: the list, share-backs due, the lessons library with search."""

from __future__ import annotations

from datetime import date
from functools import cache

from flask import current_app
from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    bindparam,
    func,
    literal,
    null,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import selectinload

from pdplanner.accounts import policy
from pdplanner.accounts.models import Team, User
from pdplanner.catalog.models import Skill, SkillStatus
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
from pdplanner.paging import Page


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
            partner_id: int | None = None, kind: str | None = None, page: int = 1) -> Page:
    """Search lessons (accents folded, stemmed where the engine can), filtered, newest first:
    one page of rows (id, title, programme, created_at, and their exchange's title and
    first day) with the number of matches, in one statement."""
    per_page = current_app.config["LESSONS_PER_PAGE"]
    rows_of_page, size = _library_statements(q, skill_id, team_id, partner_id, kind)
    rows = db.session.execute(rows_of_page, {"per_page": per_page,
                                             "offset": (page - 1) * per_page}).all()
    if rows:
        total = rows[0].total
    else:  # past the last page (or nothing matches): the size still tells the pager
        total = db.session.scalar(size) if page > 1 else 0
    return Page(page=page, per_page=per_page, total=total, items=rows)


def _library_statements(q: str, skill_id: int | None, team_id: int | None,
                        partner_id: int | None, kind: str | None) -> tuple[Select, Select]:
    """The statements of a page of the library and of its size: built once for the library
    as opened (no search, no filter), else built for the search and filters given."""
    if not (q.strip() or skill_id or team_id or partner_id or kind):
        return _whole_library()
    where = [Lesson.deleted_at.is_(None)]
    clause = search.matching(q)
    if clause is not None:
        where.append(clause)
    if team_id:
        where.append(Lesson.team_id == team_id)
    if kind:
        where.append(Exchange.kind == kind)
    if skill_id:
        where.append(Exchange.id.in_(select(exchange_skill.c.exchange_id).where(
            exchange_skill.c.skill_id == skill_id)))
    if partner_id:
        where.append(Exchange.id.in_(select(exchange_partner.c.exchange_id).where(
            exchange_partner.c.partner_id == partner_id)))
    return _library_page(where, on_exchange=bool(kind or skill_id or partner_id))


def _library_page(where: list, on_exchange: bool = False) -> tuple[Select, Select]:
    """A page of lesson rows matching `where` (`on_exchange`: it names their exchange),
    newest first, each with the number of matches (the page's bounds bound per call), and
    the statement of that number alone."""
    size = select(func.count()).select_from(Lesson)
    if on_exchange:
        size = size.outerjoin(Exchange, Lesson.exchange_id == Exchange.id)
    size = size.where(*where)
    rows = (select(Lesson.id, Lesson.title, Lesson.programme, Lesson.created_at,
                   Exchange.id.label("exchange_id"), Exchange.title.label("exchange_title"),
                   Exchange.starts_on.label("exchange_starts_on"),
                   size.scalar_subquery().label("total"))
            .outerjoin(Exchange, Lesson.exchange_id == Exchange.id).where(*where)
            .order_by(Lesson.created_at.desc(), Lesson.id.desc())
            .limit(bindparam("per_page", type_=Integer))
            .offset(bindparam("offset", type_=BigInteger)))
    return rows, size


@cache
def _whole_library() -> tuple[Select, Select]:
    """`_library_page` for every live lesson (the library as opened), built once."""
    return _library_page([Lesson.deleted_at.is_(None)])


@cache
def _filter_names() -> Select:
    """Every filter's choices in one statement: catalogue skills by area and name, active
    teams and sites (teams first) by name, partners by name; each with its English and
    French names (None when it has one name) and its place in its list."""
    skills = select(literal(0).label("list"), Skill.id, Skill.name_en.label("name"),
                    Skill.name_fr.label("name_fr"),
                    func.row_number().over(order_by=(Skill.area_id, Skill.name_en))
                    .label("place")).where(Skill.status == SkillStatus.CATALOGUE,
                                           Skill.archived.is_(False))
    teams = select(literal(1), Team.id, Team.name, Team.name_fr,
                   func.row_number().over(order_by=(Team.kind, Team.name))
                   ).where(Team.archived.is_(False))
    partners = select(literal(2), Partner.id, Partner.name, null(),
                      func.row_number().over(order_by=Partner.folded_name))
    return union_all(skills, teams, partners).order_by(text("list"), text("place"))


def filter_names(language: str) -> tuple[list[tuple[int, str]], ...]:
    """Return the library's filter choices as (id, name in `language`) pairs: skills,
    teams and partners, read together (names as `name_for` gives them)."""
    lists: tuple[list[tuple[int, str]], ...] = ([], [], [])
    french = language == "fr"
    for kind, item_id, name, name_fr, _place in db.session.execute(_filter_names()):
        if kind == 0:  # a skill falls back to the other language either way
            shown = (name_fr or name) if french else (name or name_fr)
        else:
            shown = (name_fr if french else name) or name
        lists[kind].append((item_id, shown))
    return lists


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
