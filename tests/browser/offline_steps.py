"""Steps shared by the offline browser tests: a field worker, the installed app, the plan."""

from __future__ import annotations

from datetime import timedelta

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
from tests.browser.conftest import EMPLOYEE_EMAIL, LANGUAGES, PHONE, sign_in

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
CONTROLLED = "() => navigator.serviceWorker.controller !== null"
#: Installing fetches the app's files and offline pages: on a busy machine, allow for it.
INSTALL_MS = 30_000


def field_worker(live_server, make_person, language: str) -> tuple[User, list[int]]:
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


def installed(page: Page) -> None:
    """Wait until the service worker controls the page and has kept a copy of it."""
    page.wait_for_function(CONTROLLED, timeout=INSTALL_MS)
    page.wait_for_function(KEPT, arg="/plan", timeout=INSTALL_MS)


def row(page: Page, index: int):
    """The plan's n-th date still to resolve."""
    return page.locator("main ul.items").first.locator(":scope > li").nth(index)


def recorded(live_server, occurrence_ids: list[int]) -> list[tuple[str, int, int]]:
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


def act_offline(page: Page, words: dict) -> None:
    """Offline: the first date done with a reflection, the second missed."""
    first = row(page, 0)
    first.locator("summary").click()
    first.locator("textarea[name=learned]").fill("Ask the open question first.")
    first.locator("details button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#device-queue")).to_contain_text(words["waiting"])
    row(page, 1).get_by_role("button", name=words["missed"]).click()
    page.wait_for_load_state()


def offline_on_the_plan(new_context, live_server, make_person, language="en"):
    """Sign in a field worker on a phone, open the plan, install, and go offline."""
    person, dates = field_worker(live_server, make_person, language)
    context = new_context(viewport=PHONE, locale=LANGUAGES[language])
    page = context.new_page()
    sign_in(page, person.email)
    page.goto("/plan")
    installed(page)
    context.set_offline(True)
    page.reload()
    return person, dates, context, page
