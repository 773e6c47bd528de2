"""Phone layout: at 360 px nothing scrolls sideways except tables in their own wrapper."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LANGUAGES, PHONE

pytestmark = pytest.mark.browser

#: Widths of the page and of its outermost elements sticking out to the right,
#: ignoring anything inside a `.table-wrap` (which scrolls on its own).
MEASURE = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth + 1;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-wrap')) continue;
    if (el.getBoundingClientRect().right <= limit) continue;
    if (culprits.some(c => c.contains(el))) continue;
    culprits.push(el);
  }
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' (right=' + Math.round(el.getBoundingClientRect().right) + ')';
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    culprits: culprits.slice(0, 5).map(describe),
    bareTables: [...document.querySelectorAll('table')].filter(t => !t.closest('.table-wrap')).length,
  };
}"""


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_no_page_scrolls_horizontally_at_360px(tour, language):
    """At 360 px no page is wider than the screen; tables scroll inside .table-wrap."""
    problems = []
    for path, page in tour(language, PHONE):
        size = page.evaluate(MEASURE)
        if size["scrollWidth"] > size["clientWidth"] + 1:
            problems.append(f"{path}: scrollWidth {size['scrollWidth']} > clientWidth "
                            f"{size['clientWidth']}; sticking out: {size['culprits']}")
        if size["bareTables"]:
            problems.append(f"{path}: {size['bareTables']} table(s) outside a .table-wrap")
    assert not problems, "horizontal scrolling at 360 px:\n" + "\n".join(problems)
