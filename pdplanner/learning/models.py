"""Tables for learning goals, check-ins, comments, activities, occurrences and reflections."""

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
from pdplanner.catalog.models import Alignment, Skill
from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, status_type, utcnow


class GoalStatus(StrEnum):
    """Where a goal stands: suggested or declined (a supervisor's idea), then its lifecycle."""

    SUGGESTED = "suggested"
    DECLINED = "declined"
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


#: Statuses in which a goal can still take new activities.
OPEN_STATUSES = (GoalStatus.DRAFT, GoalStatus.ACTIVE, GoalStatus.PAUSED)


class OccurrenceStatus(StrEnum):
    """What became of a planned date; rescheduled points to its successor."""

    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"


ACTIVITY_KINDS = ("course", "mentoring", "job_shadowing", "peer_learning", "reading",
                  "exchange_visit", "workshop", "on_the_job", "qi_meeting", "other")
RECURRENCES = ("none", "weekly", "fortnightly", "monthly")

goal_skill = db.Table(
    "goal_skill",
    db.Column("goal_id", db.ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True),
    db.Column("skill_id", db.ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)
goal_alignment = db.Table(
    "goal_alignment",
    db.Column("goal_id", db.ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True),
    db.Column("alignment_id", db.ForeignKey("alignment.id", ondelete="CASCADE"),
              primary_key=True),
)


class Goal(db.Model):
    """A learning goal: what, why, how success shows, by when, which skills, and why it matters."""

    __tablename__ = "goal"
    __table_args__ = (
        CheckConstraint("visibility IN ('private', 'shared')", name="visibility"),
        CheckConstraint("chosen_by IN ('self', 'suggested')", name="chosen_by"),
        #: A person's live goals in one index seek (home, plan, goals); no index on
        #: deleted_at alone: nearly every row is NULL and the planner mistook it for a filter.
        #: Visibility, status and id complete it, so My team counts fifty people's shared
        #: goals from the index alone (PostgreSQL's index-only scan) without visiting rows.
        Index("ix_goal_owner_id_deleted_at_visibility", "owner_id", "deleted_at", "visibility",
              "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    title: Mapped[str] = mapped_column(String(200))
    why: Mapped[str] = mapped_column(Text, default="")
    success: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    #: private: only the owner sees it; shared: the supervisor sees it too.
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    status: Mapped[GoalStatus] = mapped_column(status_type(GoalStatus, 12),
                                               default=GoalStatus.DRAFT, index=True)
    #: "self" when the employee chose it, "suggested" when it began as a supervisor's idea.
    chosen_by: Mapped[str] = mapped_column(String(10), default="self")
    suggested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: True when the owner marked it as personal interest (valid with or without alignments).
    personal_interest: Mapped[bool] = mapped_column(Boolean, default=False)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    drop_reason: Mapped[str] = mapped_column(Text, default="")
    #: When the supervisor agreed the goal, and who that was.
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    achieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    #: Soft delete: set when deleted, cleared by "undo".
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    suggested_by: Mapped[User | None] = relationship(foreign_keys=[suggested_by_id])
    agreed_by: Mapped[User | None] = relationship(foreign_keys=[agreed_by_id])
    skills: Mapped[list[Skill]] = relationship(secondary=goal_skill)
    alignments: Mapped[list[Alignment]] = relationship(secondary=goal_alignment)
    checkins: Mapped[list[CheckIn]] = relationship(
        back_populates="goal", order_by="CheckIn.on.desc(), CheckIn.id.desc()")
    activities: Mapped[list[Activity]] = relationship(
        back_populates="goal", order_by="Activity.starts_on, Activity.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def progress(self) -> int:
        """Return the latest check-in's progress, or 100 once achieved, else 0."""
        if self.status == GoalStatus.ACHIEVED:
            return 100
        return self.checkins[0].progress if self.checkins else 0


class CheckIn(db.Model):
    """A dated progress note on a goal, so progress has a history."""

    __tablename__ = "goal_checkin"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="checkins")


class GoalComment(db.Model):
    """A supervisor's (or the owner's) comment on a shared goal."""

    __tablename__ = "goal_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship()


class Activity(db.Model):
    """A planned way of learning for a goal: once, or recurring until a date."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("recurrence IN ('none', 'weekly', 'fortnightly', 'monthly')",
                        name="recurrence"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 1440", name="duration"),
        #: A goal's live activities; with the id, My team's date counts go from goals to
        #: dates through the index alone (and PostgreSQL plans nested loops, not a scan).
        Index("ix_activity_goal_id_deleted_at_id", "goal_id", "deleted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    #: With whom, or where (a person, a team, a partner site, a course provider).
    with_whom: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    #: Local time of day, in the owner's time zone; None for "some time that day".
    start_time: Mapped[time | None] = mapped_column(Time)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    recurrence: Mapped[str] = mapped_column(String(12), default="none")
    #: Last possible date of a recurring activity.
    until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    goal: Mapped[Goal] = relationship(back_populates="activities")
    occurrences: Mapped[list[Occurrence]] = relationship(
        back_populates="activity", order_by="Occurrence.planned_on, Occurrence.id")

    __mapper_args__ = {"version_id_col": version}


class Occurrence(db.Model):
    """One dated instance of an activity, and what became of it."""

    __tablename__ = "occurrence"
    __table_args__ = (
        #: An activity's dates in a window (home, plan) without reading its whole history;
        #: with the status, My team counts dates done, missed and open from the index alone.
        Index("ix_occurrence_activity_id_planned_on_status", "activity_id", "planned_on",
              "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    #: planned until resolved as done, missed or cancelled; rescheduled points to its successor.
    status: Mapped[OccurrenceStatus] = mapped_column(status_type(OccurrenceStatus, 12),
                                                     default=OccurrenceStatus.PLANNED, index=True)
    happened_on: Mapped[date | None] = mapped_column(Date)
    missed_reason: Mapped[str] = mapped_column(Text, default="")
    #: The occurrence this one replaced when it was rescheduled.
    rescheduled_from_id: Mapped[int | None] = mapped_column(ForeignKey("occurrence.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    activity: Mapped[Activity] = relationship(back_populates="occurrences")
    reflection: Mapped[Reflection | None] = relationship(back_populates="occurrence",
                                                         uselist=False)


class Reflection(db.Model):
    """What the owner learned and will apply; private unless shared with the supervisor."""

    __tablename__ = "reflection"
    __table_args__ = (
        UniqueConstraint("occurrence_id"),
        CheckConstraint("visibility IN ('private', 'shared')", name="visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("occurrence.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    learned: Mapped[str] = mapped_column(Text, default="")
    apply: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    occurrence: Mapped[Occurrence] = relationship(back_populates="reflection")


class SkillAssessment(db.Model):
    """A 1-4 rating of a skill (aware, practising, confident, can teach), kept as history."""

    __tablename__ = "skill_assessment"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    #: Who rated: the person themselves, or (next issue) their supervisor.
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    skill: Mapped[Skill] = relationship()
