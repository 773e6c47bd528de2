"""Choice: suggestions the employee may take or leave, own topics, HR's catalogue, ratings."""

from sqlalchemy import select

from pdplanner.catalog.models import Skill, SkillArea
from pdplanner.extensions import db
from pdplanner.learning.models import Goal, SkillAssessment, goal_skill
from tests.learning_factories import make_goal


def _suggest(client, person_id, title="Learn budgeting", token="s-1"):
    return client.post_form(f"/team/{person_id}/suggest", {
        "title": title, "why": "You asked about it", "success": "", "target_date": "",
        "token": token})


def test_supervisor_suggests_and_employee_accepts(app, make_client, make_user):
    """A suggestion waits on My learning; accepting makes it the employee's active goal."""
    boss = make_user(name="Boss")
    person = make_user(supervisor_id=boss.id)
    supervisor = make_client()
    supervisor.login(boss.email)
    assert _suggest(supervisor, person.id).status_code == 302
    employee = make_client()
    employee.login(person.email)
    assert "Learn budgeting" in employee.get("/").get_data(as_text=True)
    with app.app_context():
        goal_id = db.session.scalar(select(Goal.id))
    employee.post_form(f"/suggestions/{goal_id}/accept")
    with app.app_context():
        goal = db.session.get(Goal, goal_id)
        assert (goal.status, goal.chosen_by, goal.suggested_by_id) == (
            "active", "suggested", boss.id)
    assert employee.get(f"/goals/{goal_id}/edit").status_code == 200


def test_employee_declines_with_a_reason(app, make_client, make_user):
    """Declining needs a reason, which the supervisor then reads."""
    boss = make_user(name="Boss")
    person = make_user(supervisor_id=boss.id)
    supervisor = make_client()
    supervisor.login(boss.email)
    _suggest(supervisor, person.id)
    with app.app_context():
        goal_id = db.session.scalar(select(Goal.id))
    employee = make_client()
    employee.login(person.email)
    empty = employee.post_form(f"/suggestions/{goal_id}/decline", {"reason": ""})
    assert empty.status_code == 422
    employee.post_form(f"/suggestions/{goal_id}/decline", {"reason": "Not this year"})
    assert "Not this year" in supervisor.get(f"/goals/{goal_id}").get_data(as_text=True)


def test_only_the_direct_supervisor_suggests(app, client, make_user):
    """Someone else's supervisor cannot push goals onto them."""
    boss, other = make_user(name="Boss"), make_user(name="Other")
    person = make_user(supervisor_id=boss.id)
    client.login(other.email)
    assert client.get(f"/team/{person.id}/suggest").status_code == 404
    assert _suggest(client, person.id).status_code == 404


def test_double_submitted_suggestion_is_sent_once(app, client, make_user):
    """The same suggestion form twice creates one goal."""
    boss = make_user(name="Boss")
    person = make_user(supervisor_id=boss.id)
    client.login(boss.email)
    _suggest(client, person.id, token="same")
    _suggest(client, person.id, token="same")
    with app.app_context():
        assert len(list(db.session.scalars(select(Goal)))) == 1


def _topic(app, proposer_id: int, goal_id: int) -> int:
    with app.app_context():
        topic = Skill(name_en="Drone mapping", name_fr="Drone mapping", status="proposed",
                      proposed_by_id=proposer_id)
        goal = db.session.get(Goal, goal_id)
        goal.skills.append(topic)
        db.session.add(SkillAssessment(person_id=proposer_id, skill=topic, level=1,
                                       assessed_by_id=proposer_id))
        db.session.commit()
        return topic.id


def test_hr_accepts_a_topic_into_the_catalogue(app, client, hr, employee):
    """An accepted topic gets both names and is offered to everyone."""
    topic_id = _topic(app, employee.id, make_goal(app, employee.id))
    client.login(hr.email)
    client.post_form(f"/catalog/proposals/{topic_id}", {
        "decision": "accept", "accept-name_en": "Drone mapping",
        "accept-name_fr": "Cartographie par drone", "accept-area_id": ""})
    with app.app_context():
        topic = db.session.get(Skill, topic_id)
        assert (topic.status, topic.name_fr) == ("catalogue", "Cartographie par drone")


def test_hr_merges_a_topic_and_goals_follow(app, client, hr, employee):
    """Merging moves the goal links and ratings to the existing skill."""
    goal_id = make_goal(app, employee.id)
    topic_id = _topic(app, employee.id, goal_id)
    with app.app_context():
        target = Skill(name_en="GIS", name_fr="SIG", status="catalogue")
        db.session.add(target)
        db.session.commit()
        target_id = target.id
    client.login(hr.email)
    client.post_form(f"/catalog/proposals/{topic_id}", {
        "decision": "merge", "merge-into_id": str(target_id)})
    with app.app_context():
        assert db.session.get(Skill, topic_id).status == "merged"
        linked = set(db.session.scalars(select(goal_skill.c.skill_id).where(
            goal_skill.c.goal_id == goal_id)))
        assert linked == {target_id}
        assert db.session.scalar(select(SkillAssessment.skill_id)) == target_id


def test_hr_leaves_a_topic_personal(app, client, hr, employee, make_client):
    """A personal topic stays on its author's goals and is offered to nobody else."""
    topic_id = _topic(app, employee.id, make_goal(app, employee.id))
    client.login(hr.email)
    client.post_form(f"/catalog/proposals/{topic_id}", {"decision": "personal"})
    from pdplanner.accounts.models import User
    from pdplanner.learning.queries import skills_for

    with app.app_context():
        assert db.session.get(Skill, topic_id).status == "personal"
        owner = db.session.get(User, employee.id)
        hr_person = db.session.get(User, hr.id)
        assert topic_id in {s.id for s in skills_for(owner)}
        assert topic_id not in {s.id for s in skills_for(hr_person)}


def test_hr_adds_area_and_bilingual_skill(app, client, hr):
    """HR builds the catalogue: an area, then a skill in it with two names."""
    client.login(hr.email)
    client.post_form("/catalog/areas", {"name_en": "Management", "name_fr": "Management"})
    with app.app_context():
        area_id = db.session.scalar(select(SkillArea.id))
    client.post_form("/catalog/skills", {"area_id": str(area_id), "name_en": "Giving feedback",
                                         "name_fr": "Donner du feedback",
                                         "description_en": "", "description_fr": ""})
    with app.app_context():
        skill = db.session.scalar(select(Skill))
        assert (skill.area_id, skill.name_fr) == (area_id, "Donner du feedback")


def test_self_assessment_keeps_history(app, client, employee):
    """Each rating is kept; the latest shows as where you are now."""
    with app.app_context():
        skill = Skill(name_en="Coaching", name_fr="Coaching", status="catalogue")
        db.session.add(skill)
        db.session.commit()
        skill_id = skill.id
    client.login(employee.email)
    client.post_form("/skills", {"skill_id": str(skill_id), "level": "1", "note": ""})
    client.post_form("/skills", {"skill_id": str(skill_id), "level": "3", "note": "progress"})
    with app.app_context():
        levels = [a.level for a in db.session.scalars(select(SkillAssessment)
                                                       .order_by(SkillAssessment.id))]
    assert levels == [1, 3]
    bad = client.post_form("/skills", {"skill_id": str(skill_id), "level": "7", "note": ""})
    assert bad.status_code == 422


def test_demo_has_goals_in_every_state_and_level(app):
    """The demo seed covers every goal state, every level, proposals and suggestions."""
    from pdplanner import demo
    from pdplanner.accounts.models import User

    with app.app_context():
        demo.seed()
        goals = list(db.session.scalars(select(Goal)))
        assert {g.status for g in goals} >= {"suggested", "declined", "draft", "active",
                                             "paused", "achieved", "dropped"}
        levels = {db.session.get(User, g.owner_id).level_id for g in goals}
        assert len(levels) == 5
        assert db.session.scalar(select(Skill).filter_by(status="proposed")) is not None
        statuses = {o.status for g in goals for a in g.activities for o in a.occurrences}
        assert statuses >= {"planned", "done", "missed", "cancelled"}
