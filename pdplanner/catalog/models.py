"""Tables for the organisation's core values and strategic priorities."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pdplanner.extensions import db
from pdplanner.types import UTCDateTime, utcnow

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
