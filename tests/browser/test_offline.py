"""The installed app offline, in Chromium at 360 px: read, act, send once, sign out clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.extensions import db
from pdplanner.idempotency import DeviceAction
from pdplanner.learning import goals, plans
from pdplanner.learning.goals import GoalData
from pdplanner.learning.models import Occurrence, Reflection
from pdplanner.learning.plans import ActivityData
from tests.browser.conftest import EMPLOYEE_EMAIL, LANGUAGES, PHONE, axe_problems, sign_in

#: The words each language shows (the French catalogue is complete: test_i18n).
WORDS = {
    "en": {"reflect": "Done, with a reflection", "save": "Save as done", "missed": "Missed",
           "waiting": "waiting to send", "offline": "Offline — this page was last updated",
           "unavailable": "Not available offline", "moved": "This date was moved to",
           "send": "Send now"},
    "fr": {"reflect": "Réalisée, avec une réflexion", "save": "Enregistrer comme réalisée",
           "missed": "Manquée", "waiting": "en attente d’envoi",
           "offline": "Hors connexion — cette page a été mise à jour",
           "unavailable": "Non disponible hors connexion",
           "moved": "Cette date a été déplacée au", "send": "Envoyer maintenant"},
}
#: Tell whether the service worker keeps a copy of `path` for the signed-in person.
KEPT = """async (path) => {
  for (const name of await caches.keys()) {
    if (name.startsWith('pd-pages-') && await (await caches.open(name)).match(path)) return true;
  }
  return false;
}"""
QUEUED = "() => pdQueue.all().then(actions => actions.length)"


def _field_worker(live_server, make_person, language: str) -> tuple[User, list[int]]:
    """A person with a goal and two past dates still to resolve; the dates' ids."""
    person = make_person(like=EMPLOYEE_EMAIL, language=language)
    with live_server.app.app_context():
        owner = db.session.get(User, person.id)
        goal = goals.create_goal(owner, GoalData(title="Run the QI meeting"), start=True)
        today = today_for(owner)
        activity = plans.add_activity(owner, goal, ActivityData(
            kind="peer_learning", title="Clinic peer session",
            starts_on=today - timedelta(days=15), recurrence="weekly",
            until=today - timedelta(days=8)))
        ids = [o.id for o in activity.occurrences]
        db.session.remove()
    return person, ids


def _installed(page: Page) -> None:
    """Wait until the service worker controls the page and has kept a copy of it."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(KEPT, arg="/plan")


def _row(page: Page, index: int):
    """The plan's n-th date still to resolve."""
    return page.locator("main ul.items").first.locator(":scope > li").nth(index)


def _recorded(live_server, occurrence_ids: list[int]) -> list[tuple[str, int, int]]:
    """Each date's status, its reflections and the device actions recorded for it."""
    with live_server.app.app_context():
        rows = []
        for occurrence_id in occurrence_ids:
            status = db.session.get(Occurrence, occurrence_id).status
            reflections = db.session.scalar(select(func.count()).select_from(Reflection)
                                            .filter_by(occurrence_id=occurrence_id))
            actions = db.session.scalar(select(func.count()).select_from(DeviceAction).where(
                DeviceAction.action.like(f"%:{occurrence_id}:%")))
            rows.append((str(status), reflections, actions))
        db.session.remove()
    return rows


def _act_offline(page: Page, words: dict) -> None:
    """Offline: the first date done with a reflection, the second missed."""
    first = _row(page, 0)
    first.locator("summary").click()
    first.locator("textarea[name=learned]").fill("Ask the open question first.")
    first.locator("details button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#device-queue")).to_contain_text(words["waiting"])
    _row(page, 1).get_by_role("button", name=words["missed"]).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_plan_read_and_acted_on_offline_is_sent_once_on_reconnect(new_context, live_server,
                                                                  make_person, language):
    """Plan visited online; offline one date done with a reflection and one missed, both
    waiting after a reload; online again, the server has each exactly once."""
    words = WORDS[language]
    person, dates = _field_worker(live_server, make_person, language)
    context = new_context(viewport=PHONE, locale=LANGUAGES[language])
    page = context.new_page()
    sign_in(page, person.email)
    page.goto("/plan")
    _installed(page)
    context.set_offline(True)
    page.reload()
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator("#offline-notice")).to_contain_text(words["offline"])
    _act_offline(page, words)
    page.reload()
    queue = page.locator("#device-queue")
    expect(queue.locator("li")).to_have_count(2)
    expect(queue.locator("li.waiting, li:has(.waiting)")).to_have_count(2)
    assert _recorded(live_server, dates) == [("planned", 0, 0), ("planned", 0, 0)]
    context.set_offline(False)
    expect(queue.locator("li")).to_have_count(0)
    assert _recorded(live_server, dates) == [("done", 1, 1), ("missed", 0, 1)]


def _offline_on_the_plan(new_context, live_server, make_person, language="en"):
    """Sign in a field worker on a phone, open the plan, install, and go offline."""
    person, dates = _field_worker(live_server, make_person, language)
    context = new_context(viewport=PHONE, locale=LANGUAGES[language])
    page = context.new_page()
    sign_in(page, person.email)
    page.goto("/plan")
    _installed(page)
    context.set_offline(True)
    page.reload()
    return person, dates, context, page


def test_connection_dropping_mid_send_still_records_each_action_once(new_context, live_server,
                                                                     make_person):
    """The server records the first action but its answer is lost: the device sends it again
    with the same key, and the server has each action exactly once."""
    words = WORDS["en"]
    _, dates, context, page = _offline_on_the_plan(new_context, live_server, make_person)
    _act_offline(page, words)
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
    assert _recorded(live_server, dates) == [("done", 1, 1), ("missed", 0, 1)]


def test_a_date_moved_meanwhile_is_refused_and_the_device_says_why(new_context, live_server,
                                                                   make_person):
    """Marked done offline, moved online by then: refused, and the phone shows the reason."""
    words = WORDS["fr"]
    person, dates, context, page = _offline_on_the_plan(new_context, live_server, make_person,
                                                        "fr")
    _row(page, 0).get_by_role("button", name=words["missed"]).click()
    page.wait_for_load_state()
    with live_server.app.app_context():
        owner = db.session.get(User, person.id)
        plans.reschedule(owner, db.session.get(Occurrence, dates[0]),
                         today_for(owner) + timedelta(days=2))
        db.session.remove()
    context.set_offline(False)
    refused = page.locator("#device-queue li .refused")
    expect(refused).to_contain_text(words["moved"])
    assert _recorded(live_server, dates)[0] == ("rescheduled", 0, 1)


def test_sign_out_clears_the_device(new_context, live_server, make_person):
    """Signing out deletes the person's kept pages and waiting actions; nothing is sent."""
    words = WORDS["en"]
    _, dates, context, page = _offline_on_the_plan(new_context, live_server, make_person)
    _row(page, 1).get_by_role("button", name=words["missed"]).click()
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
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.goto("/plan")
    expect(page.locator("h1")).to_have_text(words["unavailable"])
    context.set_offline(False)
    assert _recorded(live_server, dates)[1] == ("planned", 0, 0)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_page_never_opened_says_it_is_unavailable_offline(new_context, live_server,
                                                             make_person, language):
    """Offline, a goal page never opened on this phone says so plainly, in the language."""
    _, _, _, page = _offline_on_the_plan(new_context, live_server, make_person, language)
    goal_link = page.locator("main a[href^='/goals/']").first.get_attribute("href")
    page.goto(goal_link)
    expect(page.locator("h1")).to_have_text(WORDS[language]["unavailable"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_offline_notices_have_no_serious_accessibility_problem(new_context, live_server,
                                                               make_person, language):
    """axe finds nothing serious on the offline plan (notice and queue) or the unavailable
    page."""
    _, _, _, page = _offline_on_the_plan(new_context, live_server, make_person, language)
    _row(page, 1).get_by_role("button", name=WORDS[language]["missed"]).click()
    page.wait_for_load_state()
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator("#device-queue")).to_be_visible()
    problems = axe_problems(f"[{language}] offline /plan", page)
    page.goto("/goals")
    page.goto("/sessions/999999")
    expect(page.locator("h1")).to_have_text(WORDS[language]["unavailable"])
    problems += axe_problems(f"[{language}] not available offline", page)
    assert not problems, "\n".join(problems)


def test_a_queue_left_by_someone_else_is_never_sent(new_context, live_server, make_person):
    """A person's session ends (it expired) with an action waiting; the next person to sign
    in on the phone does not send it: it is dropped, the server never has it."""
    words = WORDS["en"]
    _, dates, context, page = _offline_on_the_plan(new_context, live_server, make_person)
    _row(page, 1).get_by_role("button", name=words["missed"]).click()
    page.wait_for_load_state()
    context.clear_cookies()  # the session is gone, as when it expires
    context.set_offline(False)
    page.goto("/auth/login")
    assert page.evaluate(QUEUED) == 1  # nobody signed in: kept, not sent
    other = make_person(like=EMPLOYEE_EMAIL)
    sign_in(page, other.email)
    page.wait_for_function(f"() => ({QUEUED})().then(n => n === 0)")
    assert _recorded(live_server, dates)[1] == ("planned", 0, 0)


def test_a_date_done_with_a_reflection_without_javascript(new_context, live_server,
                                                          make_person):
    """With JavaScript off, the plan's "Done, with a reflection" still records both."""
    person, dates = _field_worker(live_server, make_person, "en")
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    sign_in(page, person.email)
    page.goto("/plan")
    first = _row(page, 0)
    first.locator("summary").click()
    first.locator("textarea[name=learned]").fill("Start with the data.")
    first.locator("details button[type=submit]").click()
    page.wait_for_load_state()
    assert _recorded(live_server, dates)[0] == ("done", 1, 0)


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
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"/sessions/{session_id}")
    page.wait_for_function(KEPT, arg=f"/sessions/{session_id}")
    context.set_offline(True)
    page.goto("/")
    page.goto(f"/sessions/{session_id}")
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Cold chain at Kati")
