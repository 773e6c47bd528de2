"""The installed app and the people who share a phone: sign-out clears it, another person's
queue is never sent, and without JavaScript every form still works."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import EMPLOYEE_EMAIL, PHONE, sign_in
from tests.browser.offline_steps import (
    CONTROLLED,
    INSTALL_MS,
    KEPT,
    QUEUED,
    WORDS,
    field_worker,
    offline_on_the_plan,
    recorded,
    row,
)


def test_sign_out_clears_the_device(new_context, live_server, make_person):
    """Signing out deletes the person's kept pages and waiting actions; nothing is sent."""
    words = WORDS["en"]
    _, dates, context, page = offline_on_the_plan(new_context, live_server, make_person)
    row(page, 1).get_by_role("button", name=words["missed"]).click()
    page.wait_for_load_state()
    page.route("**/offline/state", lambda route: route.abort())  # nothing can be sent yet
    context.set_offline(False)
    page.goto("/")
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/auth/login")
    assert not page.evaluate(KEPT, "/plan")
    assert page.evaluate("() => caches.keys()").count("pd-pages-") == 0
    assert page.evaluate(QUEUED) == 0
    page.unroute("**/offline/state")
    page.wait_for_function(CONTROLLED, timeout=INSTALL_MS)
    context.set_offline(True)
    page.goto("/plan")
    expect(page.locator("h1")).to_have_text(words["unavailable"])
    context.set_offline(False)
    assert recorded(live_server, dates)[1] == ("planned", 0, 0)


def test_a_queue_left_by_someone_else_is_never_sent(new_context, live_server, make_person):
    """A person's session ends (it expired) with an action waiting; the next person to sign
    in on the phone does not send it: it is dropped, the server never has it."""
    words = WORDS["en"]
    _, dates, context, page = offline_on_the_plan(new_context, live_server, make_person)
    row(page, 1).get_by_role("button", name=words["missed"]).click()
    page.wait_for_load_state()
    context.clear_cookies()  # the session is gone, as when it expires
    context.set_offline(False)
    page.goto("/auth/login")
    assert page.evaluate(QUEUED) == 1  # nobody signed in: kept, not sent
    other = make_person(like=EMPLOYEE_EMAIL)
    sign_in(page, other.email)
    page.wait_for_function(f"() => ({QUEUED})().then(n => n === 0)")
    assert recorded(live_server, dates)[1] == ("planned", 0, 0)


def test_a_date_done_with_a_reflection_without_javascript(new_context, live_server,
                                                          make_person):
    """With JavaScript off, the plan's "Done, with a reflection" still records both."""
    person, dates = field_worker(live_server, make_person, "en")
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    sign_in(page, person.email)
    page.goto("/plan")
    first = row(page, 0)
    first.locator("summary").click()
    first.locator("textarea[name=learned]").fill("Start with the data.")
    first.locator("details button[type=submit]").click()
    page.wait_for_load_state()
    assert recorded(live_server, dates)[0] == ("done", 1, 0)
