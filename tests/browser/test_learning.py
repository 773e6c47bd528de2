"""An employee's learning on a phone, in English and French: goal, plan, what happened."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Occurrence, Reflection
from tests.browser.conftest import (
    EMPLOYEE_EMAIL,
    HR_EMAIL,
    LANGUAGES,
    PHONE,
    page_checker,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def learner(make_person, language: str) -> User:
    """A fresh employee whose profile language is `language`, supervised like Tara Johnson."""
    return make_person(f"Learner {language}", like=EMPLOYEE_EMAIL, language=language)


def today_of(live_server, person: User) -> date:
    """Return today's date where `person` lives, as the app reckons it."""
    with live_server.app.app_context():
        today = today_for(db.session.get(User, person.id))
        db.session.remove()
    return today


def dates_of(live_server, goal_id: int) -> list[tuple[int, date]]:
    """Return (id, planned date) of every date planned for a goal, in date order."""
    with live_server.app.app_context():
        rows = db.session.execute(
            select(Occurrence.id, Occurrence.planned_on).join(Activity)
            .where(Activity.goal_id == goal_id).order_by(Occurrence.planned_on)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def reflection_visibility(live_server, occurrence_id: int) -> str | None:
    """Return who may read the reflection on a date ("private" or "shared"), if any."""
    with live_server.app.app_context():
        visibility = db.session.scalar(
            select(Reflection.visibility).filter_by(occurrence_id=occurrence_id))
        db.session.remove()
    return visibility


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_employee_plans_a_goal_and_records_what_happened_at_360px(
        new_context, live_server, learner, language):
    """At 360 px: write a goal, plan a fortnightly activity, mark past dates done/missed."""
    problems: list[str] = []
    checked = page_checker(language, problems)

    today = today_of(live_server, learner)
    title = f"Facilitate a QI meeting on my own ({language})"
    topic = f"Motivational interviewing ({language})"
    learned = f"Silence gives people time to think ({language})."
    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, learner.email)
    checked(page)

    # A goal of one's own: a title, a core value, a topic not in the catalogue; started.
    page.goto("/goals/new")
    checked(page)
    page.locator("#title").fill(title)
    page.locator(f"input[name=alignment_ids][value='{live_server.ids['value']}']").check()
    page.locator("#new_topic").fill(topic)
    page.locator("button[name=start][value='1']").click()
    expect(page).to_have_url(re.compile(r"/goals/\d+$"))
    goal_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
    checked(page)
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator("main")).to_contain_text(topic)
    # Started, not a draft: only an active goal offers "Pause".
    expect(page.locator(f"form[action='/goals/{goal_id}/status/pause']")).to_have_count(1)

    # Plan a peer session every 2 weeks, from 15 days ago to 60 days from now.
    page.locator(f"a[href='/goals/{goal_id}/activities/new']").first.click()
    expect(page).to_have_url(re.compile(rf"/goals/{goal_id}/activities/new$"))
    checked(page)
    page.locator("#kind").select_option("peer_learning")
    page.locator("#title").fill("Peer session with the Banconi QI team")
    page.locator("#starts_on").fill((today - timedelta(days=15)).isoformat())
    page.locator("#recurrence").select_option("fortnightly")
    page.locator("#until").fill((today + timedelta(days=60)).isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/goals/{goal_id}#plan$"))
    checked(page)
    planned = dates_of(live_server, goal_id)
    assert [day for _, day in planned] == [
        today + timedelta(days=n) for n in range(-15, 61, 14)]
    expect(page.locator("#plan .card li")).to_have_count(len(planned))
    (first, _), (second, _) = planned[:2]

    # My learning asks about the two past dates, oldest first.
    page.goto("/")
    checked(page)
    to_resolve = page.locator("section:has(#resolve-h)")
    expect(to_resolve.locator("li")).to_have_count(2)
    expect(to_resolve.locator("li").nth(0).locator(f"a[href='/occurrences/{first}']")) \
        .to_have_count(1)
    expect(to_resolve.locator("li").nth(1).locator(f"a[href='/occurrences/{second}']")) \
        .to_have_count(1)

    # The first happened: say so on its page, then write a private reflection.
    to_resolve.locator(f"a[href='/occurrences/{first}']").click()
    expect(page).to_have_url(re.compile(rf"/occurrences/{first}$"))
    checked(page)
    page.locator("input[name=outcome][value=done]").check()
    expect(page.locator("#happened_on")).to_have_value(planned[0][1].isoformat())
    page.locator(f"form[action='/occurrences/{first}'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/occurrences/{first}/reflection$"))
    checked(page)
    page.locator("#learned").fill(learned)
    expect(page.locator("input[name=visibility][value=private]")).to_be_checked()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/goals/{goal_id}#plan$"))
    assert reflection_visibility(live_server, first) == "private"

    # The second was missed: one tap on My learning.
    page.goto("/")
    expect(page.locator("section:has(#resolve-h) li")).to_have_count(1)
    page.locator(f"form[action='/occurrences/{second}/quick/missed'] button").click()
    # Already on "/" before the tap: the flash message tells the new page has loaded.
    expect(page.locator("main .alert[role=status]")).to_have_count(1)
    expect(page).to_have_url(live_server.url + "/")
    checked(page)
    expect(page.locator("#resolve-h")).to_have_count(0)

    # The goal's plan shows one date done (with the reflection, to its owner) and one missed.
    page.goto(f"/goals/{goal_id}")
    checked(page)
    done = page.locator(f"#plan li:has(a[href='/occurrences/{first}'])")
    missed = page.locator(f"#plan li:has(a[href='/occurrences/{second}'])")
    expect(done.locator(".badge.done")).to_have_count(1)
    expect(done.locator(".reflection")).to_contain_text(learned)
    expect(missed.locator(".badge.missed")).to_have_count(1)
    # "To resolve" badges share the .missed look: none is left, so exactly one of each.
    expect(page.locator("#plan .badge.done")).to_have_count(1)
    expect(page.locator("#plan .badge.missed")).to_have_count(1)

    # HR finds the new topic among the topics proposed by staff.
    hr = new_context(viewport=PHONE).new_page()
    sign_in(hr, HR_EMAIL)
    hr.goto("/catalog/skills")
    expect(hr.locator("#proposals li", has_text=topic)
           .locator("a[href^='/catalog/proposals/']")).to_have_count(1)

    assert not problems, "axe violations:\n" + "\n".join(problems)
