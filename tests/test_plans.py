"""Plans: when and how learning happens, and whether it did."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Occurrence
from pdplanner.learning.recurrence import add_months, occurrence_dates, streak
from tests.conftest import field_error
from tests.learning_factories import make_activity, make_goal

TODAY = date.today()


def _activity_form(**changes) -> dict:
    form = {"kind": "peer_learning", "title": "Peer session", "with_whom": "QI team",
            "starts_on": (TODAY + timedelta(days=1)).isoformat(), "start_time": "",
            "duration_minutes": "60", "recurrence": "none", "until": "", "token": ""}
    form.update(changes)
    return form


def _occurrences(app, activity_id=None) -> list[Occurrence]:
    with app.app_context():
        query = select(Occurrence).order_by(Occurrence.planned_on, Occurrence.id)
        if activity_id:
            query = query.where(Occurrence.activity_id == activity_id)
        rows = list(db.session.scalars(query))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_fortnightly_activity_generates_its_dates(app, client, employee):
    """Every 2 weeks until a date creates one occurrence per fortnight."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    start = TODAY + timedelta(days=1)
    response = client.post_form(f"/goals/{goal_id}/activities/new", _activity_form(
        recurrence="fortnightly", until=(start + timedelta(weeks=6)).isoformat()))
    assert response.status_code == 302
    dates = [o.planned_on for o in _occurrences(app)]
    assert dates == [start + timedelta(weeks=w) for w in (0, 2, 4, 6)]


def test_recurrence_is_bounded(app, client, employee):
    """More than 2 years, or an end before the start, is refused by the last-date field."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    start = TODAY + timedelta(days=1)
    too_long = client.post_form(f"/goals/{goal_id}/activities/new", _activity_form(
        recurrence="weekly", until=(start + timedelta(days=800)).isoformat()))
    assert 'id="until-error"' in too_long.get_data(as_text=True)
    backwards = client.post_form(f"/goals/{goal_id}/activities/new", _activity_form(
        recurrence="weekly", until=(start - timedelta(days=1)).isoformat(),
        title="Kept title"))
    html = backwards.get_data(as_text=True)
    assert 'id="until-error"' in html and 'value="Kept title"' in html
    assert _occurrences(app) == []


def test_two_years_of_weekly_sessions_is_the_longest_plan(app, client, employee):
    """Weekly for two years is accepted (105 dates, under the 200 cap); a day more is not."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    start = TODAY + timedelta(days=1)
    response = client.post_form(f"/goals/{goal_id}/activities/new", _activity_form(
        recurrence="weekly", until=(start + timedelta(days=731)).isoformat()))
    assert response.status_code == 302
    assert len(_occurrences(app)) == 105
    assert len(occurrence_dates(start, "weekly", start + timedelta(days=10000))) == 201


def test_monthly_dates_clamp_to_month_end():
    """Monthly from the 31st falls on the last day of shorter months."""
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert occurrence_dates(date(2027, 1, 31), "monthly", date(2027, 4, 30)) == [
        date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_dropped_goal_takes_no_new_activity(app, client, employee):
    """Achieved or dropped goals refuse new activities with a message."""
    goal_id = make_goal(app, employee.id, status="dropped")
    client.login(employee.email)
    response = client.post_form(f"/goals/{goal_id}/activities/new", _activity_form())
    assert response.status_code == 422
    assert "takes no new activities" in response.get_data(as_text=True)


def test_double_submitted_activity_is_planned_once(app, client, employee):
    """The same activity form twice creates one activity."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    client.post_form(f"/goals/{goal_id}/activities/new", _activity_form(token="tok"))
    client.post_form(f"/goals/{goal_id}/activities/new", _activity_form(token="tok"))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Activity)) == 1


def test_past_open_date_is_to_resolve_until_marked(app, client, employee):
    """A planned date in the past shows on My learning until marked done or missed."""
    goal_id = make_goal(app, employee.id)
    _, (occurrence_id,) = make_activity(app, goal_id, days_ago=2, title="Overdue session")
    client.login(employee.email)
    html = client.get("/").get_data(as_text=True)
    assert "Did it happen?" in html and "Overdue session" in html
    client.post_form(f"/occurrences/{occurrence_id}/quick/done", {"next": "/"})
    (occurrence,) = _occurrences(app)
    assert occurrence.status == "done" and occurrence.happened_on == TODAY - timedelta(days=2)
    assert "Did it happen?" not in client.get("/").get_data(as_text=True)


def test_the_plan_row_says_when_what_with_whom_and_offers_actions_on_todays_dates(
        app, client, employee):
    """Each date on the plan: day and time, title (escaped), kind, partner, its goal's link;
    today's planned date and past open ones carry quick actions, a coming date does not."""
    from datetime import time

    from pdplanner.formatting import dateformat

    goal_id = make_goal(app, employee.id, title="Goal <b>one</b>")
    today_id, (today_date,) = make_activity(app, goal_id, days_ago=0, title="Ward <round>")
    _, (past_date,) = make_activity(app, goal_id, days_ago=3, title="Past one")
    _, (coming_date,) = make_activity(app, goal_id, days_ago=-5, title="Coming one")
    with app.app_context():
        activity = db.session.get(Activity, today_id)
        activity.start_time, activity.with_whom = time(9, 30), "QI & co"
        db.session.commit()
    client.login(employee.email)
    html = client.get("/plan").get_data(as_text=True)
    with app.test_request_context():
        day = dateformat(TODAY, "EEE d MMM y")
    assert (f'<li><span class="what">{day} 09:30 — <strong>Ward &lt;round&gt;</strong> '
            '<span class="badge planned">Planned</span><br>') in html
    assert (f'Peer learning session · QI &amp; co · <a href="/goals/{goal_id}">Goal &lt;b&gt;one'
            '&lt;/b&gt;</a>') in html
    for settled, occurrence_id in ((True, today_date), (True, past_date), (False, coming_date)):
        assert (f'action="/occurrences/{occurrence_id}/quick/done"' in html) is settled
    assert html.index("Past one") < html.index("Coming (12 weeks)") < html.index("Coming one")


def test_my_learning_asks_about_the_latest_open_dates_and_sends_to_the_plan_for_the_rest(
        app, client, employee):
    """Home asks about the five latest past dates (oldest of them first) and counts them
    all; the plan lists every one."""
    goal_id = make_goal(app, employee.id)
    make_activity(app, goal_id, days_ago=7 * 8, recurrence="weekly", count=8,
                  title="Weekly round")  # eight past Mondays, none marked
    client.login(employee.email)
    html = client.get("/").get_data(as_text=True)
    section = html.split('id="resolve-h"', 1)[1].split("</section>", 1)[0]
    assert '<span class="badge missed">8</span>' in section
    assert section.count('name="learned"') == 5
    where = {w: section.find((TODAY - timedelta(weeks=w)).strftime(" %-d %b %Y"))
             for w in range(1, 9)}
    assert [w for w in sorted(where, key=where.get) if where[w] >= 0] == [5, 4, 3, 2, 1]
    assert '<a href="/plan#to-resolve">3 earlier dates to resolve on your plan</a>' in section
    plan = client.get("/plan").get_data(as_text=True)
    to_resolve = plan.split('id="to-resolve"', 1)[1].split("<h2>", 1)[0]
    assert to_resolve.count('name="learned"') == 8


def test_missed_with_reason_and_cancelled(app, client, employee):
    """Dates end as missed (with an optional reason) or cancelled."""
    goal_id = make_goal(app, employee.id)
    _, (first, second) = make_activity(app, goal_id, days_ago=9, recurrence="weekly", count=2)
    client.login(employee.email)
    client.post_form(f"/occurrences/{first}", {"outcome": "missed", "reason": "Flooded road"})
    client.post_form(f"/occurrences/{second}", {"outcome": "cancelled"})
    one, two = _occurrences(app)
    assert (one.status, one.missed_reason) == ("missed", "Flooded road")
    assert two.status == "cancelled"


def test_done_cannot_be_in_the_future(app, client, employee):
    """A happened-on date after today is refused by its field."""
    goal_id = make_goal(app, employee.id)
    _, (occurrence_id,) = make_activity(app, goal_id, days_ago=1)
    client.login(employee.email)
    html = client.post_form(f"/occurrences/{occurrence_id}", {
        "outcome": "done", "happened_on": (TODAY + timedelta(days=3)).isoformat()}
    ).get_data(as_text=True)
    assert 'id="happened_on-error"' in html
    assert _occurrences(app)[0].status == "planned"


def test_reschedule_keeps_the_history(app, client, employee):
    """Moving a date marks the old one moved and plans a new one linked to it."""
    goal_id = make_goal(app, employee.id)
    _, (occurrence_id,) = make_activity(app, goal_id, days_ago=1)
    client.login(employee.email)
    new_date = TODAY + timedelta(days=5)
    client.post_form(f"/occurrences/{occurrence_id}/reschedule",
                     {"new_date": new_date.isoformat()})
    old, new = _occurrences(app)
    assert old.status == "rescheduled" and new.planned_on == new_date
    assert new.rescheduled_from_id == old.id and new.status == "planned"


def test_reflection_after_done_is_private_by_default(app, make_client, make_user):
    """A reflection is the owner's; shared ones reach the supervisor, never HR."""
    boss = make_user(name="Boss")
    hr_person = make_user(name="HR", is_hr=True)
    person = make_user(supervisor_id=boss.id)
    goal_id = make_goal(app, person.id)
    _, (occurrence_id,) = make_activity(app, goal_id, days_ago=1)
    owner = make_client()
    owner.login(person.email)
    owner.post_form(f"/occurrences/{occurrence_id}", {"outcome": "done"})
    owner.post_form(f"/occurrences/{occurrence_id}/reflection", {
        "learned": "SENTINEL-PRIVATE-7f3", "apply": "", "visibility": "private"})
    supervisor, hr_client = make_client(), make_client()
    supervisor.login(boss.email)
    hr_client.login(hr_person.email)
    assert "SENTINEL-PRIVATE-7f3" in owner.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert "SENTINEL-PRIVATE-7f3" not in supervisor.get(f"/goals/{goal_id}").get_data(
        as_text=True)
    owner.post_form(f"/occurrences/{occurrence_id}/reflection", {
        "learned": "SHARED-LESSON-2b1", "apply": "", "visibility": "shared"})
    assert "SHARED-LESSON-2b1" in supervisor.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert "SHARED-LESSON-2b1" not in hr_client.get(f"/goals/{goal_id}").get_data(as_text=True)


def test_reflection_needs_a_done_date(app, client, employee):
    """One reflects on what happened, not on what is still planned."""
    goal_id = make_goal(app, employee.id)
    _, (occurrence_id,) = make_activity(app, goal_id, days_ago=1)
    client.login(employee.email)
    response = client.post_form(f"/occurrences/{occurrence_id}/reflection", {
        "learned": "Too early", "apply": "", "visibility": "private"})
    assert response.status_code == 422


def test_others_cannot_resolve_my_dates(app, make_client, make_user):
    """The supervisor may read the plan but cannot mark it; strangers get 404."""
    boss, stranger = make_user(name="Boss"), make_user(name="Stranger")
    person = make_user(supervisor_id=boss.id)
    goal_id = make_goal(app, person.id)
    _, (occurrence_id,) = make_activity(app, goal_id, days_ago=1)
    for email, status in ((boss.email, 403), (stranger.email, 404)):
        viewer = make_client()
        viewer.login(email)
        assert viewer.post_form(f"/occurrences/{occurrence_id}/quick/done").status_code == \
            status
    assert _occurrences(app)[0].status == "planned"


def test_streak_counts_consecutive_weeks():
    """Weeks with learning done in a row, counting this week or ending last week."""
    monday = TODAY - timedelta(days=TODAY.weekday())
    assert streak({monday, monday - timedelta(weeks=1), monday - timedelta(weeks=2)},
                  TODAY) == 3
    assert streak({monday - timedelta(weeks=1), monday - timedelta(weeks=2)}, TODAY) == 2
    assert streak({monday - timedelta(weeks=3)}, TODAY) == 0


def test_editing_the_schedule_keeps_resolved_dates(app, client, employee):
    """Changing an activity keeps past outcomes and re-plans only coming dates."""
    goal_id = make_goal(app, employee.id)
    activity_id, (past, _future) = make_activity(app, goal_id, days_ago=3,
                                                 recurrence="weekly", count=2)
    client.login(employee.email)
    client.post_form(f"/occurrences/{past}", {"outcome": "done"})
    start = TODAY - timedelta(days=3)
    client.post_form(f"/activities/{activity_id}/edit", _activity_form(
        starts_on=start.isoformat(), recurrence="weekly",
        until=(start + timedelta(weeks=4)).isoformat(), title="Renamed session"))
    rows = _occurrences(app, activity_id)
    assert rows[0].status == "done" and rows[0].planned_on == start
    assert [r.planned_on for r in rows[1:]] == [start + timedelta(weeks=w) for w in (1, 2, 3, 4)]


def test_activity_soft_delete_and_restore(app, client, employee):
    """A deleted activity leaves the plan and returns on restore."""
    goal_id = make_goal(app, employee.id)
    activity_id, _ = make_activity(app, goal_id, days_ago=-3, title="Removable")
    client.login(employee.email)
    client.post_form(f"/activities/{activity_id}/delete")
    assert "Removable" not in client.get("/plan").get_data(as_text=True)
    client.post_form(f"/activities/{activity_id}/restore")
    assert "Removable" in client.get("/plan").get_data(as_text=True)


def test_printable_plan_lists_goals_and_coming_dates(app, client, employee):
    """The one-page plan shows goals and the next weeks' activities."""
    goal_id = make_goal(app, employee.id, title="Printable goal")
    make_activity(app, goal_id, days_ago=-4, title="Coming visit")
    client.login(employee.email)
    html = client.get("/plan/print").get_data(as_text=True)
    assert "Printable goal" in html and "Coming visit" in html


def test_repeat_without_last_date_says_the_last_date_is_needed(app, client, employee):
    """A weekly activity with no last date is told it needs one, not that it is too early."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    response = client.post_form(f"/goals/{goal_id}/activities/new", _activity_form(
        recurrence="weekly", until="", title="Kept title"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="Kept title"' in html
    assert field_error(html, "until") == "A repeating activity needs a last date."
    assert _occurrences(app) == []


def test_activity_dates_far_away_are_refused(app, client, employee):
    """A first date in year 9999 (or 1990) is refused by its field; nothing is planned."""
    goal_id = make_goal(app, employee.id)
    client.login(employee.email)
    late = client.post_form(f"/goals/{goal_id}/activities/new",
                            _activity_form(starts_on="9999-01-01"))
    assert late.status_code == 422
    assert "no later than" in field_error(late.get_data(as_text=True), "starts_on")
    early = client.post_form(f"/goals/{goal_id}/activities/new",
                             _activity_form(starts_on="1990-01-01", title=""))
    html = early.get_data(as_text=True)
    assert field_error(html, "starts_on") == "Choose a date within the last year or later."
    assert field_error(html, "title")  # reported in the same round
    assert _occurrences(app) == []


def test_done_long_before_the_planned_date_is_refused(app, client, employee):
    """A date planned last week cannot have been done in 1990 (at most a year before)."""
    goal_id = make_goal(app, employee.id)
    _, (occurrence_id,) = make_activity(app, goal_id, days_ago=6)
    client.login(employee.email)
    response = client.post_form(f"/occurrences/{occurrence_id}", {
        "outcome": "done", "happened_on": "1990-05-01"})
    assert response.status_code == 422
    earliest = TODAY - timedelta(days=6 + 365)
    message = field_error(response.get_data(as_text=True), "happened_on")
    assert message.startswith("Choose a date no earlier than") and str(earliest.year) in message
    occurrence = _occurrences(app)[0]
    assert occurrence.status == "planned" and occurrence.happened_on is None
    ok = client.post_form(f"/occurrences/{occurrence_id}", {
        "outcome": "done", "happened_on": (TODAY - timedelta(days=300)).isoformat()})
    assert ok.status_code == 302


def test_reschedule_to_year_9999_is_refused(app, client, employee):
    """A new date more than 5 years ahead is refused by its field; the date stays planned."""
    goal_id = make_goal(app, employee.id)
    _, (occurrence_id,) = make_activity(app, goal_id, days_ago=1)
    client.login(employee.email)
    response = client.post_form(f"/occurrences/{occurrence_id}/reschedule",
                                {"new_date": "9999-01-01"})
    assert response.status_code == 422
    assert "no later than" in field_error(response.get_data(as_text=True), "new_date")
    assert [o.status for o in _occurrences(app)] == ["planned"]


def test_the_service_refuses_done_more_than_a_year_before_the_planned_day(app, employee):
    """Whatever form calls it, resolve() keeps a done date within a year of the planned one."""
    from pdplanner.accounts.models import User
    from pdplanner.errors import RuleViolation
    from pdplanner.learning.plans import resolve

    goal_id = make_goal(app, employee.id)
    _, (occurrence_id,) = make_activity(app, goal_id, days_ago=6)
    with app.app_context():
        owner, occurrence = db.session.get(User, employee.id), db.session.get(
            Occurrence, occurrence_id)
        with pytest.raises(RuleViolation) as refused:
            resolve(owner, occurrence, "done", occurrence.planned_on - timedelta(days=366))
        assert refused.value.field == "happened_on"
        db.session.rollback()
        resolve(owner, occurrence, "done", occurrence.planned_on - timedelta(days=365))
        assert db.session.get(Occurrence, occurrence_id).status == "done"


def test_activity_started_over_a_year_ago_can_be_edited_keeping_its_first_date(
        app, client, employee):
    """A weekly activity begun 400 days ago is renamed; only a changed first date is checked."""
    goal_id = make_goal(app, employee.id)
    activity_id, _ = make_activity(app, goal_id, days_ago=400, recurrence="weekly", count=80)
    start = TODAY - timedelta(days=400)
    fields = _activity_form(starts_on=start.isoformat(), recurrence="weekly",
                            until=(start + timedelta(weeks=80)).isoformat(),
                            title="Renamed long series")
    client.login(employee.email)
    assert client.post_form(f"/activities/{activity_id}/edit", fields).status_code == 302
    with app.app_context():
        activity = db.session.get(Activity, activity_id)
        assert (activity.title, activity.starts_on) == ("Renamed long series", start)
    earlier = (start - timedelta(days=1)).isoformat()
    response = client.post_form(f"/activities/{activity_id}/edit",
                                {**fields, "starts_on": earlier})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True),
                        "starts_on") == "Choose a date within the last year or later."
    with app.app_context():
        assert db.session.get(Activity, activity_id).starts_on == start


def test_update_activity_service_accepts_the_unchanged_old_first_date(app, employee):
    """update_activity() keeps an unchanged first date over a year old, refuses a changed one."""
    from pdplanner.accounts.models import User
    from pdplanner.errors import RuleViolation
    from pdplanner.learning.plans import ActivityData, update_activity

    goal_id = make_goal(app, employee.id)
    activity_id, _ = make_activity(app, goal_id, days_ago=400)
    start = TODAY - timedelta(days=400)
    with app.app_context():
        owner, activity = db.session.get(User, employee.id), db.session.get(Activity,
                                                                            activity_id)
        with pytest.raises(RuleViolation) as refused:
            update_activity(owner, activity, ActivityData(
                kind="peer_learning", title="Moved", starts_on=start - timedelta(days=1)))
        assert refused.value.field == "starts_on"
        db.session.rollback()
        activity = db.session.get(Activity, activity_id)
        update_activity(owner, activity, ActivityData(kind="peer_learning", title="Kept",
                                                      starts_on=start))
        assert db.session.get(Activity, activity_id).title == "Kept"


def test_one_off_and_moved_session_dates_start_today(app, client, make_user):
    """Supervision date fields say "from today on" for 1900 and yesterday, as the service does."""
    from datetime import UTC, datetime, time

    from pdplanner.supervision.models import Session

    boss = make_user("boss@example.org", "Binta Boss", timezone="Africa/Bamako")
    report = make_user("report@example.org", "Rokia Report", supervisor_id=boss.id)
    with app.app_context():
        session = Session(supervisor_id=boss.id, report_id=report.id, status="planned",
                          starts_at=datetime.combine(TODAY + timedelta(days=2), time(10),
                                                     tzinfo=UTC))
        db.session.add(session)
        db.session.commit()
        session_id = session.id
    client.login(boss.email)
    for url in (f"/team/{report.id}/sessions/new", f"/sessions/{session_id}/move"):
        for day in ("1900-01-01", (TODAY - timedelta(days=1)).isoformat()):
            response = client.post_form(url, {"day": day, "at": "11:00"})
            assert response.status_code == 422
            assert field_error(response.get_data(as_text=True),
                                "day") == "Choose a date from today on."


def test_rescheduling_onto_a_date_the_activity_already_has_is_refused(app, client, employee):
    """Two entries on one day would be a duplicate: the new date is refused by its field."""
    goal_id = make_goal(app, employee.id)
    _, (first, second) = make_activity(app, goal_id, days_ago=1, recurrence="weekly", count=2)
    client.login(employee.email)
    taken = (TODAY - timedelta(days=1) + timedelta(weeks=1)).isoformat()
    response = client.post_form(f"/occurrences/{first}/reschedule", {"new_date": taken})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "new_date") == (
        "This activity is already planned on that day.")
    assert [o.status for o in _occurrences(app)] == ["planned", "planned"]


def test_my_learning_rows_say_what_when_and_how_it_went(app, client, employee):
    """This week: the day, the title (escaped) and, once no longer planned, a badge saying
    how it went; a date to resolve: its title, full date, kind and goal (escaped), and the
    buttons that settle it."""
    from pdplanner.formatting import dateformat

    goal_id = make_goal(app, employee.id, title="Goal <b>two</b>")
    _, (done_id,) = make_activity(app, goal_id, days_ago=0, title="Ward <round>")
    _, (open_id,) = make_activity(app, goal_id, days_ago=9, title="Audit & review")
    with app.app_context():
        done = db.session.get(Occurrence, done_id)
        done.status, done.happened_on = "done", TODAY
        db.session.commit()
    client.login(employee.email)
    html = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        day, full = dateformat(TODAY, "EEE d MMM"), dateformat(TODAY - timedelta(days=9), "full")
    assert (f'<li>{day} — Ward &lt;round&gt;\n        <span class="badge done">Done</span>'
            '</li>') in html
    section = html.split('id="resolve-h"', 1)[1].split("</section>", 1)[0]
    assert (f'<strong>Audit &amp; review</strong><br><span class="muted small">{full} · Peer '
            'learning session · Goal &lt;b&gt;two&lt;/b&gt;</span>') in section
    assert f'action="/occurrences/{open_id}/quick/done"' in section
