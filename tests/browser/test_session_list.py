"""A supervisor's sessions on a phone, in English and French: in order, held early, way back."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import timezone_of, today_for
from pdplanner.extensions import db
from pdplanner.supervision.cadence import local_to_utc
from pdplanner.supervision.models import Session
from tests.browser.conftest import (
    EMPLOYEE_EMAIL,
    LANGUAGES,
    PHONE,
    SUPERVISOR_EMAIL,
    page_checker,
    sign_in,
)

pytestmark = pytest.mark.browser

HEADINGS = {"en": ["Next session", "Coming sessions", "Past sessions"],
            "fr": ["Prochaine séance", "Séances à venir", "Séances passées"]}
BACK = {"en": ("← Sessions", "← My team"), "fr": ("← Séances", "← Mon équipe")}
GOALS = {"en": "Goals", "fr": "Objectifs"}
HELD = {"en": "Mark as held", "fr": "Marquer comme tenue"}


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_supervisor_reads_sessions_in_order_holds_one_early_and_finds_the_way_back_at_360px(
        new_context, make_person, live_server, language):
    """Next session first, then coming, then past; tomorrow's held only once confirmed; the
    report's page leads back to the sessions, and they to My team."""
    problems: list[str] = []
    checked = page_checker(language, problems)
    supervisor = make_person(f"Order supervisor {language}", like=SUPERVISOR_EMAIL,
                             language=language)
    report = make_person(f"Order report {language}", like=EMPLOYEE_EMAIL,
                         supervisor_id=supervisor.id, language=language)
    with live_server.app.app_context():
        boss = db.session.get(User, supervisor.id)
        today, zone = today_for(boss), timezone_of(boss)
        rows = {days: Session(supervisor_id=supervisor.id, report_id=report.id,
                              starts_at=local_to_utc(today + timedelta(days=days), time(10),
                                                     zone)) for days in (30, 1, -14, 9)}
        db.session.add_all(rows.values())
        db.session.commit()
        ids = {days: row.id for days, row in rows.items()}
        db.session.remove()

    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, supervisor.email)
    page.goto("/team")
    page.locator(f"main a[href='/team/{report.id}/sessions']").click()
    checked(page)
    expect(page.locator("main h2")).to_have_text(HEADINGS[language])
    order = page.locator("main .items a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert order == [f"/sessions/{ids[days]}" for days in (1, 9, 30, -14)]

    # The report's goals, and back the way one came.
    page.get_by_role("link", name=GOALS[language], exact=True).click()
    expect(page).to_have_url(re.compile(rf"/team/{report.id}\?back="))
    checked(page)
    page.get_by_role("link", name=BACK[language][0]).click()
    expect(page).to_have_url(re.compile(rf"/team/{report.id}/sessions$"))
    page.get_by_role("link", name=BACK[language][1]).click()
    expect(page).to_have_url(re.compile(r"/team$"))

    # Tomorrow's session, held today: the question comes first.
    page.goto(f"/sessions/{ids[1]}")
    checked(page)
    expect(page.locator("#held_on")).to_have_value(today.isoformat())
    page.get_by_role("button", name=HELD[language]).click()
    expect(page.locator("#early-error")).to_be_visible()
    checked(page)
    page.locator("#early").check()
    page.get_by_role("button", name=HELD[language]).click()
    expect(page.locator("main h1 + p .badge.done")).to_be_visible()
    checked(page)
    assert not problems, "\n".join(problems)
