"""The dashboard's snapshot: per-person figures rebuilt from the live tables by the scheduler.

Counting 600,000 activity dates, 200,000 goals and 150,000 sessions on every page view cannot
meet the dashboard's time budget on SQLite, so the refresh (``snapshot.refresh``) aggregates
them once, per person and month, into these small tables; every dashboard query then sums a
few thousand rows. Each row carries the person's team and level at refresh time, so filters
need no join. Only active people have rows. The tables hold counts and dates only: no text
anybody wrote.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, column
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from pdplanner.extensions import db
from pdplanner.types import UTCDateTime


class Snapshot(db.Model):
    """When the figures were last rebuilt (one row)."""

    __tablename__ = "insight_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    as_of: Mapped[date] = mapped_column(Date)  #: the organisation's date at refresh time
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


class PersonFacts(db.Model):
    """Where one active person stands now: goals, latest learning, latest session."""

    __tablename__ = "insight_person"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int | None] = mapped_column(Integer, index=True)
    level_id: Mapped[int | None] = mapped_column(Integer, index=True)
    person_name: Mapped[str] = mapped_column(String(120), index=True)  #: lists sort by it
    active_goals: Mapped[int] = mapped_column(Integer, default=0)
    last_done_on: Mapped[date | None] = mapped_column(Date)
    last_held_on: Mapped[date | None] = mapped_column(Date)
    #: the oldest activity date still to resolve (on or before the snapshot's day)
    oldest_open_on: Mapped[date | None] = mapped_column(Date)
    #: whether someone supervises them (without, "no session" is no one's to fix in a session)
    has_supervisor: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=sa_false())


class MonthlyCounts:
    """The monthly counters shared by the per-person and the per-team tables."""

    planned: Mapped[int] = mapped_column(Integer, default=0)  #: every date but rescheduled ones
    done: Mapped[int] = mapped_column(Integer, default=0)
    missed: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
    to_resolve: Mapped[int] = mapped_column(Integer, default=0)
    goals_new: Mapped[int] = mapped_column(Integer, default=0)  #: live goals created
    goals_self: Mapped[int] = mapped_column(Integer, default=0)
    goals_aligned: Mapped[int] = mapped_column(Integer, default=0)
    goals_personal: Mapped[int] = mapped_column(Integer, default=0)
    goals_achieved: Mapped[int] = mapped_column(Integer, default=0)


class MonthFacts(MonthlyCounts, db.Model):
    """One person's month: activity dates by outcome, goals started and achieved."""

    __tablename__ = "insight_month"
    __table_args__ = (Index("ix_insight_month_team_id_month", "team_id", "month"),
                      Index("ix_insight_month_level_id_month", "level_id", "month"))

    month: Mapped[date] = mapped_column(Date, primary_key=True)  #: first day of the month
    person_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True)
    team_id: Mapped[int | None] = mapped_column(Integer)
    level_id: Mapped[int | None] = mapped_column(Integer)


class TeamMonthFacts(MonthlyCounts, db.Model):
    """The same counters summed per team and month, for the whole organisation's page.

    The unfiltered dashboard reads these ~12,000 rows instead of ~140,000 per-person ones.
    """

    __tablename__ = "insight_team_month"
    __table_args__ = (Index("ix_insight_team_month_month_team_id", "month", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)  # team_id may be NULL (no team)
    month: Mapped[date] = mapped_column(Date)
    team_id: Mapped[int | None] = mapped_column(Integer)
    held: Mapped[int] = mapped_column(Integer, default=0)  #: sessions held with its people


class SessionFacts(db.Model):
    """One supervisor's sessions with one report in one month."""

    __tablename__ = "insight_session_month"
    __table_args__ = (Index("ix_insight_session_month_team_id_month", "team_id", "month"),)

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    person_id: Mapped[int] = mapped_column(  #: the report
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True)
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int | None] = mapped_column(Integer)
    level_id: Mapped[int | None] = mapped_column(Integer)
    due: Mapped[int] = mapped_column(Integer, default=0)  #: past and not cancelled
    held: Mapped[int] = mapped_column(Integer, default=0)
    reviewed: Mapped[int] = mapped_column(Integer, default=0)  #: held, reviewed a goal


class SupervisorMonthFacts(db.Model):
    """One supervisor's sessions in one month, all reports summed (the whole organisation)."""

    __tablename__ = "insight_supervisor_month"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    due: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)
    reviewed: Mapped[int] = mapped_column(Integer, default=0)


class GapFacts(db.Model):
    """How often n days passed between two held sessions of one supervisor with one report.

    ``month`` is the month of the earlier session. A filtered dashboard takes the median of
    the rows in its scope, so a team filter narrows the median as it narrows the counts.
    """

    __tablename__ = "insight_gap"
    __table_args__ = (Index("ix_insight_gap_team_id_month", "team_id", "month"),)

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    person_id: Mapped[int] = mapped_column(  #: the report
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True)
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int | None] = mapped_column(Integer)
    level_id: Mapped[int | None] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer, default=1)


class SupervisorFacts(db.Model):
    """Median days between a supervisor's held sessions (same report) over a period.

    Computed from every GapFacts row of the period: the whole organisation's page reads it.
    """

    __tablename__ = "insight_supervisor"

    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    months: Mapped[int] = mapped_column(Integer, primary_key=True)  #: 3, 6 or 12
    median_gap: Mapped[int | None] = mapped_column(Integer)


class SkillFacts(db.Model):
    """One person on one skill: first and latest levels, self-rated and by a supervisor."""

    __tablename__ = "insight_skill"
    __table_args__ = (
        # The matrix lists the highest levels first, then by name: these indexes hand the
        # first 300 rows over in that order, with no sort.
        Index("ix_insight_skill_latest", column("latest").desc(), "person_name"),
        Index("ix_insight_skill_skill_id_latest", "skill_id", column("latest").desc(),
              "person_name"),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"),
                                          primary_key=True)
    team_id: Mapped[int | None] = mapped_column(Integer, index=True)
    level_id: Mapped[int | None] = mapped_column(Integer)
    person_name: Mapped[str] = mapped_column(String(120))  #: the matrix sorts by it
    first_self: Mapped[int | None] = mapped_column(Integer)
    latest_self: Mapped[int | None] = mapped_column(Integer)
    first_supervisor: Mapped[int | None] = mapped_column(Integer)
    latest_supervisor: Mapped[int | None] = mapped_column(Integer)
    latest: Mapped[int] = mapped_column(Integer)  #: the latest rating, whoever gave it


class SkillTotals(db.Model):
    """First and latest levels per skill over the whole organisation (sums and counts)."""

    __tablename__ = "insight_skill_total"

    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"),
                                          primary_key=True)
    rated_self: Mapped[int] = mapped_column(Integer, default=0)  #: people who rated themselves
    first_self: Mapped[int] = mapped_column(Integer, default=0)  #: sum of their first levels
    latest_self: Mapped[int] = mapped_column(Integer, default=0)
    rated_supervisor: Mapped[int] = mapped_column(Integer, default=0)
    first_supervisor: Mapped[int] = mapped_column(Integer, default=0)
    latest_supervisor: Mapped[int] = mapped_column(Integer, default=0)
