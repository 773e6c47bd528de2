"""The authorization matrix: every route × every kind of person gets what the policy says."""

import pytest

from pdplanner.accounts import policy
from pdplanner.accounts.models import Level, Team
from pdplanner.catalog.models import Alignment
from pdplanner.extensions import db
from pdplanner.identity.services import make_reset_token

PERSONAS = ["anonymous", "owner", "other_employee", "supervisor", "other_supervisor",
            "hr", "admin"]
SIGNED_IN = PERSONAS[1:]
STAFF = ["owner", "other_employee", "supervisor", "other_supervisor"]

#: What each rule means for a GET, written independently of the policy module.
GET_STATUS = {
    policy.PUBLIC: dict.fromkeys(PERSONAS, 200),
    policy.SIGNED_OUT: {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)},
    policy.SIGNED_IN: {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 200)},
    policy.HR: {"anonymous": 302, **dict.fromkeys(STAFF, 403), "hr": 200, "admin": 200},
    policy.ADMIN: {"anonymous": 302, **dict.fromkeys(STAFF + ["hr"], 403), "admin": 200},
}
#: POST-only routes answer with a redirect when allowed.
POST_STATUS = {
    policy.PUBLIC: dict.fromkeys(PERSONAS, 302),
    policy.SIGNED_IN: dict.fromkeys(PERSONAS, 302),
    policy.HR: {"anonymous": 302, **dict.fromkeys(STAFF, 403), "hr": 302, "admin": 302},
    policy.ADMIN: {"anonymous": 302, **dict.fromkeys(STAFF + ["hr"], 403), "admin": 302},
}
def _persons(anonymous=302, owner=200, other_employee=404, supervisor=404,
             other_supervisor=404, hr=404, admin=404) -> dict:
    """Spell out one row of the object-level table."""
    return {"anonymous": anonymous, "owner": owner, "other_employee": other_employee,
            "supervisor": supervisor, "other_supervisor": other_supervisor, "hr": hr,
            "admin": admin}


#: The owner's shared goal: the supervisor and HR read it; strangers get 404.
READ = _persons(supervisor=200, hr=200, admin=200)
#: Only the owner changes it; those who may read it get 403, strangers 404.
WRITE_GET = _persons(supervisor=403, hr=403, admin=403)
WRITE_POST = _persons(owner=302, supervisor=403, hr=403, admin=403)
#: Routes whose answer differs from their rule's default, and why.
OVERRIDES = {
    # A reset link signs out whoever holds it, then offers the form.
    ("identity.reset_password", "GET"): dict.fromkeys(PERSONAS, 200),
    # So does an invitation's link.
    ("identity.welcome", "GET"): dict.fromkeys(PERSONAS, 200),
    ("learning.goal", "GET"): READ,
    ("learning.goal_edit", "GET"): WRITE_GET,
    ("learning.goal_status", "POST"): WRITE_POST,
    ("learning.goal_delete", "POST"): WRITE_POST,
    # Only the owner's supervisor agrees; the owner cannot agree with themselves.
    ("learning.goal_agree", "POST"): _persons(owner=403, supervisor=302, hr=403, admin=403),
    # An empty check-in form is refused with 422 for the owner.
    ("learning.goal_checkin", "POST"): _persons(owner=422, supervisor=403, hr=403, admin=403),
    # The owner and their supervisor comment (an empty comment is refused with 422); HR only
    # reads.
    ("learning.goal_comment", "POST"): _persons(owner=422, supervisor=422, hr=403, admin=403),
    ("learning.activity_new", "GET"): WRITE_GET,
    ("learning.activity_edit", "GET"): WRITE_GET,
    ("learning.activity_delete", "POST"): WRITE_POST,
    ("learning.occurrence", "GET"): WRITE_GET,
    ("learning.occurrence_quick", "POST"): WRITE_POST,
    ("learning.occurrence_reschedule", "POST"): _persons(owner=422, supervisor=403, hr=403,
                                                         admin=403),
    ("learning.reflection", "GET"): WRITE_GET,
    # A device's queued action: a form post without its JSON body is a 400 for anyone signed in.
    ("learning.offline_action", "POST"): _persons(owner=400, supervisor=400, hr=400, admin=400,
                                                  other_employee=400, other_supervisor=400),
    # Only the direct supervisor opens a report's page or suggests to them.
    ("learning.report", "GET"): _persons(owner=404, supervisor=200),
    ("learning.suggest", "GET"): _persons(owner=404, supervisor=200),
    # A suggestion waits for its owner; the supervisor and HR can read but not answer.
    ("learning.suggestion_accept", "POST"): WRITE_POST,
    ("learning.suggestion_decline", "GET"): WRITE_GET,
    # Supervision: the two people of the session; only the supervisor leads it.
    ("supervision.schedule", "GET"): _persons(owner=404, supervisor=200),
    ("supervision.session_new", "GET"): _persons(owner=404, supervisor=200),
    ("supervision.history", "GET"): _persons(owner=404, supervisor=200),
    ("supervision.session", "GET"): _persons(owner=200, supervisor=200),
    ("supervision.session_print", "GET"): _persons(owner=200, supervisor=200),
    ("supervision.item_add", "POST"): _persons(owner=422, supervisor=422),
    ("supervision.item_toggle", "POST"): _persons(owner=302, supervisor=302),
    ("supervision.review", "POST"): _persons(owner=403, supervisor=302),
    ("supervision.action_add", "POST"): _persons(owner=403, supervisor=422),
    ("supervision.action_toggle", "POST"): _persons(owner=403, supervisor=302),
    # A notes form without its version is a stale save.
    ("supervision.notes", "POST"): _persons(owner=403, supervisor=409),
    ("supervision.held", "POST"): _persons(owner=403, supervisor=422),
    ("supervision.missed", "POST"): _persons(owner=403, supervisor=422),
    ("supervision.move", "GET"): _persons(owner=403, supervisor=200),
    ("supervision.cancel", "POST"): _persons(owner=403, supervisor=302),
    # A notification is its reader's alone.
    ("reminders.notification_open", "POST"): _persons(owner=302),
    # So is a text's short link to it.
    ("reminders.short_link", "GET"): _persons(owner=302),
    # No SMS provider in the test app: the webhook does not exist (signed calls: test_sms_*).
    ("reminders.sms_webhook", "POST"): dict.fromkeys(PERSONAS, 404),
    # A dashboard for HR (the organisation) and supervisors (their branch) only.
    ("insights.dashboard", "GET"): _persons(owner=403, other_employee=403, supervisor=200,
                                            other_supervisor=200, hr=200, admin=200),
    ("insights.people", "GET"): _persons(owner=403, other_employee=403, supervisor=200,
                                         other_supervisor=200, hr=200, admin=200),
    ("insights.export", "GET"): _persons(owner=403, other_employee=403, supervisor=200,
                                         other_supervisor=200, hr=200, admin=200),
    ("insights.refresh", "POST"): _persons(owner=403, other_employee=403, supervisor=302,
                                           other_supervisor=302, hr=302, admin=302),
    # An empty skill area is refused with 422 (HR's catalogue page, the name's fields).
    ("catalog.area_new", "POST"): {"anonymous": 302, **dict.fromkeys(STAFF, 403), "hr": 422,
                                   "admin": 422},
    # An exchange is edited by its creator (here the owner), its participants and HR.
    ("exchanges.exchange_edit", "GET"): _persons(owner=200, other_employee=403, supervisor=403,
                                                 other_supervisor=403, hr=200, admin=200),
}


@pytest.fixture
def world(app, make_user):
    """Create the people of the matrix and one of each object; return ids by name."""
    supervisor = make_user("boss@example.org", "Boss")
    other_supervisor = make_user("otherboss@example.org", "Other boss")
    owner = make_user("owner@example.org", "Owner", supervisor_id=supervisor.id)
    other = make_user("other@example.org", "Other", supervisor_id=other_supervisor.id)
    hr = make_user("hr@example.org", "HR", is_hr=True)
    admin = make_user("admin@example.org", "Admin", is_admin=True)
    # The person HR pages act on (deactivate, edit), so the personas keep their accounts.
    subject = make_user("subject@example.org", "Subject", supervisor_id=supervisor.id)
    # Holds a reset link nobody else's actions invalidate.
    forgetful = make_user("forgetful@example.org", "Forgetful")
    with app.app_context():
        team, level = Team(name="QI", kind="team"), Level(name="Field staff", rank=0)
        level2 = Level(name="Director", rank=1)
        item = Alignment(kind="value", name_en="Quality", name_fr="Qualité")
        db.session.add_all([team, level, level2, item])
        db.session.commit()
        with app.test_request_context():
            from pdplanner.accounts.models import User

            token = make_reset_token(db.session.get(User, forgetful.id))
            invitation = make_reset_token(db.session.get(User, forgetful.id), "invite")
        ids = {"team_id": team.id, "level_id": level.id, "item_id": item.id,
               **_learning_objects(owner.id, supervisor.id)}
    emails = {"owner": owner.email, "other_employee": other.email,
              "supervisor": supervisor.email, "other_supervisor": other_supervisor.email,
              "hr": hr.email, "admin": admin.email}
    ids.update(person_id=subject.id, direction="down", filename="app.css", name="teams",
               action="pause", outcome="done")
    params = {
        "catalog.proposal": {"skill_id": ids["topic_id"]},
        "learning.report": {"person_id": owner.id},
        "learning.suggest": {"person_id": owner.id},
        "learning.suggestion_accept": {"goal_id": ids["suggested_ids"][0]},
        "learning.suggestion_decline": {"goal_id": ids["suggested_ids"][1]},
        "learning.goal_delete": {"action": "restore"},
        "supervision.schedule": {"person_id": owner.id},
        "identity.reset_password": {"token": token},
        "identity.welcome": {"token": invitation},
        "supervision.session_new": {"person_id": owner.id},
        "supervision.history": {"person_id": owner.id},
        "learning.activity_delete": {"action": "restore"},
    }
    return {"ids": ids, "params": params, "emails": emails}


def _learning_objects(owner_id: int, supervisor_id: int) -> dict:
    """Create the owner's shared goal with a plan, a skill, a topic and two suggestions."""
    from datetime import date, timedelta

    from pdplanner.catalog.models import Skill, SkillArea
    from pdplanner.learning.models import Activity, Goal, Occurrence

    area = SkillArea(name_en="QI", name_fr="AQ")
    skill = Skill(name_en="Coaching", name_fr="Coaching", status="catalogue", area=area)
    topic = Skill(name_en="Drone mapping", name_fr="Drone mapping", status="proposed",
                  proposed_by_id=owner_id)
    goal = Goal(owner_id=owner_id, title="Lead QI meetings", status="active",
                visibility="shared")
    activity = Activity(goal=goal, kind="peer_learning", title="Peer session",
                        starts_on=date.today() - timedelta(days=3))
    occurrence = Occurrence(activity=activity, planned_on=activity.starts_on)
    suggested = [Goal(owner_id=owner_id, title=f"Suggested {n}", status="suggested",
                      chosen_by="suggested", suggested_by_id=supervisor_id,
                      visibility="shared") for n in (1, 2)]
    from datetime import UTC, datetime

    from pdplanner.reminders.models import Notification, OutboxMessage
    from pdplanner.reminders.services import new_feed
    from pdplanner.supervision.models import AgendaItem, AgreedAction, Session

    session = Session(supervisor_id=supervisor_id, report_id=owner_id,
                      starts_at=datetime.now(UTC) + timedelta(days=2))
    item = AgendaItem(session=session, author_id=owner_id, text="A point")
    task = AgreedAction(session=session, text="Send the guide", owner="supervisor")
    from pdplanner.exchanges.models import Exchange, Lesson

    exchange = Exchange(title="Visit", kind="visit_to", starts_on=date.today(),
                        ends_on=date.today(), created_by_id=owner_id,
                        share_back_due_on=date.today() + timedelta(days=14))
    lesson = Lesson(exchange=exchange, author_id=owner_id, title="A lesson", idea="Try it")
    db.session.add_all([exchange, lesson])
    notice = Notification(dedupe_key="k1", user_id=owner_id, kind="no_goal", link="/goals")
    mail = OutboxMessage(dedupe_key="k1", kind="no_goal", user_id=owner_id,
                         to_address="owner@example.org", message_id="<k1@pdplanner>")
    db.session.add_all([area, skill, topic, goal, activity, occurrence, *suggested, session,
                        item, task, notice, mail])
    db.session.commit()
    from pdplanner.accounts.models import User

    token = new_feed(db.session.get(User, owner_id))
    return {"session_id": session.id, "item_id": item.id, "action_id": task.id,
            "notification_id": notice.id, "message_id": mail.id, "token": token,
            "exchange_id": exchange.id, "lesson_id": lesson.id,
            "skill_id": skill.id, "area_id": area.id, "topic_id": topic.id,
            "goal_id": goal.id, "activity_id": activity.id, "occurrence_id": occurrence.id,
            "suggested_ids": [g.id for g in suggested]}


def _fill(template: str, ids: dict) -> str:
    """Replace <converter:name> parts with sample values."""
    import re

    return re.sub(r"<(?:[^:<>]+:)?([a-z_]+)>", lambda m: str(ids[m.group(1)]), template)


def _rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint)


def test_every_route_has_a_policy(app):
    """A route missing from policy.ROUTES fails here (and is refused at run time)."""
    missing = {r.endpoint for r in app.url_map.iter_rules()} - set(policy.ROUTES)
    assert not missing, f"add these endpoints to accounts/policy.py ROUTES: {missing}"


def test_policy_table_has_no_stale_entries(app):
    """Every policy entry still names a real endpoint."""
    stale = set(policy.ROUTES) - {r.endpoint for r in app.url_map.iter_rules()}
    assert not stale


def test_unlisted_endpoint_is_refused(app, client):
    """Fail closed: a route added without a policy answers 403."""
    app.add_url_rule("/sneaky", "sneaky", lambda: "secret")
    assert client.get("/sneaky").status_code == 403


def test_authorization_matrix(app, make_client, world):
    """Each route answers each persona as the policy table says."""
    failures = []
    for rule in _rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        table = GET_STATUS if method == "GET" else POST_STATUS
        expected = OVERRIDES.get((rule.endpoint, method)) or table[policy.ROUTES[rule.endpoint]]
        url = _fill(rule.rule, {**world["ids"], **world["params"].get(rule.endpoint, {})})
        for persona in PERSONAS:
            client = make_client()
            if persona != "anonymous":
                assert client.login(world["emails"][persona]).status_code == 302
            response = client.get(url) if method == "GET" else client.post_form(url)
            status = response.status_code
            response.close()  # static files stream from an open file
            if status != expected[persona]:
                failures.append(f"{method} {url} as {persona}: {status} != {expected[persona]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("url", ["/people/999999", "/settings/teams/999999",
                                 "/settings/levels/999999", "/catalog/values/999999"])
def test_missing_objects_are_404_for_hr(client, world, url):
    """An object that does not exist answers 404."""
    client.login(world["emails"]["hr"])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in_with_next(client):
    """Anonymous visitors of a protected page are sent to sign in, then back."""
    response = client.get("/profile")
    assert response.headers["Location"] == "/auth/login?next=%2Fprofile"


def test_extra_form_fields_cannot_grant_roles(app, client, world):
    """HR cannot make someone admin by adding fields to the person form."""
    from pdplanner.accounts.models import User

    client.login(world["emails"]["hr"])
    person_id = world["ids"]["person_id"]
    client.post_form(f"/people/{person_id}", {
        "name": "Subject", "email": "subject@example.org", "version": "1",
        "is_admin": "y", "is_hr": "y", "role": "admin", "active": "0"})
    with app.app_context():
        person = db.session.get(User, person_id)
        assert not person.is_admin and not person.is_hr and person.active


def test_hr_cannot_edit_an_admin(app, client, world):
    """HR manages people but not administrators' records."""
    client.login(world["emails"]["hr"])
    with app.app_context():
        from pdplanner.accounts.models import User

        admin = db.session.scalar(db.select(User).filter_by(email="admin@example.org"))
        admin_id, version = admin.id, admin.version
    response = client.post_form(f"/people/{admin_id}", {
        "name": "Renamed", "email": "admin@example.org", "version": str(version)})
    assert response.status_code == 403
