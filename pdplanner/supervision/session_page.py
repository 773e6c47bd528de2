"""A session's page and its sheet, read as rows in two statements (the agenda in
`queries`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Date,
    Integer,
    Row,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import aliased

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.supervision.models import (
    AgendaItem,
    AgreedAction,
    PrivateNote,
    Session,
    SessionStatus,
)
from pdplanner.types import UTCDateTime


@cache
def _session_page_statements() -> tuple[Select, CompoundSelect]:
    """A session's page as rows, built once (building a statement cost more than running it):
    the session with both names, the report's supervisor, the day the pair's previous session
    was held and the viewer's own private note; its agenda points and its agreed actions."""
    viewer, report, supervisor = bindparam("viewer_id"), aliased(User), aliased(User)
    earlier = aliased(Session)
    previous = (select(func.max(earlier.held_on))
                .where(earlier.supervisor_id == Session.supervisor_id,
                       earlier.report_id == Session.report_id,
                       earlier.status == SessionStatus.HELD,
                       earlier.starts_at < Session.starts_at)
                .correlate(Session).scalar_subquery())
    note = (select(PrivateNote.text)
            .where(PrivateNote.session_id == Session.id, PrivateNote.author_id == viewer)
            .correlate(Session).scalar_subquery())
    session = (select(Session.id, Session.supervisor_id, Session.report_id, Session.starts_at,
                      Session.duration_minutes, Session.status, Session.held_on,
                      Session.missed_reason, Session.shared_notes, Session.version,
                      report.name.label("report_name"),
                      report.supervisor_id.label("report_supervisor_id"),
                      supervisor.name.label("supervisor_name"),
                      previous.label("previous_held_on"), note.label("private_note"))
               .join(report, report.id == Session.report_id)
               .join(supervisor, supervisor.id == Session.supervisor_id)
               .where(Session.deleted_at.is_(None), Session.id == bindparam("id"),
                      or_(Session.supervisor_id == viewer, Session.report_id == viewer)))
    # Points and actions in one read: each row says which it is, the other's columns NULL.
    items = (select(literal("item").label("kind"), AgendaItem.id, AgendaItem.text,
                    AgendaItem.covered, AgendaItem.carried_from_id,
                    User.name.label("author_name"), cast(null(), String).label("owner"),
                    cast(null(), Date).label("due_on"),
                    cast(null(), UTCDateTime()).label("done_at"))
             .join(User, User.id == AgendaItem.author_id)
             .where(AgendaItem.session_id == bindparam("id")))
    actions = (select(literal("action"), AgreedAction.id, AgreedAction.text,
                      cast(null(), Boolean), cast(null(), Integer), cast(null(), String),
                      AgreedAction.owner, AgreedAction.due_on, AgreedAction.done_at)
               .where(AgreedAction.session_id == bindparam("id")))
    return session, union_all(items, actions).order_by(text("kind DESC"), text("id"))


@dataclass(frozen=True)
class SessionPage:
    """A session as its page and its sheet show it: rows, no objects."""

    session: Row
    items: list[Row]
    actions: list[Row]


def session_page(viewer: User, session_id: int) -> SessionPage | None:
    """Return a session of the viewer's as its page shows it, else None (404)."""
    session_read, points_read = _session_page_statements()
    session = db.session.execute(session_read, {"viewer_id": viewer.id,
                                                "id": session_id}).first()
    if session is None:
        return None
    points = db.session.execute(points_read, {"id": session_id}).all()
    return SessionPage(session=session, items=[p for p in points if p.kind == "item"],
                       actions=[p for p in points if p.kind == "action"])
