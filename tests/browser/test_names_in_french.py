"""Level and team names in the reader's language, and HR's form for both, on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    EMPLOYEE_EMAIL,
    HR_EMAIL,
    LANGUAGES,
    PHONE,
    field_problems,
    page_checker,
    sign_in,
)

pytestmark = pytest.mark.browser

#: The demo programme managers' level (Tara Johnson's), as each language names it.
LEVEL = {"en": "Programme manager", "fr": "Responsable de programme"}


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_profile_names_level_in_the_readers_language_at_360px(new_context, make_person,
                                                               language):
    """A field worker reads their level in their own language."""
    problems: list[str] = []
    checked = page_checker(language, problems)
    person = make_person(f"Names {language}", like=EMPLOYEE_EMAIL, language=language)
    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, person.email)
    page.goto("/profile")
    checked(page)
    expect(page.locator("main dl.facts")).to_contain_text(LEVEL[language])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_hr_names_a_level_in_both_languages_at_360px(new_context, make_person, live_server,
                                                     language):
    """HR adds a level named in English and French; the list shows it in HR's language."""
    problems: list[str] = []
    checked = page_checker(language, problems)
    hr = make_person(f"Names HR {language}", like=HR_EMAIL, is_hr=True, language=language)
    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, hr.email)
    page.goto("/settings/levels")
    checked(page)
    assert not field_problems("/settings/levels", page)
    page.locator("#name").fill(f"Volunteer {language}")
    page.locator("#name_fr").fill(f"Bénévole {language}")
    page.locator("main form:has(#name) button[type=submit]").click()
    checked(page)
    shown = {"en": f"Volunteer {language}", "fr": f"Bénévole {language}"}[language]
    expect(page.locator("main ul, main ol").first).to_contain_text(shown)
    assert not problems, "\n".join(problems)
