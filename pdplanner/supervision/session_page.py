"""A session's page and its sheet, read as rows in three statements (the agenda in
`queries`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Row, Select, bindparam, func, or_, select
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


@cache
def _session_page_statements() -> tuple[Select, Select, Select]:
    """A session's page as rows, built once (building a statement cost more than running it):
    the session with both names, the report's supervisor, the day the pair's previous session
    was held and the viewer's own private note; its agenda points; its agreed actions."""
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
    items = (select(AgendaItem.id, AgendaItem.text, AgendaItem.covered,
                    AgendaItem.carried_from_id, User.name.label("author_name"))
             .join(User, User.id == AgendaItem.author_id)
             .where(AgendaItem.session_id == bindparam("id")).order_by(AgendaItem.id))
    actions = (select(AgreedAction.id, AgreedAction.text, AgreedAction.owner,
                      AgreedAction.due_on, AgreedAction.done_at)
               .where(AgreedAction.session_id == bindparam("id")).order_by(AgreedAction.id))
    return session, items, actions


@dataclass(frozen=True)
class SessionPage:
    """A session as its page and its sheet show it: rows, no objects."""

    session: Row
    items: list[Row]
    actions: list[Row]


def session_page(viewer: User, session_id: int) -> SessionPage | None:
    """Return a session of the viewer's as its page shows it, else None (404)."""
    session_read, items_read, actions_read = _session_page_statements()
    session = db.session.execute(session_read, {"viewer_id": viewer.id,
                                                "id": session_id}).first()
    if session is None:
        return None
    return SessionPage(session=session,
                       items=db.session.execute(items_read, {"id": session_id}).all(),
                       actions=db.session.execute(actions_read, {"id": session_id}).all())
