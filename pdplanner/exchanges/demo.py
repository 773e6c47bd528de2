"""Seed the demo's exchanges: partners, lessons, share-backs (one overdue), an adopted lesson."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pdplanner.accounts import demo_data as people
from pdplanner.accounts.models import Team, User
from pdplanner.accounts.queries import organisation
from pdplanner.exchanges import search
from pdplanner.exchanges.models import Adoption, Exchange, Lesson, Participant, Partner
from pdplanner.extensions import db
from pdplanner.learning.models import Goal, GoalStatus
from pdplanner.types import today_in

PARTNERS = ["Wild4Life Health", "The Ihangane Project", "Santé Plus"]

#: (title, kind, days ago it ended, share-back done?, creator, staff, externals, partners,
#:  lessons as (title, worked, avoid, idea, team))
EXCHANGES = [
    ("CHMI learning exchange on quality improvement", "visit_to", 40, True, "moussa.traore",
     ["awa.konate"], [("Tara", "Wild4Life Health")], [0, 1],
     [("Peer coaching between health centres", "Pairing a strong and a struggling centre "
       "improved scores within three months.", "Scoring centres publicly before trust "
       "exists.", "Pair Sabalibougou with Banconi for monthly peer visits.",
       "CSCom Sabalibougou"),
      ("Sécurité des patients : les réunions éclair", "Une réunion de 10 minutes chaque "
       "matin réduit les erreurs.", "Les réunions trop longues.", "Essayer une réunion "
       "éclair quotidienne au CSCom.", "CSCom Banconi")]),
    ("QI meeting of partner health centres", "qi_meeting", 20, False, "claire.martin",
     ["tara.johnson", "djeneba.kone"], [("Mme Keita", "Santé Plus")], [2],
     [("Data walls in the waiting room", "Showing monthly indicators to patients and staff "
       "kept everyone focused.", "", "Put a data wall in each partner centre.",
       "CSCom Banconi")]),
    ("Internal peer session on supervision", "peer_session", 5, False, "aminata.diallo",
     ["fatoumata.coulibaly"], [], [],
     [("Agenda first, then the visit", "Sending the agenda the day before made supervision "
       "shorter and more useful.", "", "", "Direction and operations")]),
]


def _person(local: str) -> User:
    return db.session.scalar(select(User).where(
        User.email == f"{local}@{people.EMAIL_DOMAIN}"))


def seed_exchanges() -> None:
    """Create the demo's exchanges once (no commit)."""
    today = today_in(organisation().timezone)
    partners = []
    for name in PARTNERS:
        partner = db.session.scalar(select(Partner).where(Partner.folded_name == search.fold(name)))
        if partner is None:
            partner = Partner(name=name, folded_name=search.fold(name))
            db.session.add(partner)
        partners.append(partner)
    for title, kind, ago, shared, creator, staff, externals, partner_idx, lessons in EXCHANGES:
        if db.session.scalar(select(Exchange).where(Exchange.title == title)):
            continue
        ends = today - timedelta(days=ago)
        author = _person(creator)
        exchange = Exchange(title=title, kind=kind, starts_on=ends - timedelta(days=1),
                            ends_on=ends, created_by_id=author.id,
                            share_back_due_on=ends + timedelta(days=14),
                            partners=[partners[i] for i in partner_idx])
        if shared:
            exchange.share_back_done_on, exchange.share_back_kind = ends + timedelta(days=7), \
                "session"
            exchange.share_back_attendees = "The whole QI team"
        exchange.participants = [Participant(user_id=_person(p).id) for p in [creator, *staff]]
        exchange.participants += [Participant(external_name=n, external_org=o)
                                  for n, o in externals]
        db.session.add(exchange)
        for l_title, worked, avoid, idea, team in lessons:
            team_id = db.session.scalar(select(Team.id).where(Team.name == team))
            lesson = Lesson(exchange=exchange, author_id=author.id, title=l_title,
                            what_worked=worked, what_to_avoid=avoid, idea=idea, programme="QI",
                            team_id=team_id, tags="qi")
            lesson.search_text = search.fold(" ".join([l_title, worked, avoid, idea, "QI qi"]))
            db.session.add(lesson)
            db.session.flush()
            search.index(lesson)
    db.session.flush()
    first = db.session.scalar(select(Lesson).order_by(Lesson.id))
    adopter = _person("kadiatou.diarra")
    if first and not db.session.scalar(select(Adoption)):
        goal = Goal(owner_id=adopter.id, title=first.idea[:200], status=GoalStatus.ACTIVE,
                    visibility="shared", why="Adopted from a lesson of the CHMI exchange.")
        db.session.add(goal)
        db.session.flush()
        db.session.add(Adoption(lesson_id=first.id, user_id=adopter.id, goal_id=goal.id))
    db.session.flush()
