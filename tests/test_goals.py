"""Goals: chosen by the employee, documented, moved through their lifecycle, agreed."""

from datetime import date, timedelta
from html import unescape

from sqlalchemy import func, select

from pdplanner.audit import AuditEvent
from pdplanner.catalog.models import Alignment, Skill
from pdplanner.extensions import db
from pdplanner.learning.models import CheckIn, Goal, GoalComment
from tests.conftest import field_error
from tests.learning_factories import make_goal


def _goal(app, goal_id: int) -> Goal:
    with app.app_context():
        goal = db.session.get(Goal, goal_id)
        db.session.expunge(goal)
        return goal


def _new_goal_form(**changes) -> dict:
    form = {"title": "Facilitate a QI meeting", "why": "Our centres need it",
            "success": "I run one alone", "target_date": "", "new_topic": "",
            "visibility": "shared", "start": "1", "token": "t-1"}
    form.update(changes)
    return form


def _catalogue(app) -> tuple[int, int]:
    """Add a skill and a core value; return their ids."""
    with app.app_context():
        skill = Skill(name_en="QI coaching", name_fr="Coaching qualité", status="catalogue")
        value = Alignment(kind="value", name_en="Quality", name_fr="Qualité")
        db.session.add_all([skill, value])
        db.session.commit()
        return skill.id, value.id


def test_employee_creates_an_aligned_goal(app, client, employee):
    """A goal records what, why, success, skills and the value it serves."""
    skill_id, value_id = _catalogue(app)
    client.login(employee.email)
    response = client.post_form("/goals/new", _new_goal_form(
        skill_ids=str(skill_id), alignment_ids=str(value_id),
        target_date=(date.today() + timedelta(days=30)).isoformat()))
    assert response.status_code == 302
    with app.app_context():
        goal = db.session.scalar(select(Goal))
        assert goal.status == "active" and goal.chosen_by == "self"
        assert [s.id for s in goal.skills] == [skill_id]
        assert [a.id for a in goal.alignments] == [value_id]
        assert db.session.scalar(select(AuditEvent).filter_by(action="goal.create"))


def test_personal_interest_alone_is_valid(app, client, employee):
    """A goal may serve no value at all: personal interest is enough."""
    client.login(employee.email)
    client.post_form("/goals/new", _new_goal_form(personal_interest="y", start="0"))
    with app.app_context():
        goal = db.session.scalar(select(Goal))
        assert goal.personal_interest and goal.status == "draft" and goal.alignments == []


def test_new_topic_is_usable_at_once_and_reaches_hr(app, client, employee, hr, make_client):
    """Naming a topic beyond the catalogue links it now and lists it for HR."""
    client.login(employee.email)
    client.post_form("/goals/new", _new_goal_form(new_topic="Drone mapping"))
    with app.app_context():
        topic = db.session.scalar(select(Skill).filter_by(name_en="Drone mapping"))
        assert topic.status == "proposed" and topic.proposed_by_id == employee.id
        assert [s.id for s in db.session.get(Goal, 1).skills] == [topic.id]
    manager = make_client()
    manager.login(hr.email)
    assert "Drone mapping" in manager.get("/catalog/skills").get_data(as_text=True)


def test_bad_goal_input_is_refused_by_field_and_kept(app, client, employee):
    """A short title and a past date get messages by their fields; nothing is saved."""
    client.login(employee.email)
    response = client.post_form("/goals/new", _new_goal_form(
        title="ab", why="kept text", target_date="2001-01-01"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-error"' in html and "kept text" in html
    response = client.post_form("/goals/new", _new_goal_form(target_date="2001-01-01",
                                                             token="t-2"))
    assert 'id="target_date-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Goal)) == 0


def test_too_long_text_is_refused(client, employee):
    """Texts are bounded."""
    client.login(employee.email)
    response = client.post_form("/goals/new", _new_goal_form(why="x" * 2001))
    assert 'id="why-error"' in response.get_data(as_text=True)


def test_double_submit_creates_one_goal(app, client, employee):
    """The same form posted twice (same token) creates one goal and lands on it."""
    client.login(employee.email)
    first = client.post_form("/goals/new", _new_goal_form(token="same"))
    second = client.post_form("/goals/new", _new_goal_form(token="same"))
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Goal)) == 1


def test_two_tabs_second_save_gets_409_with_text_kept(app, make_client, employee):
    """Editing the same goal in two tabs: the later save is refused, text kept."""
    goal_id = make_goal(app, employee.id, visibility="private")
    tab1, tab2 = make_client(), make_client()
    tab1.login(employee.email)
    tab2.login(employee.email)
    fields = {"title": "Tab one title", "visibility": "private", "version": "1",
              "why": "", "success": "", "target_date": "", "new_topic": ""}
    assert tab1.post_form(f"/goals/{goal_id}/edit", fields).status_code == 302
    response = tab2.post_form(f"/goals/{goal_id}/edit", {**fields, "title": "Tab two title"})
    assert response.status_code == 409
    assert 'value="Tab two title"' in response.get_data(as_text=True)
    assert _goal(app, goal_id).title == "Tab one title"


def test_lifecycle_pause_resume_achieve(app, client, employee):
    """Active goals pause, resume and are achieved."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    for action, status in [("pause", "paused"), ("resume", "active"), ("achieve", "achieved")]:
        client.post_form(f"/goals/{goal_id}/status/{action}")
        assert _goal(app, goal_id).status == status
    assert _goal(app, goal_id).progress == 100


def test_drop_needs_a_reason(app, client, employee):
    """Dropping without a reason is refused; with one, it is recorded."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    client.post_form(f"/goals/{goal_id}/status/drop", {"reason": ""})
    assert _goal(app, goal_id).status == "active"
    client.post_form(f"/goals/{goal_id}/status/drop", {"reason": "Changed jobs"})
    goal = _goal(app, goal_id)
    assert goal.status == "dropped" and goal.drop_reason == "Changed jobs"


def test_invalid_transition_is_refused(app, client, employee):
    """A draft cannot be achieved directly."""
    goal_id = make_goal(app, employee.id, status="draft")
    client.login(employee.email)
    client.post_form(f"/goals/{goal_id}/status/pause")
    assert _goal(app, goal_id).status == "draft"


def test_supervisor_records_agreement(app, client, make_user):
    """The supervisor agrees a shared goal from its page."""
    boss = make_user(name="Boss")
    person = make_user(supervisor_id=boss.id)
    goal_id = make_goal(app, person.id)
    client.login(boss.email)
    client.post_form(f"/goals/{goal_id}/agree")
    goal = _goal(app, goal_id)
    assert goal.agreed_by_id == boss.id and goal.agreed_at is not None


def test_checkins_keep_a_history(app, client, employee):
    """Each check-in is kept; progress is the latest one."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    today = date.today()
    client.post_form(f"/goals/{goal_id}/checkins", {"on": (today - timedelta(days=7))
                     .isoformat(), "progress": "20", "note": "started", "token": "a"})
    client.post_form(f"/goals/{goal_id}/checkins", {"on": today.isoformat(),
                                                   "progress": "55", "note": "", "token": "b"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 2
        assert db.session.get(Goal, goal_id).progress == 55


def test_my_learning_lists_each_goal_with_its_status_target_and_latest_progress(
        app, client, employee):
    """My learning's goals in progress: title linked and escaped, status, target date in the
    reader's words, and the latest check-in's progress said for screen readers."""
    from pdplanner.formatting import dateformat

    target = date.today() + timedelta(days=30)
    goal_id = make_goal(app, employee.id, title="Triage <fast>", target_date=target)
    other_id = make_goal(app, employee.id, title="No date")
    client.login(employee.email)
    client.post_form(f"/goals/{goal_id}/checkins", {"on": date.today().isoformat(),
                                                   "progress": "40", "note": "", "token": "c"})
    html = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        by = dateformat(target)
    assert (f'<a href="/goals/{goal_id}">Triage &lt;fast&gt;</a> '
            '<span class="badge">Active</span>') in html
    assert f'<span class="muted small">by {by}</span>' in html
    assert ('<progress class="progress" max="100" value="40" aria-label="Progress: 40 %">'
            '40 %</progress> <span class="small">40 %</span>') in html
    assert f'<a href="/goals/{other_id}">No date</a>' in html and html.count("by ") == 1


def test_checkin_refuses_future_date_and_bad_percentage(app, client, employee):
    """A check-in in the future, or above 100 %, is refused by its field."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    future = (date.today() + timedelta(days=2)).isoformat()
    html = client.post_form(f"/goals/{goal_id}/checkins", {"on": future, "progress": "10",
                                                           "note": "kept note"}).get_data(
        as_text=True)
    assert 'id="on-error"' in html and "kept note" in html
    html = client.post_form(f"/goals/{goal_id}/checkins", {
        "on": date.today().isoformat(), "progress": "140"}).get_data(as_text=True)
    assert 'id="progress-error"' in html


def test_soft_delete_and_undo(app, client, employee):
    """A deleted goal leaves the list and comes back on restore."""
    goal_id = make_goal(app, employee.id, title="Deletable goal")
    client.login(employee.email)
    client.post_form(f"/goals/{goal_id}/delete")
    assert _goal(app, goal_id).deleted_at is not None
    html = client.get("/").get_data(as_text=True)
    assert "Deletable goal" not in html
    client.post_form(f"/goals/{goal_id}/restore")
    assert _goal(app, goal_id).deleted_at is None


def test_deleted_goal_is_hidden_from_the_supervisor(app, make_client, make_user):
    """Once deleted, a shared goal answers 404 to the supervisor."""
    boss = make_user(name="Boss")
    person = make_user(supervisor_id=boss.id)
    goal_id = make_goal(app, person.id)
    owner = make_client()
    owner.login(person.email)
    owner.post_form(f"/goals/{goal_id}/delete")
    supervisor = make_client()
    supervisor.login(boss.email)
    assert supervisor.get(f"/goals/{goal_id}").status_code == 404


def test_private_goal_is_invisible_to_supervisor_and_hr(app, make_client, make_user, hr):
    """A private draft is the owner's alone."""
    boss = make_user(name="Boss")
    person = make_user(supervisor_id=boss.id)
    goal_id = make_goal(app, person.id, visibility="private")
    for email in (boss.email, hr.email):
        viewer = make_client()
        viewer.login(email)
        assert viewer.get(f"/goals/{goal_id}").status_code == 404


def test_each_reader_of_a_shared_goal_has_a_back_link_that_opens(app, make_client,
                                                                  make_user, hr):
    """The supervisor goes back to the report's goals, HR to the person's page (no 404)."""
    boss = make_user(name="Boss")
    person = make_user(name="Kadi Report", supervisor_id=boss.id)
    goal_id = make_goal(app, person.id)
    for email, back, label in ((boss.email, f"/team/{person.id}", "← Kadi Report's goals"),
                               (hr.email, f"/people/{person.id}", "← Kadi Report<")):
        viewer = make_client()
        viewer.login(email)
        html = unescape(viewer.get(f"/goals/{goal_id}").get_data(as_text=True))
        assert f'<a href="{back}">{label}' in html, email
        assert viewer.get(back).status_code == 200, email


def test_supervisor_comments_and_cannot_edit(app, make_client, make_user):
    """A supervisor comments on a shared goal but cannot change it."""
    boss = make_user(name="Boss")
    person = make_user(supervisor_id=boss.id)
    goal_id = make_goal(app, person.id)
    supervisor = make_client()
    supervisor.login(boss.email)
    supervisor.post_form(f"/goals/{goal_id}/comments", {"text": "Great idea"})
    assert supervisor.get(f"/goals/{goal_id}/edit").status_code == 403
    owner = make_client()
    owner.login(person.email)
    assert "Great idea" in owner.get(f"/goals/{goal_id}").get_data(as_text=True)


def test_former_supervisor_loses_access(app, make_client, make_user, hr):
    """When someone gets a new supervisor, the old one no longer sees their goals."""
    old, new = make_user(name="Old boss"), make_user(name="New boss")
    person = make_user(supervisor_id=old.id)
    goal_id = make_goal(app, person.id)
    from pdplanner.accounts.models import User

    with app.app_context():
        db.session.get(User, person.id).supervisor_id = new.id
        db.session.commit()
    viewer = make_client()
    viewer.login(old.email)
    assert viewer.get(f"/goals/{goal_id}").status_code == 404


def _goal_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Goal))


def test_absurd_target_date_is_refused_by_its_field(app, client, employee):
    """A target date thousands of years ahead is refused; more than 5 years is too far."""
    client.login(employee.email)
    response = client.post_form("/goals/new", _new_goal_form(target_date="9999-12-31"))
    assert response.status_code == 422
    assert "Choose a date no later than" in field_error(response.get_data(as_text=True),
                                                         "target_date")
    assert _goal_count(app) == 0
    within = (date.today() + timedelta(days=4 * 365)).isoformat()
    assert client.post_form("/goals/new", _new_goal_form(target_date=within, token="t-2")
                            ).status_code == 302


def test_goal_form_reports_every_problem_at_once(app, client, employee):
    """An empty title and a past target date are both flagged in one round."""
    client.login(employee.email)
    response = client.post_form("/goals/new", _new_goal_form(
        title="", why="kept text", target_date="2001-01-01"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "kept text" in html
    assert field_error(html, "title")
    assert field_error(html, "target_date") == "Choose a target date from today on."
    assert _goal_count(app) == 0


def test_suggest_form_reports_title_and_date_at_once(app, client, make_user):
    """A supervisor's too-short title and a 1999 date are flagged together."""
    boss = make_user(name="Boss")
    person = make_user(supervisor_id=boss.id)
    client.login(boss.email)
    response = client.post_form(f"/team/{person.id}/suggest", {
        "title": "ab", "why": "kept reason", "success": "", "target_date": "1999-05-01",
        "token": "s-1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "kept reason" in html
    assert field_error(html, "title")
    assert field_error(html, "target_date") == "Choose a target date from today on."
    assert _goal_count(app) == 0


def test_drop_without_reason_shows_the_error_by_the_field(app, client, employee):
    """The goal page comes back (422) with the reason field marked and described."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    response = client.post_form(f"/goals/{goal_id}/status/drop", {"reason": "   "})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "reason") == "Say briefly why you drop this goal."
    assert "Lead a QI meeting" in html  # the goal page itself, not a redirect
    assert _goal(app, goal_id).status == "active"


def test_bad_comment_shows_the_error_by_the_field_and_keeps_the_text(app, client, employee):
    """An empty comment, or one too long, re-renders the page with the error by the field."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    response = client.post_form(f"/goals/{goal_id}/comments", {"text": ""})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "text") == "Write a comment first."
    response = client.post_form(f"/goals/{goal_id}/comments", {"text": "kept " + "x" * 2000})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "kept xxx" in html
    assert field_error(html, "text")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GoalComment)) == 0


def test_goal_with_a_passed_target_date_can_be_edited_keeping_it(app, client, employee):
    """Only the title changes: the aged target date is kept; a new past date is refused."""
    passed = date.today() - timedelta(days=10)
    goal_id = make_goal(app, employee.id, visibility="private", target_date=passed)
    client.login(employee.email)
    fields = {"title": "Renamed goal", "visibility": "private", "version": "1",
              "why": "", "success": "", "target_date": passed.isoformat(), "new_topic": ""}
    assert client.post_form(f"/goals/{goal_id}/edit", fields).status_code == 302
    goal = _goal(app, goal_id)
    assert (goal.title, goal.target_date) == ("Renamed goal", passed)
    other = (passed - timedelta(days=1)).isoformat()
    response = client.post_form(f"/goals/{goal_id}/edit", {**fields, "version": "2",
                                                           "target_date": other})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True),
                        "target_date") == "Choose a target date from today on."
    assert _goal(app, goal_id).target_date == passed


def test_update_goal_service_accepts_the_unchanged_past_target_date(app, employee):
    """The service refuses a changed past target date, but keeps an unchanged one."""
    import pytest

    from pdplanner.accounts.models import User
    from pdplanner.errors import RuleViolation
    from pdplanner.learning.goals import GoalData, update_goal

    passed = date.today() - timedelta(days=3)
    goal_id = make_goal(app, employee.id, target_date=passed)
    with app.app_context():
        owner, goal = db.session.get(User, employee.id), db.session.get(Goal, goal_id)
        with pytest.raises(RuleViolation):
            update_goal(owner, goal, GoalData(title="Changed", target_date=passed
                                              - timedelta(days=1)), goal.version)
        db.session.rollback()
        update_goal(owner, goal, GoalData(title="Changed", target_date=passed), goal.version)
        assert db.session.get(Goal, goal_id).title == "Changed"


def test_goal_page_lists_the_six_latest_check_ins_and_the_latest_progress(app, client,
                                                                           employee):
    """Of eight check-ins the page lists the six newest, newest first; progress is the last."""
    goal_id = make_goal(app, employee.id)
    today = date.today()
    with app.app_context():
        db.session.add_all(CheckIn(goal_id=goal_id, progress=10 * n, note=f"Step {n}",
                                   on=today - timedelta(days=8 - n)) for n in range(1, 9))
        db.session.commit()
    client.login(employee.email)
    html = unescape(client.get(f"/goals/{goal_id}").get_data(as_text=True))
    shown = [f"Step {n}" for n in range(1, 9) if f": Step {n}<" in html]
    assert shown == [f"Step {n}" for n in range(3, 9)]
    assert html.index("Step 8") < html.index("Step 3")
    assert 'value="80"' in html and "<p>80 %</p>" in html


def test_achieved_goal_page_shows_full_progress(app, client, employee):
    """An achieved goal shows 100 % whatever its last check-in said."""
    goal_id = make_goal(app, employee.id, status="achieved")
    with app.app_context():
        db.session.add(CheckIn(goal_id=goal_id, progress=70, on=date.today()))
        db.session.commit()
    client.login(employee.email)
    assert "<p>100 %</p>" in client.get(f"/goals/{goal_id}").get_data(as_text=True)


def test_a_goals_page_names_its_skills_and_aims_in_the_readers_language(app, client, employee):
    """Skills (a proposed topic marked) and aims by id, each named in the reader's language,
    falling back to the other name when one is empty."""
    with app.app_context():
        skills = [Skill(name_en="QI coaching", name_fr="Coaching qualité", status="catalogue"),
                  Skill(name_en="Drone mapping", name_fr="", status="proposed")]
        aims = [Alignment(kind="value", name_en="Quality", name_fr="Qualité"),
                Alignment(kind="priority", name_en="Equity", name_fr="")]
        goal = Goal(owner_id=employee.id, title="Map the district", status="active",
                    visibility="shared", personal_interest=True, skills=skills, alignments=aims)
        db.session.add(goal)
        db.session.commit()
        goal_id = goal.id
    client.login(employee.email)
    shown = {}
    for language in ("en", "fr"):
        with app.app_context():
            db.session.get(type(employee), employee.id).language = language
            db.session.commit()
        html = client.get(f"/goals/{goal_id}").get_data(as_text=True)
        facts = html.split('<dl class="facts">')[1].split("</dl>")[0]
        shown[language] = [dd.split("</dd>")[0] for dd in facts.split("<dd>")][-2:]
    assert shown == {
        "en": ['QI coaching, Drone mapping <span class="muted small">(proposed topic)</span>',
               "Quality, Equity · personal interest"],
        "fr": ['Coaching qualité, Drone mapping <span class="muted small">(thème proposé)</span>',
               "Qualité, Equity · intérêt personnel"]}
