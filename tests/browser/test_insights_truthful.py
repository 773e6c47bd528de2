"""HR's insights in English and French: an honest "Refresh now", the unsupervised left out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HR_EMAIL, LANGUAGES, PHONE, page_checker, sign_in

pytestmark = pytest.mark.browser

REFRESH = {"en": "Refresh now", "fr": "Actualiser"}
NOT_REFRESHED = {"en": "Not refreshed: these figures were taken at",
                 "fr": "Pas d’actualisation : ces chiffres ont été établis à"}
LEFT_OUT = {"en": "counts only people with a supervisor",
            "fr": "ne compte que les personnes qui ont un ou une superviseur"}


@pytest.fixture
def refresh_limit(live_server):
    """Let "Refresh now" rebuild at most once an hour while the test runs."""
    config = live_server.app.config
    before = config["INSIGHTS_REFRESH_MIN_SECONDS"]
    config["INSIGHTS_REFRESH_MIN_SECONDS"] = 3600
    yield
    config["INSIGHTS_REFRESH_MIN_SECONDS"] = before


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_hr_is_told_when_figures_were_taken_and_who_is_outside_the_session_figure_at_360px(
        new_context, make_person, refresh_limit, language):
    """A refresh too soon says so (no "up to date"); the director's level is not a 0 %."""
    problems: list[str] = []
    checked = page_checker(language, problems)
    hr = make_person(f"Truthful HR {language}", like=HR_EMAIL, is_hr=True, language=language)
    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, hr.email)
    page.goto("/insights")
    checked(page)
    page.get_by_role("button", name=REFRESH[language]).click()
    expect(page.locator("main .alert[role=status]")).to_contain_text(NOT_REFRESHED[language])
    checked(page)
    # Aminata Diallo, the demo's director, has no supervisor: she is left out, and told so.
    expect(page.locator("#unsupervised")).to_contain_text(LEFT_OUT[language])
    assert not problems, "\n".join(problems)
