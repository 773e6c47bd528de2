"""Tables for core values, strategic priorities, skill areas, skills and proposed topics."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, status_type, utcnow

ALIGNMENT_KINDS = ("value", "priority")


class Alignment(db.Model):
    """A core value or strategic priority that learning goals can relate to."""

    __tablename__ = "alignment"
    __table_args__ = (CheckConstraint("kind IN ('value', 'priority')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "value" for a core value, "priority" for a strategic priority.
    kind: Mapped[str] = mapped_column(String(10))
    name_en: Mapped[str] = mapped_column(String(160))
    name_fr: Mapped[str] = mapped_column(String(160))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    #: Archived entries stay linked to old goals but are no longer offered.
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def name_for(self, language: str) -> str:
        """Return the name in `language`, falling back to English."""
        return (self.name_fr if language == "fr" else self.name_en) or self.name_en


#: Which skills serve which core values or priorities.
skill_alignment = db.Table(
    "skill_alignment",
    db.Column("skill_id", db.ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
    db.Column("alignment_id", db.ForeignKey("alignment.id", ondelete="CASCADE"),
              primary_key=True),
)

class SkillStatus(StrEnum):
    """A catalogue skill, or a topic someone proposed and what HR decided about it."""

    CATALOGUE = "catalogue"
    PROPOSED = "proposed"
    PERSONAL = "personal"
    MERGED = "merged"


class SkillArea(db.Model):
    """A family of skills, e.g. "Quality improvement" or "Management"."""

    __tablename__ = "skill_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(160))
    name_fr: Mapped[str] = mapped_column(String(160))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def name_for(self, language: str) -> str:
        """Return the name in `language`, falling back to English."""
        return (self.name_fr if language == "fr" else self.name_en) or self.name_en


class Skill(db.Model):
    """A skill in the catalogue, or a topic an employee named themselves."""

    __tablename__ = "skill"
    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("skill_area.id"), index=True)
    name_en: Mapped[str] = mapped_column(String(160))
    name_fr: Mapped[str] = mapped_column(String(160))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    #: catalogue: offered to all; proposed: named by an employee, waiting for HR;
    #: personal: HR left it to its proposer; merged: folded into `merged_into_id`.
    status: Mapped[SkillStatus] = mapped_column(status_type(SkillStatus, 12),
                                                default=SkillStatus.CATALOGUE, index=True)
    #: The employee who named this topic (None for HR's catalogue entries).
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("skill.id"))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    area: Mapped[SkillArea | None] = relationship(lazy="joined")
    alignments: Mapped[list[Alignment]] = relationship(secondary=skill_alignment)

    def name_for(self, language: str) -> str:
        """Return the name in `language`, falling back to the other one."""
        if language == "fr":
            return self.name_fr or self.name_en
        return self.name_en or self.name_fr
