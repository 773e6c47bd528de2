"""Phone layout: at 360 px nothing scrolls sideways except tables in their own wrapper."""

from __future__ import annotations

import pytest

from pdplanner.extensions import db
from pdplanner.reminders.models import OutboxMessage
from tests.browser.conftest import (
    EMPLOYEE_EMAIL,
    FRENCH_STAFF_EMAIL,
    HR_EMAIL,
    LANGUAGES,
    PHONE,
    SUPERVISOR_EMAIL,
    sign_in,
)

pytestmark = pytest.mark.browser

#: Measure the page; name the outermost elements sticking out to the right (ignoring
#: anything inside a `.table-wrap`, which scrolls on its own) and tables left unwrapped.
MEASURE = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth + 1;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-wrap') || el.getBoundingClientRect().right <= limit) continue;
    if (!culprits.some(c => c.contains(el))) culprits.push(el);
  }
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('')
    + ' "' + el.textContent.trim().slice(0, 40) + '"'
    + ' (right=' + Math.round(el.getBoundingClientRect().right) + ')';
  const tables = [...document.querySelectorAll('table')];
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    culprits: culprits.slice(0, 5).map(name),
    bareTables: tables.filter(t => !t.closest('.table-wrap')).length,
  };
}"""

#: Name the links of stacked tables' first column that something else covers at their centre.
COVERED_LINKS = """() => [...document.querySelectorAll('table.stack tbody td:first-child a')]
  .flatMap(a => {
    a.scrollIntoView({block: 'center'});
    const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && a.contains(hit)) return [];
    return [a.textContent.trim() + ' under ' + (hit ? hit.outerHTML.slice(0, 60) : 'nothing')];
  })"""


def overflow(path: str, page) -> list[str]:
    """Describe how `page` scrolls sideways at its current width (empty if it does not)."""
    size = page.evaluate(MEASURE)
    problems = []
    if size["scrollWidth"] > size["clientWidth"] + 1:
        problems.append(f"{path}: scrollWidth {size['scrollWidth']} > clientWidth "
                        f"{size['clientWidth']}; sticking out: {size['culprits']}")
    if size["bareTables"]:
        problems.append(f"{path}: {size['bareTables']} table(s) outside a .table-wrap")
    return problems


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_no_page_scrolls_horizontally_at_360px(tour, language):
    """At 360 px no page is wider than the screen; tables scroll inside .table-wrap."""
    problems = []
    for path, page in tour(language, PHONE):
        problems += overflow(path, page)
    assert not problems, "horizontal scrolling at 360 px:\n" + "\n".join(problems)


def test_outbox_message_does_not_scroll_horizontally_at_360px(new_context, live_server,
                                                              make_person):
    """At 360 px an admin reads a queued reminder's mail without scrolling sideways."""
    admin = make_person("Layout admin", like=HR_EMAIL, is_admin=True)
    with live_server.app.app_context():
        message = OutboxMessage(dedupe_key=f"layout:{admin.id}", kind="no_goal",
                                user_id=admin.id, to_address=admin.email,
                                message_id=f"<layout{admin.id}@pdplanner>")
        db.session.add(message)
        db.session.commit()
        path = f"/admin/outbox/{message.id}"
        db.session.remove()
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, admin.email)
    page.goto(path)
    problems = overflow(path, page)
    assert not problems, "horizontal scrolling at 360 px:\n" + "\n".join(problems)


def test_insights_do_not_scroll_horizontally_in_french_at_360px(new_context, make_person):
    """At 360 px the French dashboard fits the screen and its charts' labels stay readable."""
    hr = make_person("Layout HR fr", like=HR_EMAIL, is_hr=True, language="fr")
    page = new_context(locale=LANGUAGES["fr"], viewport=PHONE).new_page()
    sign_in(page, hr.email)
    page.goto("/insights")
    problems = overflow("/insights", page)
    assert not problems, "horizontal scrolling at 360 px:\n" + "\n".join(problems)
    # The charts' labels are drawn at a size one can read on the phone (not shrunk to 6 px).
    sizes = page.evaluate("""() => [...document.querySelectorAll('figure.chart > svg')].map(svg =>
      svg.getBoundingClientRect().width / svg.viewBox.baseVal.width
      * parseFloat(svg.querySelector('text').getAttribute('font-size')))""")
    assert len(sizes) == 2 and min(sizes) >= 11, sizes


@pytest.mark.parametrize("email", [HR_EMAIL, FRENCH_STAFF_EMAIL], ids=["en", "fr"])
def test_profile_does_not_scroll_horizontally_at_360px(new_context, email):
    """At 360 px the profile of a demo person with a long, unbreakable e-mail still fits."""
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, email)
    page.goto("/profile")
    problems = overflow("/profile", page)
    assert not problems, "horizontal scrolling at 360 px:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "fr"], ids=str)
def test_my_team_names_can_be_tapped_at_360px(new_context, make_person, language):
    """At 360 px nothing covers the names on My team, whose table stacks into cards."""
    supervisor = make_person(f"Layout supervisor {language}", like=SUPERVISOR_EMAIL,
                             language=language)
    make_person(f"Layout report {language}", like=EMPLOYEE_EMAIL, supervisor_id=supervisor.id,
                language=language)
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, supervisor.email)
    page.goto("/team")
    assert page.locator("table.stack tbody td:first-child a").count() == 1
    covered = page.evaluate(COVERED_LINKS)
    assert not covered, "covered links on /team at 360 px:\n" + "\n".join(covered)


def test_long_unbroken_words_wrap_at_360px(new_context, live_server, make_person):
    """A goal and an activity titled with one 180-letter word (or a URL) still fit the phone."""
    from pdplanner.learning.models import Activity, Goal, Occurrence
    from pdplanner.types import today_in

    person = make_person("Layout long words", like=EMPLOYEE_EMAIL, timezone="UTC")
    word = "Renforcement" * 15  # 180 letters, no space to break at
    with live_server.app.app_context():
        today = today_in("UTC")
        goal = Goal(owner_id=person.id, title=word, status="active", visibility="shared",
                    why="https://example.org/" + "a" * 150)
        activity = Activity(goal=goal, kind="reading", title=word, starts_on=today)
        activity.occurrences = [Occurrence(planned_on=today)]
        db.session.add_all([goal, activity])
        db.session.commit()
        paths = ["/", "/goals", f"/goals/{goal.id}", "/plan"]
        db.session.remove()
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, person.email)
    problems = []
    for path in paths:
        page.goto(path)
        problems += overflow(path, page)
    assert not problems, "horizontal scrolling at 360 px:\n" + "\n".join(problems)
