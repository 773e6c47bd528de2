"""On a 360 px phone, in English and French: form controls, facts and the menu fit the hand."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pdplanner.extensions import db
from pdplanner.learning.models import Goal
from tests.browser.conftest import EMPLOYEE_EMAIL, LANGUAGES, PHONE, page_checker, sign_in

pytestmark = pytest.mark.browser

#: Each checkbox and radio in <main>: its size, and how far its top sits from its label's.
BOXES = """() => [...document.querySelectorAll('main input[type=checkbox], main input[type=radio]')]
  .filter(el => el.labels.length).map(el => {
    const box = el.getBoundingClientRect(), label = el.labels[0].getBoundingClientRect();
    return {name: el.labels[0].textContent.trim(), width: box.width, height: box.height,
            offset: box.top - label.top, lines: Math.round(label.height /
              parseFloat(getComputedStyle(el.labels[0]).lineHeight))};
  })"""


@pytest.fixture
def phone(new_context, make_person, language):
    """A signed-in employee's page at 360 px in `language`, and that person."""
    person = make_person(f"Phone user {language}", like=EMPLOYEE_EMAIL, language=language)
    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, person.email)
    return page, person


def a_goal(live_server, person) -> int:
    """Give `person` a shared goal with a why and a success measure; return its id."""
    with live_server.app.app_context():
        goal = Goal(owner_id=person.id, title="Run a QI meeting", status="active",
                    visibility="shared", why="The team asked for it.", success="Two meetings.")
        db.session.add(goal)
        db.session.commit()
        goal_id = goal.id
        db.session.remove()
    return goal_id


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_checkboxes_and_radios_keep_size_and_line_beside_wrapping_labels_at_360px(
        phone, language):
    """On the goal form every box is 1.2rem square and level with its label's first line."""
    page, _ = phone
    page.goto("/goals/new")
    boxes = page.evaluate(BOXES)
    assert any(box["lines"] > 1 for box in boxes), "no label wraps: the test proves nothing"
    wrong = [box for box in boxes if abs(box["width"] - 19.2) > 0.5
             or abs(box["height"] - 19.2) > 0.5 or not 0 <= box["offset"] <= 6]
    assert not wrong, wrong


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_time_field_is_styled_like_the_date_field_at_360px(phone, live_server, language):
    """On the activity form the time field is as wide and as framed as the date field."""
    page, person = phone
    page.goto(f"/goals/{a_goal(live_server, person)}/activities/new")
    style = """el => { const s = getComputedStyle(el); return [el.getBoundingClientRect().width,
                       s.paddingTop, s.borderTopWidth, s.borderRadius]; }"""
    date = page.locator("main input[type=date]").first.evaluate(style)
    time = page.locator("main input[type=time]").first.evaluate(style)
    assert time == date


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_goal_facts_are_one_column_at_360px(phone, live_server, language):
    """On a goal's page each detail sits under its name, using the card's whole width."""
    page, person = phone
    page.goto(f"/goals/{a_goal(live_server, person)}")
    facts = page.locator("dl.facts").first
    pairs = facts.evaluate("""dl => [...dl.querySelectorAll('dt')].map(dt => {
        const t = dt.getBoundingClientRect(), d = dt.nextElementSibling.getBoundingClientRect();
        return [d.left - t.left, d.top >= t.bottom - 1, d.width];
    })""")
    assert pairs and all(left == 0 and below and width > 250 for left, below, width in pairs), \
        pairs


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_menu_is_one_line_and_marks_the_current_page_at_360px(phone, new_context, language):
    """The menu folds into one button (no JavaScript), holds the desktop's links, marks where
    one is."""
    problems: list[str] = []
    page, person = phone
    checked = page_checker(language, problems)
    page.goto("/goals")
    checked(page)
    nav = page.get_by_role("navigation")
    assert page.locator("header.site").bounding_box()["height"] < 70
    expect(nav.locator("a").first).to_be_hidden()
    nav.locator("summary").click()
    expect(nav.locator("a").first).to_be_visible()
    current = nav.locator("a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", "/goals")
    links = nav.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    checked(page)
    desktop = new_context(locale=LANGUAGES[language]).new_page()
    sign_in(desktop, person.email)
    desktop_nav = desktop.get_by_role("navigation")
    expect(desktop_nav.locator("summary")).to_be_hidden()
    expect(desktop_nav.locator("a").first).to_be_visible()
    assert desktop_nav.locator("a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))") == links
    expect(desktop_nav.locator("a[aria-current=page]")).to_have_attribute("href", "/")
    assert not problems, problems
