"""Signing in and out through a real browser, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HR_EMAIL, PASSWORD, SUPERVISOR_EMAIL, sign_in

pytestmark = pytest.mark.browser

GENERIC_ERROR = "E-mail or password is incorrect"


def login_url(base: str) -> re.Pattern[str]:
    """Match the sign-in page's URL, with or without a ?next= query."""
    return re.compile(re.escape(base) + r"/auth/login(\?.*)?$")


def test_hr_signs_in_sees_their_name_then_signs_out_and_is_locked_out(page, live_server):
    """HR signs in to a home page naming them; "Sign out" ends the session."""
    sign_in(page, HR_EMAIL)
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("main")).to_contain_text("Welcome, Fatoumata Coulibaly")

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(login_url(live_server.url))
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.get_by_role("status")).to_have_text("You are signed out.")

    page.goto("/profile")
    expect(page).to_have_url(live_server.url + "/auth/login?next=%2Fprofile")
    expect(page.locator("#email")).to_be_visible()


def test_failed_sign_in_shows_generic_error_keeps_email_and_stays_signed_out(
        page, live_server, make_person):
    """A wrong password shows the generic error by the form and keeps the typed e-mail."""
    email = make_person().email
    sign_in(page, email, "not-the-password")

    expect(page).to_have_url(login_url(live_server.url))
    alert = page.locator("main .alert-error[role=alert]")
    expect(alert).to_contain_text(GENERIC_ERROR)
    # The message sits right above the form it is about, inside the same section.
    expect(page.locator("section:has(form #email) .alert-error")).to_have_count(1)
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("#password")).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    page.goto("/profile")
    expect(page).to_have_url(login_url(live_server.url))


def test_sign_in_and_out_work_without_javascript(new_context, live_server):
    """With JavaScript off, the plain forms still sign in and sign out."""
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, SUPERVISOR_EMAIL, PASSWORD)
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("main")).to_contain_text("Welcome, Claire Martin")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(login_url(live_server.url))
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    page.goto("/")
    expect(page).to_have_url(login_url(live_server.url))
