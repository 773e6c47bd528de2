"""The installed app offline, in Chromium at 360 px: read, act, send once, refused clearly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.extensions import db
from pdplanner.learning import plans
from pdplanner.learning.models import Occurrence
from tests.browser.conftest import EMPLOYEE_EMAIL, PHONE, axe_problems, sign_in
from tests.browser.offline_steps import (
    INSTALL_MS,
    KEPT,
    WORDS,
    act_offline,
    installed,
    offline_on_the_plan,
    recorded,
    row,
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_plan_read_and_acted_on_offline_is_sent_once_on_reconnect(new_context, live_server,
                                                                  make_person, language):
    """Plan visited online; offline one date done with a reflection and one missed, both
    waiting after a reload; online again, the server has each exactly once."""
    words = WORDS[language]
    person, dates, context, page = offline_on_the_plan(new_context, live_server, make_person,
                                                       language)
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator("#offline-notice")).to_contain_text(words["offline"])
    act_offline(page, words)
    page.reload()
    queue = page.locator("#device-queue")
    expect(queue.locator("li")).to_have_count(2)
    expect(queue.locator("li:has(.waiting)")).to_have_count(2)
    expect(row(page, 0).locator(".badge.waiting")).to_have_text(words["waiting"])
    expect(row(page, 1).locator(".badge.waiting")).to_have_text(words["waiting"])
    assert recorded(live_server, dates) == [("planned", 0, 0), ("planned", 0, 0)]
    context.set_offline(False)
    expect(queue.locator("li")).to_have_count(0)
    assert recorded(live_server, dates) == [("done", 1, 1), ("missed", 0, 1)]


def test_connection_dropping_mid_send_still_records_each_action_once(new_context, live_server,
                                                                     make_person):
    """The server records the first action but its answer is lost: the device sends it again
    with the same key, and the server has each action exactly once."""
    words = WORDS["en"]
    _, dates, context, page = offline_on_the_plan(new_context, live_server, make_person)
    act_offline(page, words)
    dropped = []

    def drop_the_answer(route):
        if not dropped:
            dropped.append(route.fetch())  # the server gets it; the device never hears back
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/offline/actions", drop_the_answer)
    with page.expect_event("requestfailed"):
        context.set_offline(False)  # back online: the page sends at once
    assert dropped and dropped[0].status == 200
    expect(page.locator("#device-queue li")).to_have_count(2)
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator("#device-queue li")).to_have_count(0)
    assert recorded(live_server, dates) == [("done", 1, 1), ("missed", 0, 1)]


def test_a_date_moved_meanwhile_is_refused_and_the_device_says_why(new_context, live_server,
                                                                   make_person):
    """Marked done offline, moved online by then: refused, and the phone shows the reason."""
    words = WORDS["fr"]
    person, dates, context, page = offline_on_the_plan(new_context, live_server, make_person,
                                                        "fr")
    row(page, 0).get_by_role("button", name=words["missed"]).click()
    page.wait_for_load_state()
    with live_server.app.app_context():
        owner = db.session.get(User, person.id)
        plans.reschedule(owner, db.session.get(Occurrence, dates[0]),
                         today_for(owner) + timedelta(days=2))
        db.session.remove()
    context.set_offline(False)
    refused = page.locator("#device-queue li .refused")
    expect(refused).to_contain_text(words["moved"])
    assert recorded(live_server, dates)[0] == ("rescheduled", 0, 1)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_page_never_opened_says_it_is_unavailable_offline(new_context, live_server,
                                                             make_person, language):
    """Offline, a goal page never opened on this phone says so plainly, in the language."""
    _, _, _, page = offline_on_the_plan(new_context, live_server, make_person, language)
    goal_link = page.locator("main a[href^='/goals/']").first.get_attribute("href")
    page.goto(goal_link)
    expect(page.locator("h1")).to_have_text(WORDS[language]["unavailable"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_offline_notices_have_no_serious_accessibility_problem(new_context, live_server,
                                                               make_person, language):
    """axe finds nothing serious on the offline plan (notice and queue) or the unavailable
    page."""
    _, _, _, page = offline_on_the_plan(new_context, live_server, make_person, language)
    row(page, 1).get_by_role("button", name=WORDS[language]["missed"]).click()
    page.wait_for_load_state()
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator("#device-queue")).to_be_visible()
    problems = axe_problems(f"[{language}] offline /plan", page)
    page.goto("/goals")
    page.goto("/sessions/999999")
    expect(page.locator("h1")).to_have_text(WORDS[language]["unavailable"])
    problems += axe_problems(f"[{language}] not available offline", page)
    assert not problems, "\n".join(problems)


def test_the_next_sessions_agenda_opened_online_reads_offline(new_context, live_server,
                                                              make_person):
    """From My learning to the next supervision session: offline, its agenda still shows."""
    from datetime import UTC, datetime

    from pdplanner.supervision import sessions
    from pdplanner.supervision.models import Session

    supervisor = make_person("Field supervisor")
    person = make_person(like=EMPLOYEE_EMAIL, supervisor_id=supervisor.id)
    with live_server.app.app_context():
        session = Session(supervisor_id=supervisor.id, report_id=person.id,
                          starts_at=datetime.now(UTC) + timedelta(days=3))
        db.session.add(session)
        db.session.commit()
        sessions.add_item(db.session.get(User, person.id), session, "Cold chain at Kati")
        session_id = session.id
        db.session.remove()
    context = new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, person.email)
    page.goto("/plan")
    installed(page)
    page.goto(f"/sessions/{session_id}")
    page.wait_for_function(KEPT, arg=f"/sessions/{session_id}", timeout=INSTALL_MS)
    context.set_offline(True)
    page.goto("/")
    page.goto(f"/sessions/{session_id}")
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Cold chain at Kati")
