"""Tables for partners, exchanges, participants, lessons, adoptions and follow-up answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pdplanner.accounts.models import User
from pdplanner.catalog.models import Skill
from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, utcnow

EXCHANGE_KINDS = ("visit_to", "visit_from", "joint_training", "qi_meeting", "conference",
                  "peer_session")

#: A visit or exchange lasts days or weeks: a longer span is a typing mistake.
MAX_EXCHANGE_DAYS = 31

exchange_partner = db.Table(
    "exchange_partner",
    db.Column("exchange_id", db.ForeignKey("exchange.id", ondelete="CASCADE"), primary_key=True),
    db.Column("partner_id", db.ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True),
)
exchange_skill = db.Table(
    "exchange_skill",
    db.Column("exchange_id", db.ForeignKey("exchange.id", ondelete="CASCADE"), primary_key=True),
    db.Column("skill_id", db.ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class Partner(db.Model):
    """A partner organisation; names are unique once case and accents are folded."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    #: Lower-case, accent-free name: "Santé Plus" and "sante plus" are one partner.
    folded_name: Mapped[str] = mapped_column(String(160), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Exchange(db.Model):
    """A learning exchange: a visit, joint training, QI meeting, conference or peer session."""

    __tablename__ = "exchange"
    __table_args__ = (
        CheckConstraint("kind IN ('visit_to', 'visit_from', 'joint_training', 'qi_meeting', "
                        "'conference', 'peer_session')", name="kind"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: The share-back is due by this date (N days after the exchange ends).
    share_back_due_on: Mapped[date] = mapped_column(Date, index=True)
    share_back_done_on: Mapped[date | None] = mapped_column(Date)
    #: "session" (with the team) or "note" (written).
    share_back_kind: Mapped[str | None] = mapped_column(String(10))
    share_back_note: Mapped[str] = mapped_column(Text, default="")
    #: Who attended the share-back session (free text: names or a team).
    share_back_attendees: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by: Mapped[User] = relationship()
    partners: Mapped[list[Partner]] = relationship(secondary=exchange_partner,
                                                   order_by="Partner.name")
    skills: Mapped[list[Skill]] = relationship(secondary=exchange_skill)
    participants: Mapped[list[Participant]] = relationship(
        back_populates="exchange", cascade="all, delete-orphan", order_by="Participant.id")
    lessons: Mapped[list[Lesson]] = relationship(back_populates="exchange",
                                                 order_by="Lesson.id")


class Participant(db.Model):
    """Someone who took part: a member of staff, or an external person by name."""

    __tablename__ = "exchange_participant"
    __table_args__ = (
        CheckConstraint("user_id IS NOT NULL OR external_name <> ''", name="who"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchange.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    external_name: Mapped[str] = mapped_column(String(160), default="")
    external_org: Mapped[str] = mapped_column(String(160), default="")

    exchange: Mapped[Exchange] = relationship(back_populates="participants")
    user: Mapped[User | None] = relationship()


class Lesson(db.Model):
    """What worked, what to avoid, an idea to try here; visible across the organisation."""

    __tablename__ = "lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchange.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    title: Mapped[str] = mapped_column(String(200))
    what_worked: Mapped[str] = mapped_column(Text, default="")
    what_to_avoid: Mapped[str] = mapped_column(Text, default="")
    idea: Mapped[str] = mapped_column(Text, default="")
    #: Programme and site it comes from (context for "who sees better results, and why?").
    programme: Mapped[str] = mapped_column(String(160), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    tags: Mapped[str] = mapped_column(String(300), default="")
    #: Lower-case, accent-free copy of every field, for search on any database.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    exchange: Mapped[Exchange | None] = relationship(back_populates="lessons")
    author: Mapped[User] = relationship()
    adoptions: Mapped[list[Adoption]] = relationship(back_populates="lesson",
                                                     order_by="Adoption.id")


class Adoption(db.Model):
    """A person turned a lesson's idea into a goal; later they say whether it worked."""

    __tablename__ = "lesson_adoption"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    #: None until the person says; then whether the idea worked here.
    worked: Mapped[bool | None] = mapped_column(Boolean)
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="adoptions")
    user: Mapped[User] = relationship()


class FollowUp(db.Model):
    """A participant's answer to "did you apply it?" 30 or 60 days after an exchange."""

    __tablename__ = "exchange_follow_up"
    __table_args__ = (UniqueConstraint("exchange_id", "user_id", "after_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchange.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    after_days: Mapped[int] = mapped_column(Integer)
    applied: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
