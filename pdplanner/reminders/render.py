"""Write a reminder's words in its reader's language and time zone, from its parameters."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import organisation
from pdplanner.extensions import db
from pdplanner.reminders.mail import Message


def render_defaults() -> tuple[str, str]:
    """Return the organisation's language and time zone (looked up once per batch)."""
    org = organisation()
    return org.default_language or "en", org.timezone or "UTC"


def language_of(user: User, defaults: tuple[str, str] | None = None) -> str:
    """Return the person's language, else the organisation's."""
    return user.language or (defaults or render_defaults())[0]


def zone_of(user: User, defaults: tuple[str, str] | None = None) -> str:
    """Return the person's time zone, else the organisation's."""
    return user.timezone or (defaults or render_defaults())[1]


def _name(user_id) -> str:
    person = db.session.get(User, user_id) if user_id else None
    return person.name if person else ""


def _when(value: str, lang: str, zone: str) -> str:
    return format_datetime(datetime.fromisoformat(value), "EEEE d MMMM, HH:mm",
                           tzinfo=ZoneInfo(zone), locale=lang)


def _day(value: str, lang: str) -> str:
    return format_date(date.fromisoformat(value), "EEEE d MMMM", locale=lang)


def _names(ids) -> dict[int, str]:
    """Return {id: name} for these people, in one query (none when there is no id)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def subject(kind: str, p: dict, lang: str, zone: str, names: dict[int, str]) -> str:
    """Return a reminder's subject (its notice's line) without building its body: no query,
    the other person's name taken from `names`."""
    name = names.get(p.get("with_id"), "")
    if kind == "activity_upcoming":
        return _("Tomorrow, %(day)s: %(title)s", day=_day(p["day"], lang), title=p["title"])
    if kind == "activity_overdue":
        return _("Did it happen? %(title)s, %(day)s", title=p["title"], day=_day(p["day"], lang))
    if kind == "session_upcoming":
        return _("Supervision session with %(name)s: %(when)s", name=name,
                 when=_when(p["starts_at"], lang, zone))
    if kind == "session_unresolved":
        return _("Was your session with %(name)s held?", name=name)
    if kind == "goal_stale":
        return _("No progress note for %(days)d days: %(title)s", days=p["days"],
                 title=p["title"])
    titles = {"no_goal": _("What would you like to learn?"),
              "supervisor_digest": _("Your week: supervision and learning in your team"),
              "hr_summary": _("Monthly learning summary"),
              "password_reset": _("Reset your pdplanner password")}
    if kind in titles:
        return titles[kind]
    if kind == "share_back":
        return _("Share back what you learned: %(title)s", title=p["title"])
    if kind == "apply_follow_up":
        return _("Did you apply it? %(title)s", title=p["title"])
    if kind == "invitation":
        return _("%(name)s invites you to pdplanner", name=p.get("from") or _("HR"))
    return kind


def _body(kind: str, p: dict, user: User, lang: str, zone: str) -> tuple[list[str], str]:
    """Return a reminder's lines and button label (the agenda and figures are read here)."""
    if kind == "activity_upcoming":
        return ([_("You planned “%(title)s” for %(day)s.", title=p["title"],
                   day=_day(p["day"], lang))], _("See your plan"))
    if kind == "activity_overdue":
        return ([_("“%(title)s” was planned for %(day)s. Did it happen? Record it in one "
                   "step: done, or missed.", title=p["title"], day=_day(p["day"], lang))],
                _("Record what happened"))
    if kind == "session_upcoming":
        return _session_lines(p), _("Open the agenda")
    if kind == "session_unresolved":
        return ([_("The session planned for %(when)s is still open. Record whether it was held "
                   "or missed.", when=_when(p["starts_at"], lang, zone))], _("Open the session"))
    if kind == "goal_stale":
        return ([_("Add a short progress note to “%(title)s”, or pause the goal if it is on "
                   "hold.", title=p["title"])], _("Open the goal"))
    if kind == "no_goal":
        return ([_("You have no active learning goal. Choose something you want to learn — "
                   "from the catalogue or beyond it.")], _("Write a goal"))
    if kind == "supervisor_digest":
        return _digest_lines(user, zone), _("Open My team")
    if kind == "hr_summary":
        return _summary_lines(), _("Open Insights")
    if kind == "share_back":
        return ([_("The share-back of “%(title)s” is due on %(day)s: a session with the team, "
                   "or a written note.", title=p["title"], day=_day(p["day"], lang))],
                _("Record the share-back"))
    if kind == "apply_follow_up":
        return ([_("It is %(days)d days since “%(title)s”. Did you apply what you learned? "
                   "One answer helps the whole team.", days=p["days"], title=p["title"])],
                _("Answer"))
    if kind == "password_reset":
        return [], _("Choose a new password")
    if kind == "invitation":
        return [], _("Choose your password")
    return [], _("Open pdplanner")


def words(kind: str, params: dict, user: User,
          defaults: tuple[str, str] | None = None) -> tuple[str, list[str], str]:
    """Return (subject, lines, button label) for a reminder, in the current locale."""
    defaults = defaults or render_defaults()
    lang, zone = language_of(user, defaults), zone_of(user, defaults)
    with_id = params.get("with_id")
    names = {with_id: _name(with_id)} if with_id else {}
    return (subject(kind, params, lang, zone, names), *_body(kind, params, user, lang, zone))


def _session_lines(p: dict) -> list[str]:
    """Summarise the session's agenda."""
    from pdplanner.supervision.models import Session
    from pdplanner.supervision.queries import agenda

    session = db.session.get(Session, p.get("session_id"))
    if session is None:
        return []
    built = agenda(session)
    lines = [_("On the agenda: %(goals)d goal(s), %(done)d activity(ies) done and %(missed)d "
               "missed since last time, %(points)d point(s) to discuss.",
               goals=len(built.goals), done=sum(o.status == "done" for o in built.outcomes),
               missed=sum(o.status == "missed" for o in built.outcomes),
               points=len(session.items))]
    return lines + [f"• {goal.title}" for goal in built.goals[:5]]


def _digest_lines(user: User, zone: str) -> list[str]:
    """This week's sessions and the reports needing attention."""
    from pdplanner.supervision.queries import team
    from pdplanner.types import today_in

    direct = db.session.scalar(select(func.count()).select_from(User).where(
        User.supervisor_id == user.id, User.active.is_(True)))
    # My team lists direct reports first: a page that long holds every one of them.
    rows, _page = team(user, today_in(zone), 1, max(direct or 0, 1))
    rows = [r for r in rows if r.direct]
    return [_("Reports with dates or sessions to resolve: %(n)d",
              n=sum(1 for r in rows if r.to_resolve)),
            _("Reports without an active goal: %(n)d",
              n=sum(1 for r in rows if "no_goal" in r.flags)),
            _("Reports without a session in 60 days: %(n)d",
              n=sum(1 for r in rows if "no_session" in r.flags))]


def _summary_lines() -> list[str]:
    """Organisation-wide figures for HR (numbers only, never private text)."""
    from pdplanner.learning.models import Goal, Occurrence

    staff = db.session.scalar(select(func.count()).select_from(User).where(
        User.active.is_(True)))
    with_goal = db.session.scalar(select(func.count(func.distinct(Goal.owner_id))).where(
        Goal.status == "active", Goal.deleted_at.is_(None)))
    month_ago = date.today() - timedelta(days=30)
    done, missed = (db.session.scalar(select(func.count()).select_from(Occurrence).where(
        Occurrence.status == status, Occurrence.planned_on >= month_ago))
        for status in ("done", "missed"))
    return [_("Staff with an active goal: %(n)d of %(total)d", n=with_goal, total=staff),
            _("Learning activities in the last 30 days: %(done)d done, %(missed)d missed",
              done=done, missed=missed)]


#: Mails whose link signs someone in: they have their own template, and no page shows them.
SECRET_LINK_KINDS = ("password_reset", "invitation")


def organisation_name() -> str:
    """The organisation's name, for mails that introduce pdplanner."""
    from pdplanner.accounts.queries import organisation

    found = organisation()
    return found.name if found else "pdplanner"


def render_outbox(row, user: User, link: str | None = None,
                  defaults: tuple[str, str] | None = None,
                  organisation: str | None = None) -> Message:
    """Render an outbox row's mail (text and HTML from the same context, both escaped).

    A batch passes `defaults` and the `organisation`'s name, looked up once for all its mails.
    """
    params = json.loads(row.params or "{}")
    base = current_app.config["BASE_URL"].rstrip("/")
    defaults = defaults or render_defaults()
    with force_locale(language_of(user, defaults)):
        subject, lines, action = words(row.kind, params, user, defaults)
        context = {"user": user, "lines": lines, "action": action,
                   "link": base + (link or _default_link(row, params)),
                   "prefs_link": base + "/profile/reminders", "subject": subject,
                   "minutes": current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
                   "days": current_app.config["INVITATION_MAX_AGE"] // 86400,
                   "organisation": organisation or organisation_name()}
        template = row.kind if row.kind in SECRET_LINK_KINDS else "reminder"
        if row.kind in SECRET_LINK_KINDS:
            context["link"] = params["link"]
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
    return Message(to=row.to_address, subject=subject, text=text, html=html,
                   message_id=row.message_id)


def _default_link(row, params: dict) -> str:
    """Where the mail's button leads, from the notification stored with it."""
    from pdplanner.reminders.models import Notification

    link = db.session.scalar(select(Notification.link).where(
        Notification.dedupe_key == row.dedupe_key))
    return link or "/"


def notification_texts(notices, user: User, defaults: tuple[str, str] | None = None
                       ) -> list[str]:
    """Return each notice's line (its mail's subject) in the reader's current language: the
    names they mention read in one query, no body built."""
    defaults = defaults or render_defaults()
    lang, zone = language_of(user, defaults), zone_of(user, defaults)
    params = [json.loads(notice.params or "{}") for notice in notices]
    names = _names(p.get("with_id") for p in params)
    return [subject(notice.kind, p, lang, zone, names)
            for notice, p in zip(notices, params, strict=True)]
