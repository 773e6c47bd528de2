"""Read-only queries about people, teams and levels."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from flask import g, has_app_context
from sqlalchemy import CTE, Row, Select, bindparam, func, literal, select
from sqlalchemy.orm import joinedload, lazyload, load_only, selectinload

from pdplanner.accounts import policy
from pdplanner.accounts.models import Level, Organisation, Team, User
from pdplanner.extensions import db

#: Other rooms' reads shown on a person's page, by template name (learning adds "goals").
PERSON_PAGE: dict[str, Callable[[User, User], object]] = {}


def add_to_person_page(name: str, read: Callable[[User, User], object]) -> None:
    """Show `read(viewer, person)` on HR's page of a person as `name` (idempotent)."""
    PERSON_PAGE[name] = read


def person_page_extras(viewer: User, person: User) -> dict[str, object]:
    """Return what other rooms show on a person's page, by template name."""
    return {name: read(viewer, person) for name, read in PERSON_PAGE.items()}


def the_organisation_id():
    """Return a subquery of the organisation's id (there is one organisation)."""
    return select(Organisation.id).order_by(Organisation.id).limit(1).scalar_subquery()


def remember_organisation(org: Organisation) -> None:
    """Keep the organisation for the rest of the request (a row already read)."""
    if has_app_context():
        g.organisation_id = org.id
        g.organisation_row = org  # the session only holds rows weakly: keep this one alive


def organisation() -> Organisation:
    """Return the organisation row, creating defaults in memory if none exists yet.

    It is remembered for the rest of the request, so later calls find the row in the
    session (no query) or reload it by primary key after a commit.
    """
    known = g.get("organisation_id") if has_app_context() else None
    org = db.session.get(Organisation, known) if known is not None else None
    if org is None:
        org = db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
        if org is not None:
            remember_organisation(org)
    return org if org is not None else Organisation(name="pdplanner", default_language="en",
                                                   timezone="Africa/Bamako",
                                                   default_cadence="monthly")


#: Deeper than any organisation chart: stops the recursion should supervisors form a loop.
MAX_DEPTH = 40


def branch(viewer: User) -> CTE:
    """Return a recursive CTE (id, depth) of the viewer (depth 0) and every active person
    below them, at any depth: one statement for a branch of any size."""
    top = (select(User.id, literal(0).label("depth")).where(User.id == viewer.id)
           .cte("branch", recursive=True))
    below = (select(User.id, top.c.depth + 1).join(top, User.supervisor_id == top.c.id)
             .where(User.active.is_(True), top.c.depth < MAX_DEPTH))
    return top.union(below)  # UNION, not UNION ALL: a loop adds no row twice at one depth


@cache
def _person(hr: bool) -> Select:
    """A person by id, with their supervisor's name and e-mail only (their own team and
    level, and the supervisor's, load if asked: the record shows ids), for HR or for the
    person themself; built once per kind of viewer."""
    query = (select(User).where(User.id == bindparam("person_id"))
             .options(lazyload(User.team), lazyload(User.level),
                      joinedload(User.supervisor).options(load_only(User.name, User.email),
                                                          lazyload("*"))))
    return query if hr else query.where(User.id == bindparam("viewer_id"))


def person_for(viewer: User, person_id: int) -> User | None:
    """Return the person with this id if `viewer` may see them (HR and admins see
    everyone, anyone else only themself), else None."""
    return db.session.scalar(_person(policy.is_hr(viewer)),
                             {"person_id": person_id, "viewer_id": viewer.id})


def in_language(name, name_fr, language: str):
    """A team's or level's name in `language`, as `name_for` gives it (English if empty)."""
    return func.coalesce(func.nullif(name_fr, ""), name) if language == "fr" else name


def teams(include_archived: bool = False, language: str = "en") -> list[Row]:
    """Return teams and sites, teams first, by name, as rows (id, name in `language`, kind,
    is_partner, archived)."""
    query = (select(Team.id, in_language(Team.name, Team.name_fr, language).label("name"),
                    Team.kind, Team.is_partner, Team.archived).order_by(Team.kind, Team.name))
    if not include_archived:
        query = query.where(Team.archived.is_(False))
    return db.session.execute(query).all()


def team_names(language: str) -> list[tuple[int, str]]:
    """Return (id, name in `language`) of active teams and sites, teams first, by name: the
    options of a team list, read as plain rows (hundreds of teams, no objects built)."""
    rows = db.session.execute(select(Team.id, Team.name, Team.name_fr)
                              .where(Team.archived.is_(False)).order_by(Team.kind, Team.name))
    return [(team_id, (name_fr if language == "fr" else name) or name)
            for team_id, name, name_fr in rows]


def level_names(language: str) -> list[tuple[int, str]]:
    """Return (id, name in `language`) of job levels from the most senior down, as rows."""
    rows = db.session.execute(select(Level.id, Level.name, Level.name_fr)
                              .order_by(Level.rank, Level.id))
    return [(level_id, (name_fr if language == "fr" else name) or name)
            for level_id, name, name_fr in rows]


def levels() -> list[Level]:
    """Return job levels from the most senior down."""
    return list(db.session.scalars(select(Level).order_by(Level.rank, Level.id)))


def direct_reports(supervisor: User) -> list[User]:
    """Return the supervisor's active direct reports by name, with their levels."""
    return list(db.session.scalars(select(User).where(
        User.supervisor_id == supervisor.id, User.active.is_(True))
        .options(selectinload(User.level)).order_by(User.name)))


def active_people() -> list[Row]:
    """Return every active person by name as (id, name, email, phone) rows (for supervisor
    choices: a list of a few hundred people needs no whole accounts)."""
    query = (select(User.id, User.name, User.email, User.phone)
             .where(User.active.is_(True)).order_by(func.lower(User.name)))
    return list(db.session.execute(query))


def more_active_people_than(limit: int) -> bool:
    """Tell whether more than `limit` people are active, reading at most limit + 1 ids."""
    query = select(User.id).where(User.active.is_(True)).order_by(None).offset(limit).limit(1)
    return db.session.scalar(query) is not None


def timezone_of(person: User) -> str:
    """Return the person's time zone, else the organisation's."""
    return person.timezone or organisation().timezone or "UTC"


def today_for(person: User):
    """Return today's date where the person lives."""
    from pdplanner.types import today_in

    return today_in(timezone_of(person))


def user(user_id: int | None) -> User | None:
    """Return a person by id, whoever may see them (callers check)."""
    return db.session.get(User, user_id) if user_id is not None else None


def team_by_id(team_id: int) -> Team | None:
    """Return a team or site by id."""
    return db.session.get(Team, team_id)


def level_by_id(level_id: int) -> Level | None:
    """Return a job level by id."""
    return db.session.get(Level, level_id)


def normal_email(email: str | None) -> str:
    """Return an e-mail address as it is compared: trimmed, lower case."""
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    """Return the person with this e-mail (case-insensitive), if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normal_email(email)))
