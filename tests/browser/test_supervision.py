"""A supervision session on a phone, in English and French: from My team to the report's plan."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pdplanner.accounts.models import User
from pdplanner.accounts.queries import today_for
from pdplanner.extensions import db
from pdplanner.learning import goals
from pdplanner.learning.goals import GoalData
from pdplanner.learning.models import Activity, Goal
from pdplanner.supervision import cadence
from pdplanner.supervision.models import AgreedAction, PrivateNote, Session
from tests.browser.conftest import (
    EMPLOYEE_EMAIL,
    LANGUAGES,
    PHONE,
    SUPERVISOR_EMAIL,
    UNLABELLED,
    page_checker,
    sign_in,
)

pytestmark = pytest.mark.browser


@dataclass
class Pair:
    """A supervisor, their report, the report's shared goal and a session begun today."""

    supervisor: User
    report: User
    goal_id: int
    session_id: int
    today: date


@pytest.fixture
def pair(make_person, live_server, language: str) -> Pair:
    """A fresh supervisor and report in `language`, a shared active goal, a session today."""
    supervisor = make_person(f"Supervisor {language}", like=SUPERVISOR_EMAIL, language=language)
    report = make_person(f"Report {language}", like=EMPLOYEE_EMAIL,
                         supervisor_id=supervisor.id, language=language)
    with live_server.app.app_context():
        boss, person = db.session.get(User, supervisor.id), db.session.get(User, report.id)
        goal = goals.create_goal(person, GoalData(
            title=f"Lead a QI meeting on my own ({language})", visibility="shared"), start=True)
        # Midnight today where the supervisor lives: begun already, so "held today" is valid.
        today = today_for(boss)
        session = cadence.add_one_off(boss, person, today, time(0, 0))
        ids = goal.id, session.id
        db.session.remove()
    return Pair(supervisor, report, *ids, today)


def stored(live_server, pair: Pair) -> tuple[Goal, Session, list[tuple]]:
    """Return the stored goal, session and each action's (text, owner, due, goal, start)."""
    with live_server.app.app_context():
        goal = db.session.get(Goal, pair.goal_id)
        session = db.session.get(Session, pair.session_id)
        actions = [tuple(row) for row in db.session.execute(
            select(AgreedAction.text, AgreedAction.owner, AgreedAction.due_on,
                   Activity.goal_id, Activity.starts_on)
            .outerjoin(Activity, Activity.id == AgreedAction.activity_id)
            .where(AgreedAction.session_id == pair.session_id))]
        db.session.expunge_all()
        db.session.remove()
    return goal, session, actions


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_supervisor_holds_a_session_and_the_report_sees_it_at_360px(
        new_context, live_server, pair, language):
    """At 360 px: agree a goal, plan an action, write notes, hold; the report sees them."""
    problems: list[str] = []
    checked = page_checker(language, problems)

    sid, gid, rid = pair.session_id, pair.goal_id, pair.report.id
    today = pair.today
    due = today + timedelta(days=10)
    action_text = f"Co-facilitate the March QI meeting ({language})"
    shared = f"The QI meeting plan is ready; next step agreed ({language})."
    secret = f"PRIVATE-SENTINEL-{language}-7f3c9"

    # My team, from the navigation; the session begun today waits to be resolved.
    boss = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(boss, pair.supervisor.email)
    checked(boss)
    boss.locator("header nav summary").click()  # the phone's menu opens first
    boss.locator("header nav a[href='/team']").click()
    expect(boss).to_have_url(re.compile(r"/team$"))
    checked(boss)
    expect(boss.locator(f"main a[href='/sessions/{sid}']")).to_have_count(1)

    # The report's sessions (with the keyboard: in French the hidden header row covers the
    # name, see test_layout.py), then the session itself.
    boss.locator(f"main a[href='/team/{rid}/sessions']").press("Enter")
    expect(boss).to_have_url(re.compile(rf"/team/{rid}/sessions$"))
    checked(boss)
    boss.locator(f"main a[href='/sessions/{sid}']").click()
    expect(boss).to_have_url(re.compile(rf"/sessions/{sid}$"))
    checked(boss)

    # Agree the goal in its review form.
    review = boss.locator(f"form[action='/sessions/{sid}/goals/{gid}']")
    review.locator(f"input[name='g{gid}-agree']").check()
    review.locator("button[type=submit]").click()
    expect(boss).to_have_url(re.compile(rf"/sessions/{sid}#goal-{gid}$"))
    checked(boss)
    expect(boss.locator(f"input[name='g{gid}-agree']")).to_have_count(0)  # no longer asked

    # An action for the report on that goal: it goes on their plan.
    action = boss.locator(f"form[action='/sessions/{sid}/actions']")
    action.locator("input[name=text]").fill(action_text)
    action.locator("input[name=owner][value=report]").check()
    action.locator("select[name=goal_id]").select_option(str(gid))
    action.locator("input[name=due_on]").fill(due.isoformat())
    action.locator("button[type=submit]").click()
    expect(boss).to_have_url(re.compile(rf"/sessions/{sid}#actions$"))
    checked(boss)
    expect(boss.locator("#actions li", has_text=action_text)).to_have_count(1)

    # Shared notes, and a private note for the supervisor alone.
    notes = boss.locator(f"form[action='/sessions/{sid}/notes']")
    notes.locator("textarea[name=shared_notes]").fill(shared)
    notes.locator("textarea[name=private_notes]").fill(secret)
    notes.locator("button[type=submit]").click()
    expect(boss).to_have_url(re.compile(rf"/sessions/{sid}#notes$"))
    checked(boss)
    expect(notes.locator("textarea[name=shared_notes]")).to_have_value(shared)
    expect(notes.locator("textarea[name=private_notes]")).to_have_value(secret)

    # Held today: the date input offers today.
    held = boss.locator(f"form[action='/sessions/{sid}/held']")
    expect(held.locator("input[name=held_on]")).to_have_value(today.isoformat())
    held.locator("button[type=submit]").click()
    expect(boss).to_have_url(re.compile(rf"/sessions/{sid}$"))
    checked(boss)
    expect(boss.locator(f"form[action='/sessions/{sid}/held']")).to_have_count(0)

    goal, session, actions = stored(live_server, pair)
    with live_server.app.app_context():
        private = db.session.scalar(select(PrivateNote.text).where(
            PrivateNote.session_id == pair.session_id,
            PrivateNote.author_id == pair.supervisor.id))
        db.session.remove()
    assert goal.agreed_by_id == pair.supervisor.id and goal.agreed_at is not None
    assert (session.status, session.held_on) == ("held", today)
    assert (session.shared_notes, private) == (shared, secret)
    assert actions == [(action_text, "report", due, gid, due)]

    # The report, on their own phone: shared notes yes, the private note nowhere.
    me = new_context(locale=LANGUAGES[language], viewport=PHONE).new_page()
    sign_in(me, pair.report.email)
    checked(me)
    assert secret not in me.content(), "/: the private note shows"
    me.goto("/sessions")
    checked(me)
    assert secret not in me.content(), "/sessions: the private note shows"
    expect(me.locator("main")).to_contain_text(action_text)
    me.locator(f"main a[href='/sessions/{sid}']").click()
    expect(me).to_have_url(re.compile(rf"/sessions/{sid}$"))
    checked(me)
    expect(me.locator("#notes")).to_contain_text(shared)
    expect(me.locator("#notes textarea, #notes form")).to_have_count(0)
    expect(me.locator("#actions")).to_contain_text(action_text)
    assert secret not in me.content(), f"/sessions/{sid}: the private note shows"
    me.goto(f"/sessions/{sid}/print")
    checked(me)
    expect(me.locator("main")).to_contain_text(shared)
    assert secret not in me.content(), f"/sessions/{sid}/print: the private note shows"

    # The action is a new activity on the goal's plan, and on the plan.
    me.goto(f"/goals/{gid}")
    checked(me)
    expect(me.locator("#plan .card", has_text=action_text)).to_have_count(1)
    assert secret not in me.content(), f"/goals/{gid}: the private note shows"
    me.goto("/plan")
    checked(me)
    expect(me.locator("main")).to_contain_text(action_text)

    assert not problems, "axe violations:\n" + "\n".join(problems)


def test_supervisor_sets_a_schedule_at_360px(new_context, make_person):
    """At 360 px a supervisor sets fortnightly sessions; the coming ones are listed."""
    supervisor = make_person("Scheduling supervisor", like=SUPERVISOR_EMAIL)
    report = make_person("Scheduled report", like=EMPLOYEE_EMAIL, supervisor_id=supervisor.id)
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, supervisor.email)
    page.goto(f"/team/{report.id}/schedule")
    form = page.locator("main form[method=post]")
    form.locator("select[name=cadence]").select_option("fortnightly")
    form.locator("input[name=at]").fill("09:30")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.locator("button[type=submit]").click()
    assert posted.value.status == 302, f"the schedule form answered {posted.value.status}"
    expect(page).to_have_url(re.compile(rf"/team/{report.id}/sessions$"))
    expect(page.locator("main a[href^='/sessions/']")).not_to_have_count(0)


@pytest.mark.parametrize("language", ["en", "fr"], ids=str)
def test_every_field_of_a_planned_session_has_its_own_label(new_context, pair, language):
    """The supervisor's page of a planned session labels each of its fields."""
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, pair.supervisor.email)
    page.goto(f"/sessions/{pair.session_id}")
    unlabelled = page.evaluate(UNLABELLED)
    assert not unlabelled, "fields without a label:\n" + "\n".join(unlabelled)
