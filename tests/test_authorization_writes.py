"""Every write route × every kind of person: the answer the policy gives, extra fields inert."""

import pytest
from sqlalchemy import select

from pdplanner.accounts import policy
from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.learning.models import Goal
from tests import test_authorization as matrix
from tests.test_authorization import PERSONAS, _fill, _rules

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: What a write answers, by kind: sent to sign in, refused (403), hidden (404), or let
#: through to the form (a redirect elsewhere, the form again, 409, 422).
LOGIN, REFUSED, HIDDEN, ALLOWED = "login", "refused", "hidden", "allowed"
STAFF = ["owner", "other_employee", "supervisor", "other_supervisor"]

#: Each route rule's answer, written independently of the policy module.
BY_RULE = {
    policy.PUBLIC: dict.fromkeys(PERSONAS, ALLOWED),
    policy.SIGNED_OUT: dict.fromkeys(PERSONAS, ALLOWED),  # signed-in people are sent home
    policy.SIGNED_IN: {"anonymous": LOGIN, **dict.fromkeys(PERSONAS[1:], ALLOWED)},
    policy.HR: {"anonymous": LOGIN, **dict.fromkeys(STAFF, REFUSED), "hr": ALLOWED,
                "admin": ALLOWED},
    policy.ADMIN: {"anonymous": LOGIN, **dict.fromkeys(STAFF + ["hr"], REFUSED),
                   "admin": ALLOWED},
}


def _who(owner=HIDDEN, other_employee=HIDDEN, supervisor=HIDDEN, other_supervisor=HIDDEN,
         hr=HIDDEN, admin=HIDDEN) -> dict:
    """Spell out one object-level row (anonymous is always sent to sign in)."""
    return {"anonymous": LOGIN, "owner": owner, "other_employee": other_employee,
            "supervisor": supervisor, "other_supervisor": other_supervisor, "hr": hr,
            "admin": admin}


#: The owner's goal, plan, dates and reflections: only the owner writes; those who may read
#: them are refused, strangers see nothing.
OWNER_WRITES = _who(owner=ALLOWED, supervisor=REFUSED, hr=REFUSED, admin=REFUSED)
#: A session: only its supervisor leads it; the report is refused; nobody else sees it.
SESSION_LEAD = _who(owner=REFUSED, supervisor=ALLOWED)
#: The two people of the session.
SESSION_PAIR = _who(owner=ALLOWED, supervisor=ALLOWED)
#: Only the person's current, direct supervisor.
DIRECT_SUPERVISOR = _who(supervisor=ALLOWED)

#: Every write route of the app. None: the route rule's answer (BY_RULE); else the row.
#: A new write route missing here fails test_every_write_route_is_in_the_table.
WRITES = {
    "identity.change_password": None, "identity.forgot_password": None,
    "accounts.level_edit": None, "accounts.level_move": None, "accounts.levels": None,
    "identity.login": None,
    # Signing out ends at the sign-in page, for everyone.
    "identity.logout": dict.fromkeys(PERSONAS, LOGIN), "accounts.people_import": None,
    "accounts.person": None, "accounts.person_deactivate": None,
    "accounts.person_invite": None, "accounts.person_new": None,
    "accounts.person_reactivate": None, "accounts.profile": None,
    "identity.reset_password": None, "accounts.settings": None, "accounts.team_edit": None,
    "accounts.teams": None, "identity.welcome": None,
    "catalog.alignment_archive": None, "catalog.alignment_edit": None,
    "catalog.alignments": None, "catalog.area_edit": None, "catalog.area_new": None,
    "catalog.proposal": None, "catalog.skill_archive": None, "catalog.skill_edit": None,
    "catalog.skills_list": None,
    "exchanges.adopt": None, "exchanges.exchange_new": None, "exchanges.lesson": None,
    "exchanges.partners": None,
    # Adding a lesson to an exchange: its creator (the owner) and HR; others are refused.
    "exchanges.exchange": _who(owner=ALLOWED, other_employee=REFUSED, supervisor=REFUSED,
                               other_supervisor=REFUSED, hr=ALLOWED, admin=ALLOWED),
    "exchanges.exchange_edit": _who(owner=ALLOWED, other_employee=REFUSED,
                                    supervisor=REFUSED, other_supervisor=REFUSED,
                                    hr=ALLOWED, admin=ALLOWED),
    "insights.refresh": _who(owner=REFUSED, other_employee=REFUSED, supervisor=ALLOWED,
                             other_supervisor=ALLOWED, hr=ALLOWED, admin=ALLOWED),
    "learning.goal_new": None, "learning.skills": None,
    "learning.goal_edit": OWNER_WRITES, "learning.goal_status": OWNER_WRITES,
    "learning.goal_delete": OWNER_WRITES, "learning.goal_checkin": OWNER_WRITES,
    "learning.activity_new": OWNER_WRITES, "learning.activity_edit": OWNER_WRITES,
    "learning.activity_delete": OWNER_WRITES, "learning.occurrence": OWNER_WRITES,
    "learning.occurrence_quick": OWNER_WRITES, "learning.occurrence_reschedule": OWNER_WRITES,
    "learning.reflection": OWNER_WRITES, "learning.suggestion_accept": OWNER_WRITES,
    "learning.suggestion_decline": OWNER_WRITES,
    # Only the owner's supervisor agrees a goal; the owner and their supervisor comment.
    "learning.goal_agree": _who(owner=REFUSED, supervisor=ALLOWED, hr=REFUSED, admin=REFUSED),
    "learning.goal_comment": _who(owner=ALLOWED, supervisor=ALLOWED, hr=REFUSED,
                                  admin=REFUSED),
    "learning.suggest": DIRECT_SUPERVISOR,
    "main.set_language": None,
    # A phone's queued action (JSON): a form post is a 400; whose date it is, is checked
    # per action (tests/test_offline_actions.py).
    "learning.offline_action": None,
    "reminders.calendar_manage": None, "reminders.notifications_read": None,
    "reminders.preferences_page": None, "reminders.outbox_requeue": None,
    "reminders.notification_open": _who(owner=ALLOWED),
    # Only the SMS provider writes here, signed (tests/test_sms_replies.py); without a
    # provider configured the address does not exist, for anyone.
    "reminders.sms_webhook": dict.fromkeys(PERSONAS, HIDDEN),
    "supervision.schedule": DIRECT_SUPERVISOR, "supervision.session_new": DIRECT_SUPERVISOR,
    "supervision.item_add": SESSION_PAIR, "supervision.item_toggle": SESSION_PAIR,
    "supervision.review": SESSION_LEAD, "supervision.action_add": SESSION_LEAD,
    "supervision.action_toggle": SESSION_LEAD, "supervision.notes": SESSION_LEAD,
    "supervision.held": SESSION_LEAD, "supervision.missed": SESSION_LEAD,
    "supervision.move": SESSION_LEAD, "supervision.cancel": SESSION_LEAD,
}
#: Form data that reaches the object-level check (an empty form stops before it).
DATA = {
    "exchanges.exchange": {"form": "lesson", "title": "Lesson from the matrix",
                           "idea": "Try it"},
}
#: Sent with every write: fields no form of ours has, or has only for HR.
EXTRA = {"owner_id": "{other}", "author_id": "{other}", "user_id": "{other}",
         "report_id": "{other}", "supervisor_id": "{other}", "role": "admin", "roles": "admin",
         "is_admin": "y", "is_hr": "y", "active": "0", "status": "achieved",
         "visibility": "shared", "agreed_by_id": "{other}"}


@pytest.fixture
def world(app, make_user):
    """The people and objects of the read matrix (tests/test_authorization.py)."""
    return matrix.world.__wrapped__(app, make_user)


def _kind(response) -> str:
    """Classify an answer."""
    if response.status_code == 302 and "/auth/login" in response.headers["Location"]:
        return LOGIN
    return {403: REFUSED, 404: HIDDEN}.get(response.status_code, ALLOWED)


def _write_routes(app) -> list[tuple]:
    return [(rule, method) for rule in _rules(app)
            for method in sorted(rule.methods & WRITE_METHODS)]


def test_every_write_route_is_in_the_table(app):
    """A write route missing from WRITES (or a stale entry) fails here."""
    routes = {rule.endpoint for rule, _method in _write_routes(app)}
    assert routes == set(WRITES), (routes - set(WRITES), set(WRITES) - routes)


def _people(app) -> list[tuple]:
    """Everyone's roles, supervisor and state."""
    with app.app_context():
        return sorted((u.email, u.is_hr, u.is_admin, u.supervisor_id, u.active)
                      for u in db.session.scalars(select(User)))


def test_write_matrix(app, make_client, world):
    """Each write route answers each persona as the policy says; extra fields change nothing."""
    with app.app_context():
        other = db.session.scalar(select(User.id).filter_by(email="other@example.org"))
    extra = {key: value.format(other=other) for key, value in EXTRA.items()}
    people_before = _people(app)
    failures = []
    for rule, method in _write_routes(app):
        expected = WRITES[rule.endpoint] or BY_RULE[policy.ROUTES[rule.endpoint]]
        ids = {**world["ids"], **world["params"].get(rule.endpoint, {})}
        url = _fill(rule.rule, ids)
        for persona in PERSONAS:
            client = make_client()
            if persona != "anonymous":
                assert client.login(world["emails"][persona]).status_code == 302
            data = {**extra, **DATA.get(rule.endpoint, {})}
            response = client.open(url, method=method,
                                   data={**data, "csrf_token": client.csrf_token()})
            got = _kind(response)
            response.close()
            if got != expected[persona]:
                failures.append(f"{method} {url} as {persona}: {got} "
                                f"({response.status_code}) != {expected[persona]}")
    assert not failures, "\n".join(failures)
    assert _people(app) == people_before
    with app.app_context():
        goal = db.session.get(Goal, world["ids"]["goal_id"])
        assert (goal.owner_id, goal.agreed_by_id) != (other, other)


def _extra(app) -> dict:
    """EXTRA, pointing at the other employee."""
    with app.app_context():
        other = db.session.scalar(select(User.id).filter_by(email="other@example.org"))
    return {key: value.format(other=other) for key, value in EXTRA.items()}


def test_extra_fields_do_not_change_ones_own_record(app, make_client, world):
    """A valid profile save with role, supervisor and state fields changes the name only."""
    client = make_client()
    client.login(world["emails"]["owner"])
    before = _people(app)
    response = client.post_form("/profile", {**_extra(app), "name": "Owner Renamed",
                                             "language": "fr", "timezone": ""})
    assert response.status_code == 302 and _people(app) == before
    with app.app_context():
        assert db.session.scalar(select(User.name).filter_by(email="owner@example.org")) \
            == "Owner Renamed"


def test_extra_fields_do_not_choose_a_goals_owner_or_status(app, make_client, world):
    """A new goal is the poster's, a draft or active, and agreed by nobody."""
    client = make_client()
    client.login(world["emails"]["owner"])
    response = client.post_form("/goals/new", {
        **_extra(app), "title": "Facilitate a QI meeting", "why": "", "success": "",
        "target_date": "", "new_topic": "", "visibility": "shared", "start": "1",
        "token": "t-extra"})
    assert response.status_code == 302
    with app.app_context():
        goal = db.session.scalar(select(Goal).filter_by(title="Facilitate a QI meeting"))
        owner = db.session.scalar(select(User.id).filter_by(email="owner@example.org"))
        assert (goal.owner_id, goal.status in ("draft", "active"), goal.agreed_by_id) == (
            owner, True, None)


def test_extra_fields_do_not_choose_who_wrote_a_comment_or_a_point(app, make_client, world):
    """A comment and an agenda point are signed by whoever posted them."""
    from pdplanner.learning.models import GoalComment
    from pdplanner.supervision.models import AgendaItem

    supervisor = make_client()
    supervisor.login(world["emails"]["supervisor"])
    ids = world["ids"]
    assert supervisor.post_form(f"/goals/{ids['goal_id']}/comments", {
        **_extra(app), "text": "Well done"}).status_code == 302
    assert supervisor.post_form(f"/sessions/{ids['session_id']}/items", {
        **_extra(app), "text": "Extra point"}).status_code == 302
    with app.app_context():
        boss = db.session.scalar(select(User.id).filter_by(email="boss@example.org"))
        assert db.session.scalar(select(GoalComment.author_id).filter_by(
            text="Well done")) == boss
        assert db.session.scalar(select(AgendaItem.author_id).filter_by(
            text="Extra point")) == boss


@pytest.mark.parametrize("write", ["invite", "update", "deactivate", "import"])
def test_account_services_refuse_what_the_page_refuses(app, world, write):
    """Called without the page (a job, the command line, a future API), each account write
    still refuses HR acting on an administrator, and staff importing."""
    from pdplanner.accounts.people import PersonData, invite, set_active, update_person
    from pdplanner.accounts.staff_apply import import_staff
    from pdplanner.errors import PermissionDenied

    with app.app_context():
        hr = db.session.scalar(select(User).filter_by(email="hr@example.org"))
        admin = db.session.scalar(select(User).filter_by(email="admin@example.org"))
        owner = db.session.scalar(select(User).filter_by(email="owner@example.org"))
        before = _people(app)
        calls = {
            "invite": lambda: invite(hr, admin),
            "update": lambda: update_person(hr, admin, PersonData(
                email=admin.email, name="Renamed"), admin.version),
            "deactivate": lambda: set_active(hr, admin, False),
            "import": lambda: import_staff(owner, b"email,name\nnew@example.org,New\n"),
        }
        with pytest.raises(PermissionDenied):
            calls[write]()
        db.session.rollback()
    assert _people(app) == before
