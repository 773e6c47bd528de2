"""Writes to exchanges: record one, lessons, share-back, adoption, follow-up, partners."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from pdplanner import audit, events
from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.catalog.models import Skill
from pdplanner.errors import PermissionDenied, RuleViolation
from pdplanner.exchanges import search
from pdplanner.exchanges.models import (
    EXCHANGE_KINDS,
    MAX_EXCHANGE_DAYS,
    Adoption,
    Exchange,
    FollowUp,
    Lesson,
    Participant,
    Partner,
)
from pdplanner.extensions import db
from pdplanner.formatting import dateformat
from pdplanner.learning.goals import GoalData, check_title, clean_text, create_goal
from pdplanner.transaction import use_case


@dataclass
class ExchangeData:
    """What is recorded about an exchange."""

    title: str
    kind: str
    starts_on: date | None
    ends_on: date | None
    partner_ids: list[int] = field(default_factory=list)
    skill_ids: list[int] = field(default_factory=list)
    staff_emails: str = ""
    externals: str = ""


@use_case
def add_partner(actor: User, name: str) -> Partner:
    """Add a partner organisation; a name differing only by case or accents is refused."""
    name = (name or "").strip()
    if not 2 <= len(name) <= 160:
        raise RuleViolation("name", _l("Enter a name of 2 to 160 characters."))
    folded = search.fold(name)
    if db.session.scalar(select(Partner).where(Partner.folded_name == folded)):
        raise RuleViolation("name", _l("This partner is already in the list."))
    partner = Partner(name=name, folded_name=folded)
    db.session.add(partner)
    db.session.flush()
    audit.record(actor.id, "partner.add", f"partner:{partner.id}")
    return partner


def _staff(emails: str) -> list[User]:
    """Find each listed e-mail among active staff, or say which are unknown."""
    wanted = [e.strip().lower() for e in emails.replace(",", "\n").splitlines() if e.strip()]
    found = {u.email.lower(): u for u in db.session.scalars(select(User).where(
        func.lower(User.email).in_(wanted), User.active.is_(True)))}
    unknown = [e for e in wanted if e not in found]
    if unknown:
        raise RuleViolation("staff_emails", _l("Not found among active staff: %(list)s",
                                               list=", ".join(unknown)))
    return list(dict.fromkeys(found[e] for e in wanted))


def _externals(lines: str) -> list[tuple[str, str]]:
    """Read "Name, Organisation" lines; every external participant needs a name."""
    people = []
    for number, line in enumerate((lines or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, _, org = line.partition(",")
        if not name.strip():
            raise RuleViolation("externals", _l("Line %(n)d: an external participant needs a "
                                                "name.", n=number))
        if len(name.strip()) > 160 or len(org.strip()) > 160:
            raise RuleViolation("externals", _l("Line %(n)d is too long.", n=number))
        people.append((name.strip(), org.strip()))
    return people


def too_long(starts_on: date, ends_on: date) -> bool:
    """Tell whether an exchange would last more than MAX_EXCHANGE_DAYS days (both counted)."""
    return (ends_on - starts_on).days + 1 > MAX_EXCHANGE_DAYS


def too_long_message():
    """Say how long an exchange may last, next to its last day."""
    return _l("An exchange lasts at most %(n)d days: check the last day.", n=MAX_EXCHANGE_DAYS)


def before_exchange_message(exchange_starts_on: date):
    """Say that a share-back cannot be dated before its exchange began."""
    return _l("The share-back cannot come before the exchange, which began on %(date)s.",
              date=dateformat(exchange_starts_on))


def may_edit(user: User, exchange: Exchange) -> bool:
    """Its creator, its staff participants and HR may edit an exchange."""
    return (exchange.created_by_id == user.id or policy.is_hr(user)
            or any(p.user_id == user.id for p in exchange.participants))


@use_case
def save_exchange(actor: User, exchange: Exchange | None, data: ExchangeData) -> Exchange:
    """Record (or correct) an exchange with its partners, topics and participants."""
    if exchange is not None and not may_edit(actor, exchange):
        raise PermissionDenied()
    title = check_title(data.title)
    if data.kind not in EXCHANGE_KINDS:
        raise RuleViolation("kind", _l("Choose the kind of exchange."))
    if data.starts_on is None:
        raise RuleViolation("starts_on", _l("Choose the first day."))
    ends_on = data.ends_on or data.starts_on
    if ends_on < data.starts_on:
        raise RuleViolation("ends_on", _l("The last day cannot come before the first."))
    if too_long(data.starts_on, ends_on):
        raise RuleViolation("ends_on", too_long_message())
    staff, externals = _staff(data.staff_emails), _externals(data.externals)
    partners = list(db.session.scalars(select(Partner).where(Partner.id.in_(data.partner_ids))))
    skills = list(db.session.scalars(select(Skill).where(Skill.id.in_(data.skill_ids))))
    exchange = exchange or Exchange(created_by_id=actor.id)
    exchange.title, exchange.kind, exchange.starts_on, exchange.ends_on = (
        title, data.kind, data.starts_on, ends_on)
    days = current_app.config["EXCHANGE_SHARE_BACK_DAYS"]
    exchange.share_back_due_on = ends_on + timedelta(days=days)
    exchange.partners, exchange.skills = partners, skills
    if actor not in staff and exchange.created_by_id == actor.id:
        staff.insert(0, actor)
    exchange.participants = [Participant(user_id=u.id) for u in staff] + [
        Participant(external_name=n, external_org=o) for n, o in externals]
    db.session.add(exchange)
    db.session.flush()
    audit.record(actor.id, "exchange.save", f"exchange:{exchange.id}")
    return exchange


@dataclass
class LessonData:
    """A lesson's words and context."""

    title: str
    what_worked: str = ""
    what_to_avoid: str = ""
    idea: str = ""
    programme: str = ""
    team_id: int | None = None
    tags: str = ""


@use_case
def add_lesson(actor: User, exchange: Exchange | None, data: LessonData,
               goal_id: int | None = None) -> Lesson:
    """Record a lesson from an exchange (or from a goal); it is visible to everyone."""
    if exchange is not None and not may_edit(actor, exchange):
        raise PermissionDenied()
    title = check_title(data.title)
    texts = {name: clean_text(getattr(data, name), name) for name in
             ("what_worked", "what_to_avoid", "idea")}
    if not any(texts.values()):
        raise RuleViolation("what_worked", _l("Write what worked, what to avoid or an idea to "
                                              "try."))
    programme = clean_text(data.programme, "programme", 160)
    tags = clean_text(data.tags, "tags", 300)
    lesson = Lesson(exchange_id=exchange.id if exchange else None, goal_id=goal_id,
                    author_id=actor.id, title=title, programme=programme, team_id=data.team_id,
                    tags=tags, **texts)
    lesson.search_text = search.fold(" ".join([title, programme, tags, *texts.values()]))
    db.session.add(lesson)
    db.session.flush()
    search.index(lesson)
    audit.record(actor.id, "lesson.add", f"lesson:{lesson.id}")
    return lesson


@use_case
def record_share_back(actor: User, exchange: Exchange, kind: str, done_on: date | None,
                      attendees: str, note: str) -> None:
    """Record that what was learned was shared back: a team session, or a written note."""
    if not may_edit(actor, exchange):
        raise PermissionDenied()
    if kind not in ("session", "note"):
        raise RuleViolation("kind", _l("Choose a session or a written note."))
    if done_on is None or done_on > today_for(actor):
        raise RuleViolation("done_on", _l("Choose a date up to today."))
    if done_on < exchange.starts_on:
        raise RuleViolation("done_on", before_exchange_message(exchange.starts_on))
    attendees, note = clean_text(attendees, "attendees", 2000), clean_text(note, "note", 5000)
    if kind == "session" and not attendees:
        raise RuleViolation("attendees", _l("Say who attended the session."))
    if kind == "note" and not note:
        raise RuleViolation("note", _l("Write the note you shared."))
    exchange.share_back_kind, exchange.share_back_done_on = kind, done_on
    exchange.share_back_attendees, exchange.share_back_note = attendees, note
    audit.record(actor.id, "exchange.share_back", f"exchange:{exchange.id}")
    events.subject_settled.send(f"exchange:{exchange.id}")  # the "share back" reminder


@use_case
def adopt(actor: User, lesson: Lesson) -> Adoption:
    """Turn a lesson's idea into one of the actor's own goals, keeping the link (once)."""
    existing = db.session.scalar(select(Adoption).where(Adoption.lesson_id == lesson.id,
                                                        Adoption.user_id == actor.id))
    if existing is not None:
        return existing
    title = (lesson.idea or lesson.title).strip().split("\n")[0][:200]
    if len(title) < 3:
        title = lesson.title
    goal = create_goal(actor, GoalData(title=title, why=_l("Adopted from the lesson “%(t)s”.",
                                                           t=lesson.title),
                                       visibility="shared"), start=True)
    adoption = Adoption(lesson_id=lesson.id, user_id=actor.id, goal_id=goal.id)
    db.session.add(adoption)
    audit.record(actor.id, "lesson.adopt", f"lesson:{lesson.id}", f"goal:{goal.id}")
    return adoption


@use_case
def record_outcome(actor: User, adoption: Adoption, worked: bool, note: str) -> None:
    """Say whether an adopted idea worked here."""
    if adoption.user_id != actor.id:
        raise PermissionDenied()
    adoption.worked, adoption.outcome_note = worked, clean_text(note, "note", 2000)
    audit.record(actor.id, "lesson.outcome", f"adoption:{adoption.id}")


@use_case
def answer_follow_up(actor: User, exchange: Exchange, after_days: int, applied: bool,
                     note: str) -> None:
    """Keep a staff participant's answer to "did you apply it?"."""
    if not any(p.user_id == actor.id for p in exchange.participants):
        raise PermissionDenied()
    if after_days not in (30, 60):
        raise RuleViolation("after_days", _l("Answer for 30 or 60 days."))
    answer = db.session.scalar(select(FollowUp).where(
        FollowUp.exchange_id == exchange.id, FollowUp.user_id == actor.id,
        FollowUp.after_days == after_days)) or FollowUp(
        exchange_id=exchange.id, user_id=actor.id, after_days=after_days)
    answer.applied, answer.note = applied, clean_text(note, "note", 2000)
    db.session.add(answer)
    db.session.flush()
    # The reminder's subject ("exchange:12:d30") is shared by every staff participant, and
    # settling it marks all their notices read: settle it once nobody is left to answer.
    staff = {p.user_id for p in exchange.participants if p.user_id is not None}
    answered = set(db.session.scalars(select(FollowUp.user_id).where(
        FollowUp.exchange_id == exchange.id, FollowUp.after_days == after_days)))
    if staff <= answered:
        events.subject_settled.send(f"exchange:{exchange.id}:d{after_days}")
