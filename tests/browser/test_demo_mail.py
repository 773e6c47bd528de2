"""The demo's Mail page, in English and French, says where mail goes without a server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HR_EMAIL, LANGUAGES, PHONE, page_checker, sign_in

pytestmark = pytest.mark.browser

CONSOLE = {"en": "printed, links included, in the console",
           "fr": "affiché, liens compris, dans la console"}


@pytest.fixture
def demo_console(live_server):
    """Run the live server as `pdplanner demo` does without MAIL_SERVER, for this test."""
    live_server.app.config["MAIL_TO_CONSOLE"] = True
    yield
    live_server.app.config["MAIL_TO_CONSOLE"] = False


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_mail_page_says_the_demo_prints_mail_to_the_console_at_360px(
        new_context, make_person, demo_console, language):
    """An admin of the demo reads that each mail is printed in the console, links included."""
    problems: list[str] = []
    checked = page_checker(language, problems)
    admin = make_person(f"Demo admin {language}", like=HR_EMAIL, is_admin=True,
                        language=language)
    page = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(page, admin.email)
    page.goto("/admin/outbox")
    checked(page)
    expect(page.locator("#console-mail")).to_contain_text(CONSOLE[language])
    assert not problems, "\n".join(problems)
