"""Tables for the organisation, its teams and sites, job levels and people."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    exists,
    select,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, utcnow

LANGUAGES = ("en", "fr")
ROLES = ("employee", "hr", "admin")
TEAM_KINDS = ("team", "site")
CADENCES = ("weekly", "fortnightly", "four_weekly", "monthly")


class ReminderChannel(StrEnum):
    """How a person (or one kind of their reminders) is reached."""

    EMAIL = "email"
    SMS = "sms"
    BOTH = "both"
    NONE = "none"


def channel_type() -> Enum:
    """Store a ReminderChannel as its value in a VARCHAR with a CHECK named `channel`."""
    return Enum(ReminderChannel, native_enum=False, create_constraint=True, length=5,
                name="channel", values_callable=lambda members: [m.value for m in members],
                validate_strings=True)


class Organisation(db.Model):
    """The one organisation this installation serves, with its settings."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Language for people who chose none and whose browser asks for neither.
    default_language: Mapped[str] = mapped_column(String(5), default="en")
    #: IANA zone used for people who chose none.
    timezone: Mapped[str] = mapped_column(String(64), default="Africa/Bamako")
    #: Supervision cadence proposed for each new supervisor/report pair.
    default_cadence: Mapped[str] = mapped_column(String(20), default="monthly")
    #: Share (%) of a level's staff with an active goal below which HR is alerted.
    participation_target: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    #: ISO 3166 country whose numbering plan a phone number typed without +… follows.
    country: Mapped[str] = mapped_column(String(2), default="ML", server_default="ML")
    #: SMS segments the organisation may send per calendar month; further texts wait.
    sms_monthly_cap: Mapped[int] = mapped_column(Integer, default=1000, server_default="1000")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Team(db.Model):
    """A team inside the organisation, or a site such as a partner health centre."""

    __tablename__ = "team"
    __table_args__ = (CheckConstraint("kind IN ('team', 'site')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)  #: in English (and imports)
    #: The name in French; empty means "same as in English".
    name_fr: Mapped[str] = mapped_column(String(120), default="", server_default="")
    #: "team" for an internal team, "site" for a field or partner site.
    kind: Mapped[str] = mapped_column(String(10), default="team")
    #: True when the site belongs to a partner organisation (e.g. a health centre).
    is_partner: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    def name_for(self, language: str) -> str:
        """Return the name in `language`, falling back to English."""
        return (self.name_fr if language == "fr" else self.name) or self.name


class Level(db.Model):
    """A job level; `rank` orders them from the director (0) downwards."""

    __tablename__ = "level"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)  #: in English (and imports)
    #: The name in French; empty means "same as in English".
    name_fr: Mapped[str] = mapped_column(String(120), default="", server_default="")
    #: Position in the ordered list; 0 is the most senior.
    rank: Mapped[int] = mapped_column(Integer, index=True)

    def name_for(self, language: str) -> str:
        """Return the name in `language`, falling back to English."""
        return (self.name_fr if language == "fr" else self.name) or self.name


class User(UserMixin, db.Model):
    """A member of staff; never deleted, only deactivated."""

    __tablename__ = "user_account"
    __table_args__ = (
        #: Walks down a branch (the recursive CTE) one index seek per supervisor.
        Index("ix_user_account_supervisor_id_active", "supervisor_id", "active"),
        #: The people list's page read in order, without sorting every match.
        Index("ix_user_account_active_sort_name", "active", "sort_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Empty for someone reached by SMS only (they cannot sign in until they have one).
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    #: Mobile number in E.164 (+22370123456); replies to texts are matched on it.
    phone: Mapped[str | None] = mapped_column(String(16), unique=True, index=True)
    #: How reminders reach the person unless they chose otherwise for one kind.
    reminder_channel: Mapped[ReminderChannel] = mapped_column(
        channel_type(), default=ReminderChannel.EMAIL, server_default="email")
    #: Set when the person answered STOP to a text: no more SMS until they turn it back on.
    sms_stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    name: Mapped[str] = mapped_column(String(120))
    #: The name as lists sort it, lower-cased by the database itself on every write (so no
    #: write path can forget it); read only by the queries that sort on it.
    sort_name: Mapped[str | None] = mapped_column(
        String(120), Computed("lower(name)", persisted=True), deferred=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_hr: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Empty means "follow the browser, then the organisation".
    language: Mapped[str | None] = mapped_column(String(5))
    #: Empty means the organisation's time zone.
    timezone: Mapped[str | None] = mapped_column(String(64))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    level_id: Mapped[int | None] = mapped_column(ForeignKey("level.id"), index=True)
    #: Part of the login id; bumping it kills every copied session and remember cookie.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    #: Consecutive failed sign-ins, shared by every worker.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Optimistic lock: a stale edit form is refused instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)

    supervisor: Mapped[User | None] = relationship(
        remote_side=[id], back_populates="reports", lazy="joined", join_depth=1
    )
    reports: Mapped[list[User]] = relationship(back_populates="supervisor", order_by="User.name")
    team: Mapped[Team | None] = relationship(lazy="joined")
    level: Mapped[Level | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def get_id(self) -> str:
        """Return the login id with the session version, so old cookies stop matching."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Deactivated people cannot sign in."""
        return self.active

    @property
    def role(self) -> str:
        """Return the highest explicit role: admin, hr or employee."""
        if self.is_admin:
            return "admin"
        if self.is_hr:
            return "hr"
        return "employee"

    @property
    def is_supervisor(self) -> bool:
        """A supervisor is anyone with an active direct report (one EXISTS query, unless the
        reports are loaded already: a director's fifty reports are not read to learn this)."""
        if "reports" in self.__dict__:
            return any(r.active for r in self.reports)
        if self.id is None:
            return False
        if "_supervises" in self.__dict__:
            return self.__dict__["_supervises"]
        return bool(db.session.scalar(select(User.supervises_anyone(self.id))))

    @staticmethod
    def supervises_anyone(user_id):
        """Return an EXISTS expression: someone active reports to `user_id`."""
        return exists().where(_REPORT.supervisor_id == user_id, _REPORT.active.is_(True))

    def remember_supervises(self, supervises: bool) -> None:
        """Keep what the sign-in statement read of `is_supervisor` for this request."""
        self.__dict__["_supervises"] = supervises

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


#: Someone's direct report, in a query about that someone (built once: an alias per call
#: would build its columns again on every request).
_REPORT = aliased(User)


class Throttle(db.Model):
    """Attempts counted for one client address or one account in one time window."""

    __tablename__ = "throttle"

    #: A digest of the limit's name and who is counted (never the address or e-mail
    #: itself), then ":" and the number of the window.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    #: End of the window; the row means nothing after it and is deleted.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
