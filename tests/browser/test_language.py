"""The interface language: a French profile, or a browser asking for French."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import FRENCH_STAFF_EMAIL, sign_in

pytestmark = pytest.mark.browser


def test_french_profile_gets_html_lang_fr_after_sign_in(page, live_server):
    """Kadiatou (profile language fr) gets pages marked <html lang="fr"> once signed in."""
    sign_in(page, FRENCH_STAFF_EMAIL)
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto("/profile")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_french_profile_sees_french_navigation(page):
    """Kadiatou's navigation offers "Se déconnecter" instead of "Sign out"."""
    sign_in(page, FRENCH_STAFF_EMAIL)
    expect(page.locator("header nav button[type=submit]")).to_have_text("Se déconnecter")


def test_browser_asking_for_french_gets_html_lang_fr_on_sign_in(new_context):
    """An anonymous visitor whose browser asks for fr-FR gets <html lang="fr"> on sign-in."""
    page = new_context(locale="fr-FR").new_page()
    page.goto("/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_browser_asking_for_french_sees_french_sign_in_page(new_context):
    """An anonymous visitor whose browser asks for fr-FR reads "Se connecter"."""
    page = new_context(locale="fr-FR").new_page()
    page.goto("/auth/login")
    expect(page.locator("h1")).to_have_text("Se connecter")
    expect(page.locator("form:has(#password) button[type=submit]")).to_have_text("Se connecter")


def test_browser_asking_for_english_gets_english_sign_in_page(new_context):
    """An anonymous visitor whose browser asks for en-US gets English, lang="en"."""
    page = new_context(locale="en-US").new_page()
    page.goto("/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Sign in")
