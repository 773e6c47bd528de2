"""Learning exchanges on a phone, in English and French: record, lesson, share-back, adopt."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.exchanges import services
from pdplanner.extensions import db
from tests.browser.conftest import (
    EMPLOYEE_EMAIL,
    LANGUAGES,
    PHONE,
    field_problems,
    page_checker,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def traveller(make_person, language: str) -> User:
    """A fresh employee whose profile language is `language`, supervised like Tara Johnson."""
    return make_person(f"Traveller {language}", like=EMPLOYEE_EMAIL, language=language)


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_employee_records_an_exchange_shares_it_back_and_adopts_its_lesson_at_360px(
        new_context, live_server, traveller, language):
    """At 360 px: record an exchange, add a lesson, share back, find and adopt the lesson."""
    problems: list[str] = []
    checked = page_checker(language, problems)

    with live_server.app.app_context():
        today = today_for(db.session.get(User, traveller.id))
        db.session.remove()
    title = f"Joint training on patient safety ({language})"
    lesson_title = f"Ten-minute safety huddles ({language})"
    idea = f"Hold a daily safety huddle at the health centre ({language})"
    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, traveller.email)

    # Record the exchange: a title, its kind, its first day and an external participant.
    page.goto("/exchanges")
    checked(page)
    page.locator("main a[href='/exchanges/new']").click()
    expect(page).to_have_url(re.compile(r"/exchanges/new$"))
    checked(page)
    page.locator("#title").fill(title)
    page.locator("#kind").select_option("joint_training")
    page.locator("#starts_on").fill((today - timedelta(days=3)).isoformat())
    page.locator("#externals").fill("Dr Awa Sow, Santé Plus")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/exchanges/\d+$"))
    exchange_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
    checked(page)
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("main dl")).to_contain_text("Dr Awa Sow (Santé Plus)")
    expect(page.locator("main dl")).to_contain_text(traveller.name)

    # A lesson, whose "what works" speaks of "Sécurité" (with its accents).
    lesson_form = page.locator("form:has(input[name=form][value=lesson])")
    lesson_form.locator("#title").fill(lesson_title)
    lesson_form.locator("#what_worked").fill("Sécurité : dix minutes chaque matin suffisent.")
    lesson_form.locator("#idea").fill(idea)
    lesson_form.locator("button[type=submit]").click()
    lesson_link = page.locator("#lessons .card h3 a")
    expect(lesson_link).to_have_text(lesson_title)
    expect(page).to_have_url(re.compile(rf"/exchanges/{exchange_id}$"))
    checked(page)
    lesson_id = int(lesson_link.get_attribute("href").rsplit("/", 1)[1])

    # The share-back: a session with the team, today, and who attended.
    share_form = page.locator("form:has(input[name=form][value=share_back])")
    share_form.locator("input[name=kind][value=session]").check()
    expect(share_form.locator("#done_on")).to_have_value(today.isoformat())
    share_form.locator("#attendees").fill("The Banconi QI team")
    share_form.locator("button[type=submit]").click()
    expect(page.locator("#share-back .badge.done")).to_have_count(1)
    expect(page).to_have_url(re.compile(rf"/exchanges/{exchange_id}$"))
    checked(page)
    expect(page.locator("form:has(input[name=form][value=share_back])")).to_have_count(0)
    expect(page.locator("#share-back")).to_contain_text("The Banconi QI team")

    # The library finds the lesson by a word typed without its accents.
    page.goto("/lessons")
    checked(page)
    page.locator("#q").fill("securite")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/lessons\?(.*&)?q=securite(&|$)"))
    checked(page)
    found = page.locator(f"main .items a[href='/lessons/{lesson_id}']")
    expect(found).to_have_text(lesson_title)

    # Try it: the lesson's idea becomes one of the traveller's goals.
    found.click()
    expect(page).to_have_url(re.compile(rf"/lessons/{lesson_id}$"))
    checked(page)
    page.locator(f"main a[href='/lessons/{lesson_id}/adopt']").click()
    checked(page)  # the new goal's questions, starting from the lesson, private by default
    expect(page.locator("#title")).to_have_value(idea)
    expect(page.locator("input[name=visibility][value=private]")).to_be_checked()
    page.locator("main button[name=start][value='1']").click()
    expect(page).to_have_url(re.compile(r"/goals/\d+$"))
    checked(page)
    expect(page.locator("h1")).to_contain_text(idea)

    assert not problems, "axe violations:\n" + "\n".join(problems)


def test_exchange_page_fields_have_labels_and_unique_ids_for_its_creator(
        new_context, live_server, make_person):
    """Its creator's exchange page (lesson, share-back, follow-up forms) labels every field once."""
    creator = make_person("Exchange creator", like=EMPLOYEE_EMAIL)
    with live_server.app.app_context():
        person = db.session.get(User, creator.id)
        exchange = services.save_exchange(person, None, services.ExchangeData(
            title="QI visit to Santé Plus", kind="visit_to",
            starts_on=today_for(person) - timedelta(days=2), ends_on=None,
            externals="Dr Awa Sow, Santé Plus"))
        path = f"/exchanges/{exchange.id}"
        db.session.remove()
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, creator.email)
    page.goto(path)
    expect(page.locator("form:has(input[name=form][value=follow_up])")).to_have_count(1)
    problems = field_problems(path, page)
    assert not problems, "form fields:\n" + "\n".join(problems)

