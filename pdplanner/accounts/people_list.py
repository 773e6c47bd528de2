"""HR's people list: one page of people with their team, level and supervisor by name and
the list's size, read in one statement built once per filter shape (values bound per call)."""

from __future__ import annotations

from functools import cache, lru_cache

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import BigInteger, Integer, Select, String, bindparam, func, or_, select
from sqlalchemy.orm import aliased

from pdplanner.accounts import policy
from pdplanner.accounts.models import Level, Team, User
from pdplanner.accounts.queries import in_language
from pdplanner.extensions import db
from pdplanner.navigation import url_for
from pdplanner.paging import Page
from pdplanner.select_html import options


def _filters(everyone: bool, text: bool, team: bool, level: bool, status: str) -> list:
    """The list's conditions as bound parameters: who may be seen, text, team, level, status."""
    found = [] if everyone else [User.id == bindparam("viewer_id", type_=Integer)]
    if text:
        like = bindparam("like", type_=String)
        found.append(or_(func.lower(User.name).like(like), func.lower(User.email).like(like)))
    if team:
        found.append(User.team_id == bindparam("team_id", type_=Integer))
    if level:
        found.append(User.level_id == bindparam("level_id", type_=Integer))
    if status in ("active", "inactive"):
        found.append(User.active.is_(status == "active"))
    return found


@cache
def _statements(everyone: bool, text: bool, team: bool, level: bool, status: str,
                language: str) -> tuple[Select, Select]:
    """The page's statement and the size's alone, for one shape of filters (built once:
    building them cost more than running them)."""
    where = _filters(everyone, text, team, level, status)
    sort_name = User.sort_name
    # The size as a subquery, not count() OVER (): a window keeps every matching row, where
    # LIMIT lets the database keep only the page's while it sorts.
    total = select(func.count()).select_from(User).where(*where).scalar_subquery()
    shown = (select(User.id, User.name, User.email, User.phone, User.active, User.is_hr,
                    User.is_admin, User.team_id, User.level_id, User.supervisor_id,
                    sort_name.label("sort_name"))
             .where(*where).order_by(sort_name, User.id)
             .limit(bindparam("per_page", type_=Integer))
             .offset(bindparam("offset", type_=BigInteger)).cte("people_page"))
    boss = aliased(User)
    page = (select(shown.c.id, shown.c.name, shown.c.email, shown.c.phone, shown.c.active,
                   shown.c.is_hr, shown.c.is_admin, total.label("total"),
                   in_language(Team.name, Team.name_fr, language).label("team"),
                   in_language(Level.name, Level.name_fr, language).label("level"),
                   boss.name.label("supervisor"))
            .select_from(shown).outerjoin(Team, Team.id == shown.c.team_id)
            .outerjoin(Level, Level.id == shown.c.level_id)
            .outerjoin(boss, boss.id == shown.c.supervisor_id)
            .order_by(shown.c.sort_name, shown.c.id))
    return page, select(total)


def people_page(viewer: User, q: str = "", team_id: int | None = None,
                level_id: int | None = None, status: str = "active", *, language: str = "en",
                page: int = 1, per_page: int = 25) -> Page:
    """Return one page of the people `viewer` may see, filtered by text, team, level and
    status, by name: each row the columns the list shows (team, level and supervisor by
    name) and the list's size, in one statement (no entities, no separate count)."""
    everyone = policy.is_hr(viewer)
    statement, size_only = _statements(
        everyone, bool(q), bool(team_id), bool(level_id),
        status if status in ("active", "inactive") else "all",
        "fr" if language == "fr" else "en")
    values = {"viewer_id": viewer.id, "like": f"%{q.strip().lower()}%", "team_id": team_id,
              "level_id": level_id, "per_page": per_page, "offset": (page - 1) * per_page}
    rows = db.session.execute(statement, values).all()
    if rows:
        size = rows[0].total
    else:  # past the last page (or nobody matches): the size still tells the pager
        size = db.session.scalar(size_only, values) if page > 1 else 0
    return Page(page=page, per_page=per_page, total=size, items=rows)


def rows_html(items) -> Markup:
    """The list's rows as one string, its words translated once (as a template loop each row
    costs a dozen calls per cell): the table's body between its blank lines."""
    # literal _() calls, so that pybabel extract finds every word
    l_team, l_level, l_supervisor, l_status = map(escape, (
        _("Team or site"), _("Level"), _("Supervisor"), _("Status")))
    active, deactivated, admin, hr = map(escape, (
        _("Active"), _("Deactivated"), _("Admin"), _("HR")))
    person_url = url_for("accounts.person", person_id=0)[:-1]
    out = []
    for p in items:
        role = f" · {admin}" if p.is_admin else f" · {hr}" if p.is_hr else ""
        out.append(
            f'\n  <tr>\n    <td><a href="{person_url}{p.id}">{escape(p.name)}</a><br>'
            f'<span class="muted small">{escape(p.email or p.phone)}</span></td>\n'
            f'    <td data-label="{l_team}">{escape(p.team or "")}</td>\n'
            f'    <td data-label="{l_level}">{escape(p.level or "")}</td>\n'
            f'    <td data-label="{l_supervisor}">{escape(p.supervisor or "")}</td>\n'
            f'    <td data-label="{l_status}">{active if p.active else deactivated}{role}</td>\n'
            '  </tr>\n  ')
    return Markup("".join(out))  # noqa: S704 (every value above escaped)


@lru_cache(maxsize=64)
def filter_options(pairs: tuple[tuple[int, str], ...], selected: int | None) -> Markup:
    """A filter's <option>s (`select_html.options`), written once per list of choices and choice:
    hundreds of teams cost a thousand escapes each time otherwise."""
    return options(pairs, selected)
