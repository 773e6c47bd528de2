"""axe-core on every page, phone and desktop width, English and French."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import LANGUAGES, VIEWPORTS

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}
AXE = Axe()


def describe(path: str, violation: dict) -> str:
    """Summarise one axe violation: page, rule, impact, help and the first node targets."""
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
    more = len(violation["nodes"]) - len(targets)
    suffix = f" (+{more} more)" if more > 0 else ""
    return (f"{path}: {violation['id']} [{violation['impact']}] {violation['help']} "
            f"→ {'; '.join(targets)}{suffix}")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_no_serious_axe_violations_on_any_page(tour, language, viewport):
    """No page has a serious or critical axe-core violation."""
    problems = []
    for path, page in tour(language, VIEWPORTS[viewport]):
        violations = AXE.run(page).response["violations"]
        problems += [describe(path, v) for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not problems, "axe violations:\n" + "\n".join(problems)
