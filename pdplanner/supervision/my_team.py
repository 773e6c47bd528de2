"""My team: one page of the branch below a supervisor with each person's figures.

The page's people are kept per process under the people stamp (supervision/branch_pages.py),
each person's figures under their figures stamp (supervision/kept_figures.py): a later
request reads the page's stamps by id in one statement and recounts only the people whose
stamp moved, in one more (supervision/team_statements.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Row, func, select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import branch
from pdplanner.extensions import db
from pdplanner.paging import Page
from pdplanner.supervision import team_statements as statements
from pdplanner.supervision.branch_pages import Person, branch_pages
from pdplanner.supervision.kept_figures import Figures, kept_figures
from pdplanner.types import utcnow


@dataclass
class TeamRow:
    """One person's figures on My team (shared goals only: private ones stay private)."""

    id: int
    name: str
    #: The person's supervisor's name ("via …" below the direct reports).
    via: str | None
    direct: bool
    depth: int
    active_goals: int = 0
    progress: int = 0
    done: int = 0
    missed: int = 0
    to_resolve: int = 0
    last_held: date | None = None
    next_session: datetime | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def adherence(self) -> int | None:
        """Share of resolved dates that were done, in percent (None with nothing resolved)."""
        total = self.done + self.missed
        return round(100 * self.done / total) if total else None


def _figures(found: Row) -> Figures:
    """Return the figures counted in one row of `walk()` or `recount()`."""
    return Figures(found.active or 0, found.done or 0, found.missed or 0, found.open_dates or 0,
                   found.last_held, found.coming, found.open_sessions or 0)


def _row(person, figures: Figures, today: date) -> TeamRow:
    """Turn one person (id, name, via, depth) and their figures into the row My team shows,
    flags included."""
    row = TeamRow(id=person.id, name=person.name, via=person.via, direct=person.depth == 1,
                  depth=person.depth, active_goals=figures.active, done=figures.done,
                  missed=figures.missed, to_resolve=figures.open_dates + figures.open_sessions,
                  last_held=figures.last_held, next_session=figures.coming)
    if not row.active_goals:
        row.flags.append("no_goal")
    if row.last_held is None or row.last_held < today - timedelta(days=60):
        row.flags.append("no_session")
    return row


def _kept_or_recounted(stamps: dict[int, int], values: dict) -> dict[int, Figures]:
    """Return each person's figures (`stamps`: their figures stamps just read): those kept
    under the same stamp, for the same day, before their next session; the others counted
    in one statement and kept."""
    kept, today, now = kept_figures(), values["today"], values["now"]
    figures = {}
    for person_id, stamp in stamps.items():
        found = kept.get(person_id, today, stamp, now)
        if found is not None:
            figures[person_id] = found
    moved = [person_id for person_id in stamps if person_id not in figures]
    if moved:
        for found in db.session.execute(statements.recount(), {**values, "ids": moved}):
            figures[found.id] = _figures(found)
            kept.put(found.id, today, found.figures_stamp, figures[found.id])
    return figures


def team(viewer: User, today: date, page_number: int, per_page: int) -> tuple[list[TeamRow], Page]:
    """Return one page of My team (direct reports first, then the branch below) with each
    person's figures, in at most two statements whatever the branch's size.

    The page's people (who, named how, at what depth, and the branch's size) are kept per
    process under the people stamp they were read with, each person's figures under their
    figures stamp: the next request reads the stamps, walks the branch again only if the
    people stamp has moved, and recounts only the people whose figures stamp has."""
    values = {"viewer_id": viewer.id, "per_page": per_page,
              "offset": (page_number - 1) * per_page, "since": today - timedelta(days=90),
              "today": today, "now": utcnow()}
    kept_pages = branch_pages()
    key = (viewer.id, page_number, per_page)
    kept = kept_pages.get(key)
    if kept is not None:
        stamp, people, total = kept
        found = db.session.execute(statements.stamps(), {"ids": [p.id for p in people]}).all()
        if len(found) == len(people) and found[0].stamp == stamp:
            figures = _kept_or_recounted({f.id: f.figures_stamp for f in found}, values)
            rows = [_row(person, figures[person.id], today) for person in people]
            return rows, Page(page=page_number, per_page=per_page, total=total, items=rows)
    found = db.session.execute(statements.walk(), values).all()
    if found:
        total = found[0].total
        if found[0].stamp is not None:
            kept_pages.put(found[0].stamp, key, (
                [Person(f.id, f.name, f.via, f.depth) for f in found], total))
    else:  # past the last page (or nobody below): the size still tells the pager
        below = branch(viewer)
        total = db.session.scalar(select(func.count()).select_from(below)
                                  .where(below.c.depth > 0)) if page_number > 1 else 0
    figures = kept_figures()
    rows = []
    for person in found:
        rows.append(_row(person, _figures(person), today))
        figures.put(person.id, today, person.figures_stamp, _figures(person))
    return rows, Page(page=page_number, per_page=per_page, total=total, items=rows)


#: Sessions to resolve shown on My team (the oldest); the rest are on their own page.
RESOLVE_SHOWN = 10
#: Sessions to resolve a page on that page.
RESOLVE_PER_PAGE = 25


def sessions_to_resolve(supervisor: User, page_number: int = 1,
                        per_page: int = RESOLVE_SHOWN) -> Page:
    """Return one page of the supervisor's past sessions still open (held or missed?) as
    (id, starts_at, name) rows, oldest first, with how many there are."""
    found = db.session.execute(statements.to_resolve(), {
        "viewer_id": supervisor.id, "now": utcnow(), "per_page": per_page,
        "offset": (page_number - 1) * per_page}).all()
    total = found[0].total if found else 0
    if not found and page_number > 1:  # past the end: the pager still needs the size
        total = sessions_to_resolve(supervisor, 1, 1).total
    return Page(page=page_number, per_page=per_page, total=total, items=found)
