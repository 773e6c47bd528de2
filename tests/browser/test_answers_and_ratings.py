"""On a phone, in English and French: "Did you apply it?" answers listed; who rated a skill."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.exchanges import services
from pdplanner.extensions import db
from pdplanner.learning import plans, queries
from pdplanner.learning.models import SkillAssessment
from tests.browser.conftest import (
    EMPLOYEE_EMAIL,
    LANGUAGES,
    PHONE,
    SUPERVISOR_EMAIL,
    page_checker,
    sign_in,
)

pytestmark = pytest.mark.browser

ANSWER = {"en": "Answer", "fr": "Répondre"}
YES = {"en": "Yes", "fr": "Oui"}
SELF = {"en": "self-rating", "fr": "auto-évaluation"}
RATED_BY = {"en": "rated by {}", "fr": "évaluée par {}"}


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_answers_to_did_you_apply_it_are_listed_on_the_exchange_and_lesson_at_360px(
        new_context, make_person, live_server, language):
    """A participant answers; the answer is listed on the exchange and on its lesson."""
    problems: list[str] = []
    checked = page_checker(language, problems)
    person = make_person(f"Answerer {language}", like=EMPLOYEE_EMAIL, language=language)
    note = f"We hold the huddle every morning ({language})"
    with live_server.app.app_context():
        actor = db.session.get(User, person.id)
        start = today_for(actor) - timedelta(days=40)
        exchange = services.save_exchange(actor, None, services.ExchangeData(
            title=f"Huddle visit ({language})", kind="visit_to", starts_on=start,
            ends_on=start))
        lesson = services.add_lesson(actor, exchange, services.LessonData(
            title=f"Huddles ({language})", idea="Hold a huddle"))
        ids = exchange.id, lesson.id
        db.session.remove()
    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, person.email)
    page.goto(f"/exchanges/{ids[0]}")
    follow = page.locator("#follow-up")
    follow.get_by_label(YES[language], exact=True).check()
    follow.locator("textarea").fill(note)
    follow.get_by_role("button", name=ANSWER[language]).click()
    checked(page)
    expect(page.locator("#answers")).to_contain_text(note)
    page.goto(f"/lessons/{ids[1]}")
    checked(page)
    expect(page.locator("#answers")).to_contain_text(note)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_ratings_name_who_gave_them_to_the_person_and_the_supervisor_at_360px(
        new_context, make_person, live_server, language):
    """My skills and the supervisor's view of the report say who rated, and when."""
    problems: list[str] = []
    checked = page_checker(language, problems)
    boss = make_person(f"Rating boss {language}", like=SUPERVISOR_EMAIL, language=language)
    person = make_person(f"Rated report {language}", like=EMPLOYEE_EMAIL,
                         supervisor_id=boss.id, language=language)
    with live_server.app.app_context():
        skill_id = queries.skills_for(db.session.get(User, person.id))[0].id
        plans.assess_skill(db.session.get(User, person.id), skill_id, 1, "")
        db.session.add(SkillAssessment(person_id=person.id, skill_id=skill_id, level=2,
                                       assessed_by_id=boss.id))
        db.session.commit()
        db.session.remove()
    mine = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(mine, person.email)
    mine.goto("/skills")
    checked(mine)
    expect(mine.locator("main")).to_contain_text(SELF[language])
    expect(mine.locator("main")).to_contain_text(RATED_BY[language].format(boss.name))
    theirs = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(theirs, boss.email)
    theirs.goto(f"/team/{person.id}")
    checked(theirs)
    ratings = theirs.locator("section:has(#ratings-h)")
    expect(ratings).to_contain_text(SELF[language])
    expect(ratings).to_contain_text(RATED_BY[language].format(boss.name))
    assert not problems, "\n".join(problems)
