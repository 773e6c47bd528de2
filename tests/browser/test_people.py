"""HR's people pages in a real browser: list, search, filter, edit and add."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from tests.browser.conftest import HR_EMAIL, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def hr_page(page):
    """A page signed in as the demo organisation's HR lead."""
    sign_in(page, HR_EMAIL)
    return page


def name_cells(page):
    """Return the people table's name links."""
    return page.locator("table tbody tr td:first-child a")


def active_people(live_server) -> int:
    """Count active people in the live database (other tests may have added some)."""
    with live_server.app.app_context():
        count = db.session.scalar(select(func.count()).select_from(User).filter_by(active=True))
        db.session.remove()
    return count


def test_people_list_shows_the_demo_staff(hr_page, live_server):
    """/people lists people with their team, level and supervisor, 25 to a page."""
    hr_page.goto("/people")
    expect(hr_page.locator("h1")).to_have_text("People")
    total = active_people(live_server)
    assert total >= 31  # the demo organisation's staff
    expect(hr_page.get_by_text(f"{total} people")).to_be_visible()
    expect(name_cells(hr_page)).to_have_count(25)
    expect(hr_page.get_by_role("navigation", name="Pages")).to_contain_text("Page 1 of 2")
    row = hr_page.locator("tbody tr", has=hr_page.get_by_role("link", name="Claire Martin"))
    expect(row).to_contain_text("Community health")
    expect(row).to_contain_text("Senior programme manager")
    expect(row).to_contain_text("Aminata Diallo")


def test_people_search_by_name_filters_the_list(hr_page):
    """Searching "Coulibaly" leaves only the two Coulibalys."""
    hr_page.goto("/people")
    hr_page.get_by_label("Search by name or e-mail").fill("Coulibaly")
    hr_page.get_by_role("button", name="Filter").click()
    expect(hr_page).to_have_url(re.compile(r"/people\?.*q=Coulibaly"))
    expect(name_cells(hr_page)).to_have_text(["Fatoumata Coulibaly", "Ousmane Coulibaly"])
    expect(hr_page.get_by_label("Search by name or e-mail")).to_have_value("Coulibaly")


def test_people_filter_by_team_shows_only_that_team(hr_page):
    """Choosing the team "CSCom Banconi" lists its four field staff and nobody else."""
    hr_page.goto("/people")
    hr_page.get_by_label("Team or site").select_option(label="CSCom Banconi")
    hr_page.get_by_role("button", name="Filter").click()
    expect(name_cells(hr_page)).to_have_count(4)
    expect(hr_page.locator("tbody tr td:nth-child(2)")).to_have_text(["CSCom Banconi"] * 4)
    expect(hr_page.get_by_role("link", name="Djeneba Koné")).to_be_visible()
    expect(hr_page.locator("#team option:checked")).to_have_text("CSCom Banconi")


def test_hr_edits_a_persons_name_and_sees_it_saved(hr_page, make_person):
    """Opening a person from the list, renaming them and saving shows "Saved." and the name."""
    make_person("Rename Candidate")
    hr_page.goto("/people?q=Rename+Candidate")
    hr_page.get_by_role("link", name="Rename Candidate").click()
    expect(hr_page.locator("h1")).to_have_text("Rename Candidate")

    hr_page.get_by_label("Name", exact=True).fill("Renamed Person")
    hr_page.get_by_role("button", name="Save").click()

    expect(hr_page.get_by_role("status")).to_have_text("Saved.")
    expect(hr_page.locator("h1")).to_have_text("Renamed Person")
    expect(hr_page.get_by_label("Name", exact=True)).to_have_value("Renamed Person")


def test_add_person_without_name_shows_error_by_the_field_and_keeps_email(hr_page):
    """/people/new with no name explains it next to the name field and keeps the e-mail."""
    hr_page.goto("/people/new")
    hr_page.get_by_label("E-mail", exact=True).fill("new.starter@example.org")
    hr_page.get_by_role("button", name="Save").click()

    expect(hr_page).to_have_url(re.compile(r"/people/new$"))
    name = hr_page.get_by_label("Name", exact=True)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-describedby", "name-error")
    expect(hr_page.locator(".field:has(#name) #name-error")).to_have_text(
        "This field is required.")
    expect(hr_page.get_by_role("alert")).to_contain_text("Please correct the fields")
    expect(hr_page.get_by_label("E-mail", exact=True)).to_have_value("new.starter@example.org")
    hr_page.goto("/people?q=new.starter")
    expect(hr_page.get_by_text("Nobody matches these filters.")).to_be_visible()


def test_hr_invites_a_new_person_who_chooses_a_password_and_signs_in(hr_page, new_context,
                                                                      live_server):
    """HR adds someone (invitation ticked); their link opens the welcome page; the password
    they choose there signs them in."""
    from pdplanner.reminders.models import OutboxMessage

    hr_page.goto("/people/new")
    hr_page.get_by_label("Name", exact=True).fill("Invited Starter")
    hr_page.get_by_label("E-mail", exact=True).fill("invited.starter@example.org")
    expect(hr_page.get_by_label("E-mail them an invitation")).to_be_checked()
    hr_page.get_by_role("button", name="Save").click()
    expect(hr_page.get_by_role("status")).to_contain_text("invited by e-mail")
    with live_server.app.app_context():  # the mail waits in the outbox (no SMTP here)
        params = db.session.scalar(select(OutboxMessage.params).filter_by(
            kind="invitation", to_address="invited.starter@example.org"))
        db.session.remove()
    link = re.search(r'"link": "http://localhost(/auth/welcome/[^"]+)"', params).group(1)
    page = new_context().new_page()
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Welcome to pdplanner")
    page.get_by_label("New password", exact=True).fill("my own long password")
    page.get_by_label("Repeat the new password").fill("my own long password")
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome!")
    sign_in(page, "invited.starter@example.org", "my own long password")
    expect(page).not_to_have_url(re.compile(r"/auth/login"))
    expect(page.locator("body")).to_contain_text("Invited Starter")
