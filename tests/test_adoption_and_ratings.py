"""Adopting a lesson asks like a new goal; answers listed; ratings say who gave them, when."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pdplanner.catalog.models import Skill
from pdplanner.exchanges.models import Adoption, Lesson
from pdplanner.extensions import db
from pdplanner.learning.models import Goal, SkillAssessment

TODAY = date.today()


@pytest.fixture
def lesson(app, client, employee) -> tuple[int, int, int]:
    """An exchange on a catalogue skill with one lesson, recorded by `employee` (signed in);
    return (exchange id, lesson id, skill id)."""
    with app.app_context():
        skill = Skill(name_en="Quality coaching", name_fr="Coaching qualité", status="catalogue")
        db.session.add(skill)
        db.session.commit()
        skill_id = skill.id
    client.login(employee.email)
    response = client.post_form("/exchanges/new", {
        "title": "Visit to Santé Plus", "kind": "visit_to",
        "starts_on": (TODAY - timedelta(days=3)).isoformat(),
        "ends_on": (TODAY - timedelta(days=2)).isoformat(), "staff_emails": "",
        "externals": "", "skill_ids": str(skill_id)})
    exchange_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post_form(f"/exchanges/{exchange_id}", {
        "form": "lesson", "title": "Daily huddles", "what_worked": "Short and daily",
        "what_to_avoid": "", "idea": "Try a 10-minute huddle", "programme": "",
        "team_id": "", "tags": ""})
    with app.app_context():
        return exchange_id, db.session.scalar(select(Lesson.id)), skill_id


def _checked(html: str, name: str) -> set[str]:
    """Return the values of the checked boxes or radios named `name`."""
    return {re.search(r'value="([^"]*)"', tag).group(1) for tag in re.findall(r"<input[^>]*>", html)
            if f'name="{name}"' in tag and " checked" in tag}


def test_adopting_a_lesson_asks_the_new_goal_questions_prefilled(app, client, lesson):
    """The form starts with the idea, the exchange named in why, its skill, and "Only me"."""
    _exchange_id, lesson_id, skill_id = lesson
    html = client.get(f"/lessons/{lesson_id}/adopt").get_data(as_text=True)
    assert 'value="Try a 10-minute huddle"' in html
    assert "Visit to Santé Plus" in re.search(r'<textarea[^>]*name="why"[^>]*>([^<]*)',
                                              html).group(1)
    assert _checked(html, "skill_ids") == {str(skill_id)}
    assert _checked(html, "visibility") == {"private"}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Adoption)) == 0


def test_an_adopted_lesson_becomes_the_goal_as_written(app, client, lesson):
    """The goal keeps what the person wrote and chose (private here), linked to the lesson."""
    _exchange_id, lesson_id, skill_id = lesson
    response = client.post_form(f"/lessons/{lesson_id}/adopt", {
        "title": "Daily huddle at my centre", "why": "Fewer errors", "visibility": "private",
        "skill_ids": str(skill_id), "start": "1"})
    assert response.status_code == 302
    with app.app_context():
        adoption = db.session.scalar(select(Adoption))
        goal = db.session.get(Goal, adoption.goal_id)
        assert (goal.title, goal.visibility, goal.status) == (
            "Daily huddle at my centre", "private", "active")
        assert [s.id for s in goal.skills] == [skill_id]


def test_adopting_without_a_title_keeps_the_input_and_writes_nothing(app, client, lesson):
    """A missing title answers 422 by the field, with what was typed, and no goal."""
    _exchange_id, lesson_id, _skill = lesson
    response = client.post_form(f"/lessons/{lesson_id}/adopt", {
        "title": "", "why": "Typed words stay", "visibility": "private", "start": "1"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="title-error"' in html and "Typed words stay" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Goal)) == 0


def test_answers_to_did_you_apply_it_are_listed_on_the_exchange_and_the_lesson(
        app, client, make_client, make_user, lesson):
    """A participant's answer shows on the exchange and its lesson; a stranger sees neither."""
    exchange_id, lesson_id, _skill = lesson
    client.post_form(f"/exchanges/{exchange_id}", {"form": "follow_up", "after_days": "30",
                                                   "applied": "yes", "note": "Huddles daily"})
    for path in (f"/exchanges/{exchange_id}", f"/lessons/{lesson_id}"):
        html = client.get(path).get_data(as_text=True)
        assert 'id="answers"' in html and "Huddles daily" in html, path
    stranger = make_client()
    stranger.login(make_user("str@example.org", "Stranger").email)
    for path in (f"/exchanges/{exchange_id}", f"/lessons/{lesson_id}"):
        assert "Huddles daily" not in stranger.get(path).get_data(as_text=True), path


def _rate(app, person_id: int, rater_id: int, level: int, days_ago: int) -> None:
    """Store a rating of the first skill given by `rater`, `days_ago` days ago."""
    from pdplanner.types import utcnow

    with app.app_context():
        skill = db.session.scalar(select(Skill)) or Skill(name_en="Coaching",
                                                          name_fr="Coaching",
                                                          status="catalogue")
        db.session.add(SkillAssessment(person_id=person_id, skill=skill, level=level,
                                       assessed_by_id=rater_id, note="my own words",
                                       at=utcnow() - timedelta(days=days_ago)))
        db.session.commit()


def test_my_skills_says_who_gave_each_rating_and_when(app, client, make_user):
    """The latest rating and the history name the self-rating and the supervisor's."""
    boss = make_user("boss@example.org", "Binta Boss")
    person = make_user("rep@example.org", "Rokia Report", supervisor_id=boss.id)
    _rate(app, person.id, person.id, 1, 30)
    _rate(app, person.id, boss.id, 2, 1)
    client.login(person.email)
    html = client.get("/skills").get_data(as_text=True)
    assert html.count("rated by Binta Boss,") == 2  # where one is now, and in the history
    assert html.count("self-rating,") == 1


def test_a_supervisor_sees_a_reports_rating_history(app, client, make_user):
    """On the report's page: self and supervisor ratings, dated; the self-rating's note stays
    with its author."""
    boss = make_user("boss@example.org", "Binta Boss")
    person = make_user("rep@example.org", "Rokia Report", supervisor_id=boss.id)
    _rate(app, person.id, person.id, 1, 30)
    _rate(app, person.id, boss.id, 2, 1)
    client.login(boss.email)
    html = client.get(f"/team/{person.id}").get_data(as_text=True)
    section = html[html.index('id="ratings-h"'):]
    assert "rated by Binta Boss," in section and "self-rating," in section
    assert "my own words" not in section
