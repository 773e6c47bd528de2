"""HR's insights on a phone, in English and French: filter, the people behind, a CSV."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from pdplanner.accounts.models import Level, User
from pdplanner.extensions import db
from pdplanner.learning import goals
from pdplanner.learning.goals import GoalData
from tests.browser.conftest import (
    EMPLOYEE_EMAIL,
    HR_EMAIL,
    LANGUAGES,
    PHONE,
    page_checker,
    sign_in,
)

pytestmark = pytest.mark.browser

#: The participation CSV's header row in each language.
HEADERS = {
    "en": ["Level", "Staff", "With an active goal", "Learning done (90 days)",
           "Session held (60 days)"],
    "fr": ["Niveau", "Effectif", "Avec un objectif actif", "Apprentissage réalisé (90 jours)",
           "Séance tenue (60 jours)"],
}
#: The refresh button and its confirmation in each language.
REFRESH = {"en": "Refresh now", "fr": "Actualiser"}
UP_TO_DATE = {"en": "The figures are up to date.", "fr": "Les chiffres sont à jour."}
BOM = b"\xef\xbb\xbf"
#: A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def new_level(live_server, name: str) -> int:
    """Add a level ranked last; return its id."""
    with live_server.app.app_context():
        rank = db.session.scalar(select(func.max(Level.rank))) + 1
        level = Level(name=name, rank=rank)
        db.session.add(level)
        db.session.commit()
        level_id = level.id
        db.session.remove()
    return level_id


def start_a_goal(live_server, person: User, title: str) -> None:
    """Give `person` an active goal of their own, through the app's services."""
    with live_server.app.app_context():
        goals.create_goal(db.session.get(User, person.id), GoalData(title=title), start=True)
        db.session.remove()


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_hr_filters_insights_by_level_sees_the_people_and_downloads_a_csv_at_360px(
        new_context, live_server, make_person, language):
    """At 360 px HR filters by level, opens the people behind a figure, downloads the CSV."""
    problems: list[str] = []
    checked = page_checker(language, problems)

    # A level of its own whose name a spreadsheet would run as a formula, holding one
    # person with an active goal.
    level_name = f"=1+1 Insights level ({language})"
    level_id = new_level(live_server, level_name)
    learner = make_person(f"Insights learner {language}", like=EMPLOYEE_EMAIL,
                          level_id=level_id, language=language)
    start_a_goal(live_server, learner, f"Run the cold chain audit ({language})")
    hr = make_person(f"Insights HR {language}", like=HR_EMAIL, is_hr=True, language=language)

    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, hr.email)
    checked(page)
    page.locator("header nav summary").click()  # the phone's menu opens first
    page.locator("header nav a[href='/insights']").click()
    expect(page).to_have_url(re.compile(r"/insights$"))
    checked(page)
    # The figures are a snapshot: asking for fresh ones counts the person just added.
    page.get_by_role("button", name=REFRESH[language]).click()
    expect(page).to_have_url(re.compile(r"/insights$"))
    expect(page.locator("main .alert[role=status]")).to_contain_text(UP_TO_DATE[language])
    checked(page)
    participation = page.locator("section:has(#part-h)")
    expect(participation.locator("tbody tr", has_text=level_name)).to_have_count(1)
    assert participation.locator("tbody tr").count() > 1, "only one level before filtering"

    # Only the new level.
    filters = page.locator("form.filters:has(#level)")
    filters.locator("#level").select_option(str(level_id))
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/insights\?.*\blevel={level_id}\b"))
    checked(page)
    expect(page.locator("#level")).to_have_value(str(level_id))
    expect(participation.locator("tbody tr")).to_have_count(1)
    expect(participation.locator("tbody tr th")).to_contain_text(level_name)

    # The people behind "with an active goal": the learner, by name.
    participation.locator("tbody a[href*='/insights/people'][href*='metric=with_goal']").click()
    expect(page).to_have_url(re.compile(r"/insights/people\?"))
    checked(page)
    assert parse_qs(urlsplit(page.url).query)["level"] == [str(level_id)]
    expect(page.locator("main ul.list li a")).to_have_text([learner.name])

    # Back to the filtered dashboard, and its participation table as CSV.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/insights\?.*\blevel={level_id}\b"))
    checked(page)
    with page.expect_download() as download:
        participation.locator("a[href*='/insights/export/participation.csv']").click()
    data = download.value.path().read_bytes()
    assert data.startswith(BOM), f"no UTF-8 byte order mark: {data[:20]!r}"
    rows = list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"))))
    assert rows[0] == HEADERS[language]
    assert rows[1:] == [[f"'{level_name}", "1", "1", "0", "0"]]
    formulas = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert not formulas, f"cells a spreadsheet would run as formulas: {formulas}"

    assert not problems, "axe violations:\n" + "\n".join(problems)
