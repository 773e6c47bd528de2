"""Reads of the catalogue."""

from sqlalchemy import select

from pdplanner.catalog.models import Alignment
from pdplanner.extensions import db


def alignments(include_archived: bool = False) -> list[Alignment]:
    """Return core values then strategic priorities, in their order."""
    query = select(Alignment).order_by(Alignment.kind.desc(), Alignment.position, Alignment.id)
    if not include_archived:
        query = query.where(Alignment.archived.is_(False))
    return list(db.session.scalars(query))
