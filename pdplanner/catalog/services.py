"""Writes to the catalogue: core values and strategic priorities."""

from flask_babel import lazy_gettext as _l

from pdplanner import audit
from pdplanner.accounts.models import User
from pdplanner.catalog.models import ALIGNMENT_KINDS, Alignment
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.transaction import use_case


@use_case
def save_alignment(actor: User, item: Alignment | None, kind: str, name_en: str, name_fr: str,
                   description_en: str = "", description_fr: str = "") -> Alignment:
    """Create or update a core value or strategic priority (names in both languages)."""
    if kind not in ALIGNMENT_KINDS:
        raise RuleViolation("kind", _l("Choose core value or strategic priority."))
    name_en, name_fr = (name_en or "").strip(), (name_fr or "").strip()
    for field, value in (("name_en", name_en), ("name_fr", name_fr)):
        if not 2 <= len(value) <= 160:
            raise RuleViolation(field, _l("Enter a name of 2 to 160 characters."))
    for field, value in (("description_en", description_en), ("description_fr", description_fr)):
        if len(value or "") > 2000:
            raise RuleViolation(field, _l("Keep the description under 2000 characters."))
    item = item or Alignment()
    item.kind, item.name_en, item.name_fr = kind, name_en, name_fr
    item.description_en = (description_en or "").strip()
    item.description_fr = (description_fr or "").strip()
    db.session.add(item)
    db.session.flush()
    audit.record(actor.id, "alignment.save", f"alignment:{item.id}")
    return item


@use_case
def set_archived(actor: User, item: Alignment, archived: bool) -> None:
    """Archive (or restore) a value or priority; goals linked to it keep the link."""
    item.archived = archived
    audit.record(actor.id, "alignment.archive" if archived else "alignment.restore",
                 f"alignment:{item.id}")
