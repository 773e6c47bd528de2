"""Reminders: the secret calendar address, created, subscribed to and turned off."""

from __future__ import annotations

import re
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.extensions import db
from pdplanner.supervision import cadence
from tests.browser.conftest import (
    EMPLOYEE_EMAIL,
    HR_EMAIL,
    PHONE,
    SUPERVISOR_EMAIL,
    field_problems,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_calendar_address_works_until_it_is_turned_off(new_context, live_server, make_person):
    """A new calendar address serves the person's sessions as iCal; turned off, it is 404."""
    supervisor = make_person("Calendar supervisor", like=SUPERVISOR_EMAIL)
    person = make_person("Calendar report", like=EMPLOYEE_EMAIL, supervisor_id=supervisor.id)
    with live_server.app.app_context():
        boss = db.session.get(User, supervisor.id)
        cadence.add_one_off(boss, db.session.get(User, person.id),
                              today_for(boss) + timedelta(days=7), time(10, 0))
        db.session.remove()
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, person.email)
    page.goto("/profile/reminders")
    expect(page.locator("#feed-url")).to_have_count(0)
    expect(page.locator("button[name=action][value=revoke]")).to_have_count(0)

    page.locator("form[action='/profile/calendar'] button[name=action][value=new]").click()
    expect(page).to_have_url(re.compile(r"/profile/reminders#calendar$"))
    address = page.locator("#feed-url")
    expect(address).to_be_visible()
    problems = field_problems("/profile/reminders", page)
    assert not problems, "\n".join(problems)
    # The app writes the address for the host it was asked on; ask the live server.
    feed = urlsplit(address.input_value())
    assert re.fullmatch(r"/calendar/[\w-]+\.ics", feed.path), feed.path
    url = live_server.url + feed.path

    served = page.request.get(url)
    assert served.status == 200, f"the new calendar address answered {served.status}"
    assert served.headers["content-type"].startswith("text/calendar")
    body = served.text()
    assert body.startswith("BEGIN:VCALENDAR"), body[:80]
    assert "BEGIN:VEVENT" in body and f"Supervision: {supervisor.name}" in body, body

    # Shown once only: back on the page, the address is gone but still works.
    page.reload()
    expect(page.locator("#feed-url")).to_have_count(0)
    assert page.request.get(url).status == 200

    page.locator("form[action='/profile/calendar'] button[name=action][value=revoke]").click()
    expect(page.locator("main .alert[role=status]")).to_have_count(1)
    expect(page.locator("button[name=action][value=revoke]")).to_have_count(0)
    turned_off = page.request.get(url)
    assert turned_off.status == 404, f"the turned-off address answered {turned_off.status}"


def test_reminder_and_insight_pages_label_each_field_and_repeat_no_id(new_context, make_person):
    """Insights, notifications, reminder choices and the outbox label fields; ids are unique."""
    admin = make_person("Fields admin", like=HR_EMAIL, is_admin=True)
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, admin.email)
    problems = []
    for path in ["/insights", "/insights/people?metric=with_goal", "/notifications",
                 "/profile/reminders", "/admin/outbox"]:
        page.goto(path)
        problems += field_problems(path, page)
    assert not problems, "\n".join(problems)
