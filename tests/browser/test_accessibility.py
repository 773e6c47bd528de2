"""axe-core on every page, phone and desktop width, English and French."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    AXE,
    HR_EMAIL,
    LANGUAGES,
    PHONE,
    VIEWPORTS,
    axe_problems,
    describe,
    sign_in,
)

pytestmark = pytest.mark.browser

#: Known app bugs as (path, axe rule), left out of the tour's verdict; none at present.
KNOWN: set[tuple[str, str]] = set()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_no_serious_axe_violations_on_any_page(tour, language, viewport):
    """No page has a serious or critical axe-core violation."""
    problems = []
    for path, page in tour(language, VIEWPORTS[viewport]):
        problems += axe_problems(path, page, known=KNOWN)
    assert not problems, "axe violations:\n" + "\n".join(problems)


def test_printable_plan_tables_scroll_with_the_keyboard_at_360px(new_context):
    """At 360 px the printable plan's scrolling tables can be reached with the keyboard."""
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, HR_EMAIL)  # the demo HR lead has a goal with dates coming
    page.goto("/plan/print")
    violations = AXE.run(page).response["violations"]
    problems = [describe("/plan/print", v) for v in violations
                if v["id"] == "scrollable-region-focusable"]
    assert not problems, "axe violations:\n" + "\n".join(problems)
