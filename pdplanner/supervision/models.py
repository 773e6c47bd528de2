"""Tables for supervision schedules, sessions, agenda items, goal reviews and actions."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, status_type, utcnow


class SessionStatus(StrEnum):
    """What became of a supervision session."""

    PLANNED = "planned"
    HELD = "held"
    MISSED = "missed"
    CANCELLED = "cancelled"


class Schedule(db.Model):
    """A supervisor's recurring sessions with one report."""

    __tablename__ = "supervision_schedule"
    __table_args__ = (
        CheckConstraint("cadence IN ('weekly', 'fortnightly', 'four_weekly', 'monthly')",
                        name="cadence"),
        UniqueConstraint("supervisor_id", "report_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    cadence: Mapped[str] = mapped_column(String(12))
    #: Date of the first session; later ones follow the cadence from it.
    starts_on: Mapped[date] = mapped_column(Date)
    #: Local time of day in `timezone` (the supervisor's when the schedule was set).
    at: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Session(db.Model):
    """One supervision meeting between a supervisor and a report."""

    __tablename__ = "supervision_session"
    __table_args__ = (
        UniqueConstraint("supervisor_id", "report_id", "starts_at"),
        #: A person's sessions in date order (their page, their next session).
        Index("ix_supervision_session_report_id_starts_at", "report_id", "starts_at"),
        Index("ix_supervision_session_supervisor_id_starts_at", "supervisor_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_schedule.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    status: Mapped[SessionStatus] = mapped_column(status_type(SessionStatus, 10),
                                                  default=SessionStatus.PLANNED, index=True)
    held_on: Mapped[date | None] = mapped_column(Date)
    missed_reason: Mapped[str] = mapped_column(Text, default="")
    #: Notes both people read.
    shared_notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    report: Mapped[User] = relationship(foreign_keys=[report_id])
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="session", order_by="AgendaItem.id", foreign_keys="AgendaItem.session_id")
    reviews: Mapped[list[GoalReview]] = relationship(back_populates="session",
                                                     order_by="GoalReview.id")
    actions: Mapped[list[AgreedAction]] = relationship(back_populates="session",
                                                       order_by="AgreedAction.id")

    __mapper_args__ = {"version_id_col": version}


class PrivateNote(db.Model):
    """A supervisor's own note on a session: read by its author alone, whoever leads it later."""

    __tablename__ = "session_private_note"
    __table_args__ = (UniqueConstraint("session_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE"), index=True)
    #: Who wrote it; never the report, HR or the session's next supervisor.
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class AgendaItem(db.Model):
    """A point either person wants to discuss; uncovered points carry over."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(Text)
    covered: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The item in an earlier session this one continues.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[Session] = relationship(back_populates="items", foreign_keys=[session_id])
    author: Mapped[User] = relationship()


class GoalReview(db.Model):
    """What was said about one goal in a session."""

    __tablename__ = "goal_review"
    __table_args__ = (UniqueConstraint("session_id", "goal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    progress_note: Mapped[str] = mapped_column(Text, default="")
    agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[Session] = relationship(back_populates="reviews")


class AgreedAction(db.Model):
    """Something agreed in a session: a planned activity for the report, or a task."""

    __tablename__ = "agreed_action"
    __table_args__ = (CheckConstraint("owner IN ('report', 'supervisor')", name="owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    #: "report": became an activity on the report's plan; "supervisor": a task for them.
    owner: Mapped[str] = mapped_column(String(10))
    due_on: Mapped[date | None] = mapped_column(Date)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[Session] = relationship(back_populates="actions")
