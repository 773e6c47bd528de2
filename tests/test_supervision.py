"""Supervision: schedules, agendas built from goals, sessions held or missed, privacy."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Goal, Occurrence, Reflection, SkillAssessment
from pdplanner.supervision.cadence import cadence_dates, local_to_utc
from pdplanner.supervision.models import AgendaItem, AgreedAction, Schedule, Session
from tests.conftest import field_error
from tests.learning_factories import make_activity, make_goal

TODAY = date.today()
SENTINEL = "SUPERVISOR-PRIVATE-SENTINEL-5d2"


@pytest.fixture
def pair(make_user):
    """A supervisor and a report (in Bamako, UTC+0)."""
    boss = make_user("boss@example.org", "Binta Boss", timezone="Africa/Bamako")
    report = make_user("report@example.org", "Rokia Report", supervisor_id=boss.id)
    return boss, report


def _sessions(app, **filters) -> list[Session]:
    with app.app_context():
        rows = list(db.session.scalars(select(Session).filter_by(**filters)
                                       .order_by(Session.starts_at)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _session(app, boss_id, report_id, days=0, hour=10, status="planned") -> int:
    with app.app_context():
        day = TODAY + timedelta(days=days)
        session = Session(supervisor_id=boss_id, report_id=report_id, status=status,
                          starts_at=datetime.combine(day, time(hour), tzinfo=UTC))
        db.session.add(session)
        db.session.commit()
        return session.id


def test_schedule_creates_the_coming_sessions(app, client, pair):
    """A fortnightly schedule plans sessions for the next three months at the local time."""
    boss, report = pair
    client.login(boss.email)
    first = TODAY + timedelta(days=2)
    response = client.post_form(f"/team/{report.id}/schedule", {
        "cadence": "fortnightly", "starts_on": first.isoformat(), "at": "09:30",
        "duration_minutes": "45"}, follow_redirects=True)
    sessions = _sessions(app)
    assert len(sessions) == len(cadence_dates(first, "fortnightly", TODAY + timedelta(days=92)))
    assert f"Schedule saved: {len(sessions)} sessions planned." in response.get_data(
        as_text=True)
    assert sessions[0].starts_at == datetime.combine(first, time(9, 30), tzinfo=UTC)
    assert sessions[1].starts_at - sessions[0].starts_at == timedelta(weeks=2)


def test_local_time_follows_daylight_saving():
    """09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer."""
    assert local_to_utc(date(2027, 1, 12), time(9), "Europe/Paris").hour == 8
    assert local_to_utc(date(2027, 7, 12), time(9), "Europe/Paris").hour == 7


def test_changing_the_cadence_replans_empty_coming_sessions(app, client, pair):
    """A new rhythm replaces untouched coming sessions of the old one."""
    boss, report = pair
    client.login(boss.email)
    first = TODAY + timedelta(days=2)
    form = {"cadence": "weekly", "starts_on": first.isoformat(), "at": "09:00",
            "duration_minutes": "60"}
    client.post_form(f"/team/{report.id}/schedule", form)
    weekly = len(_sessions(app))
    response = client.post_form(f"/team/{report.id}/schedule", {**form, "cadence": "monthly"},
                                follow_redirects=True)
    monthly = len(cadence_dates(first, "monthly", TODAY + timedelta(days=92)))
    assert len(_sessions(app)) == monthly
    # The first date is on both rhythms: that session stays; the other weekly ones go.
    assert (f"Schedule saved: {monthly} sessions planned. {weekly - 1} empty sessions of the "
            "old rhythm were removed.") in response.get_data(as_text=True)
    ids = {s.id for s in _sessions(app)}
    again = client.post_form(f"/team/{report.id}/schedule", {**form, "cadence": "monthly"},
                             follow_redirects=True)
    assert {s.id for s in _sessions(app)} == ids  # saving unchanged changes nothing
    assert f"Schedule saved: {monthly} sessions planned." in again.get_data(as_text=True)
    assert "removed" not in again.get_data(as_text=True)


def test_only_the_supervisor_schedules(client, pair, make_user):
    """Another person gets 404 on someone else's report."""
    _, report = pair
    stranger = make_user(name="Stranger")
    client.login(stranger.email)
    assert client.get(f"/team/{report.id}/schedule").status_code == 404


def test_same_pair_same_time_is_refused_with_a_message(app, client, pair):
    """A second session at the same time (or a double submit) creates nothing new."""
    boss, report = pair
    client.login(boss.email)
    form = {"day": (TODAY + timedelta(days=3)).isoformat(), "at": "11:00"}
    assert client.post_form(f"/team/{report.id}/sessions/new", form).status_code == 302
    again = client.post_form(f"/team/{report.id}/sessions/new", form)
    assert again.status_code == 422
    assert "already have a session" in again.get_data(as_text=True)
    assert len(_sessions(app)) == 1


def test_agenda_is_built_from_shared_goals_and_outcomes(app, client, pair):
    """Shared goals, outcomes since last time and shared reflections; private goals stay out."""
    boss, report = pair
    shared = make_goal(app, report.id, title="Shared goal title")
    make_goal(app, report.id, title="Private goal title", visibility="private")
    _, (occurrence_id,) = make_activity(app, shared, days_ago=3, title="Coaching visit")
    with app.app_context():
        occurrence = db.session.get(Occurrence, occurrence_id)
        occurrence.status, occurrence.happened_on = "done", occurrence.planned_on
        db.session.add(Reflection(occurrence=occurrence, owner_id=report.id,
                                  learned="Shared insight", visibility="shared"))
        db.session.commit()
    session_id = _session(app, boss.id, report.id, days=1)
    client.login(boss.email)
    html = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "Shared goal title" in html and "Coaching visit" in html and "Shared insight" in html
    assert "Private goal title" not in html
    assert "Goals waiting for agreement" in html


def test_review_agrees_rates_and_comments(app, client, pair):
    """One save per goal records the agreement, a supervisor rating and a comment."""
    from pdplanner.catalog.models import Skill

    boss, report = pair
    goal_id = make_goal(app, report.id)
    with app.app_context():
        skill = Skill(name_en="Coaching", name_fr="Coaching", status="catalogue")
        goal = db.session.get(Goal, goal_id)
        goal.skills.append(skill)
        db.session.commit()
        skill_id = skill.id
    session_id = _session(app, boss.id, report.id, days=1)
    client.login(boss.email)
    response = client.post_form(f"/sessions/{session_id}/goals/{goal_id}", {
        f"g{goal_id}-note": "Halfway there", f"g{goal_id}-agree": "y",
        f"g{goal_id}-skill_id": str(skill_id), f"g{goal_id}-level": "3",
        f"g{goal_id}-comment": "Keep going"})
    assert response.status_code == 302
    with app.app_context():
        goal = db.session.get(Goal, goal_id)
        assert goal.agreed_by_id == boss.id
        rating = db.session.scalar(select(SkillAssessment))
        assert (rating.level, rating.assessed_by_id, rating.person_id) == (3, boss.id,
                                                                            report.id)


def test_agreed_action_becomes_a_planned_activity(app, make_client, pair):
    """An action for the report lands on their plan; they see it on the goal page."""
    boss, report = pair
    goal_id = make_goal(app, report.id)
    session_id = _session(app, boss.id, report.id, days=1)
    supervisor = make_client()
    supervisor.login(boss.email)
    due = TODAY + timedelta(days=10)
    supervisor.post_form(f"/sessions/{session_id}/actions", {
        "text": "Observe a QI meeting in Banconi", "owner": "report",
        "goal_id": str(goal_id), "due_on": due.isoformat(), "kind": "job_shadowing"})
    with app.app_context():
        activity = db.session.scalar(select(Activity))
        assert (activity.goal_id, activity.kind, activity.starts_on) == (goal_id,
                                                                         "job_shadowing", due)
    employee = make_client()
    employee.login(report.email)
    assert "Observe a QI meeting in Banconi" in employee.get(f"/goals/{goal_id}").get_data(
        as_text=True)


def test_action_for_report_needs_a_goal(app, client, pair):
    """An action going on the plan must name its goal; the text typed is kept."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=1)
    client.login(boss.email)
    html = client.post_form(f"/sessions/{session_id}/actions", {
        "text": "Kept action text", "owner": "report", "goal_id": "",
        "due_on": (TODAY + timedelta(days=3)).isoformat()}).get_data(as_text=True)
    assert 'id="goal_id-error"' in html and 'value="Kept action text"' in html
    # With no goal shared yet, the page says so and offers to suggest one.
    assert "Rokia Report has no goal shared with you yet" in html
    assert f'href="/team/{report.id}/suggest">Suggest a goal</a>' in html
    goal_id = make_goal(app, report.id)
    html = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "has no goal shared with you yet" not in html and f'value="{goal_id}"' in html


def test_private_notes_never_reach_the_report(app, make_client, pair, hr):
    """Supervisor-private notes show to the supervisor only; the report sees shared notes."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=-1)
    supervisor = make_client()
    supervisor.login(boss.email)
    supervisor.post_form(f"/sessions/{session_id}/notes", {
        "shared_notes": "Shared plan", "private_notes": SENTINEL, "version": "1"})
    assert SENTINEL in supervisor.get(f"/sessions/{session_id}").get_data(as_text=True)
    employee = make_client()
    employee.login(report.email)
    for url in (f"/sessions/{session_id}", f"/sessions/{session_id}/print", "/sessions", "/"):
        html = employee.get(url).get_data(as_text=True)
        assert SENTINEL not in html, url
    assert "Shared plan" in employee.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert SENTINEL not in supervisor.get(f"/sessions/{session_id}/print").get_data(
        as_text=True)
    hr_client = make_client()
    hr_client.login(hr.email)
    assert hr_client.get(f"/sessions/{session_id}").status_code == 404


def test_stale_notes_get_409_with_text_kept(app, make_client, pair):
    """Two tabs saving notes: the second is refused with its text shown again."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=1)
    first, second = make_client(), make_client()
    first.login(boss.email)
    second.login(boss.email)
    first.post_form(f"/sessions/{session_id}/notes", {"shared_notes": "one",
                                                      "private_notes": "", "version": "1"})
    response = second.post_form(f"/sessions/{session_id}/notes", {
        "shared_notes": "second tab text", "private_notes": "", "version": "1"})
    assert response.status_code == 409
    assert "second tab text" in response.get_data(as_text=True)


def test_held_in_future_is_refused(app, client, pair):
    """A session cannot be marked held at a future date."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=2)
    client.login(boss.email)
    html = client.post_form(f"/sessions/{session_id}/held", {
        "held_on": (TODAY + timedelta(days=2)).isoformat()}).get_data(as_text=True)
    assert 'id="held_on-error"' in html
    assert _sessions(app)[0].status == "planned"


def test_uncovered_points_carry_over_when_held(app, client, pair):
    """Points not covered move to the pair's next session."""
    boss, report = pair
    now_id = _session(app, boss.id, report.id, days=-1)
    next_id = _session(app, boss.id, report.id, days=13)
    client.login(boss.email)
    client.post_form(f"/sessions/{now_id}/items", {"text": "Budget for training"})
    client.post_form(f"/sessions/{now_id}/items", {"text": "Covered point"})
    with app.app_context():
        covered = db.session.scalar(select(AgendaItem).filter_by(text="Covered point"))
        covered_id = covered.id
    client.post_form(f"/sessions/{now_id}/items/{covered_id}")
    client.post_form(f"/sessions/{now_id}/held", {"held_on": TODAY.isoformat()})
    with app.app_context():
        carried = [i.text for i in db.session.scalars(select(AgendaItem).filter_by(
            session_id=next_id))]
    assert carried == ["Budget for training"]


def test_missed_needs_a_reason(app, client, pair):
    """Marking missed without a reason is refused; with one it is recorded."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=-2)
    client.login(boss.email)
    assert client.post_form(f"/sessions/{session_id}/missed", {"reason": ""}).status_code == 422
    client.post_form(f"/sessions/{session_id}/missed", {"reason": "Road closed"})
    (session,) = _sessions(app)
    assert (session.status, session.missed_reason) == ("missed", "Road closed")


def test_report_adds_agenda_points_but_cannot_close_the_session(app, client, pair):
    """Both people add points; only the supervisor marks held."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=-1)
    client.login(report.email)
    client.post_form(f"/sessions/{session_id}/items", {"text": "My point"})
    assert client.post_form(f"/sessions/{session_id}/held",
                            {"held_on": TODAY.isoformat()}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 1


def test_my_team_flags_and_adherence(app, client, pair):
    """My team shows adherence and flags people without a goal or a recent session."""
    boss, report = pair
    goal_id = make_goal(app, report.id)
    _, occurrences = make_activity(app, goal_id, days_ago=20, recurrence="weekly", count=3)
    with app.app_context():
        rows = [db.session.get(Occurrence, i) for i in occurrences]
        rows[0].status, rows[1].status, rows[2].status = "done", "done", "missed"
        db.session.commit()
    client.login(boss.email)
    html = client.get("/team").get_data(as_text=True)
    assert "Rokia Report" in html and "67 %" in html and "2 / 1" in html
    assert "No session held in 60 days" in html and "No active goal" not in html


def test_past_open_session_is_to_resolve(app, client, pair):
    """A past session still planned is listed to resolve on My team."""
    boss, report = pair
    _session(app, boss.id, report.id, days=-3)
    client.login(boss.email)
    assert "Sessions to resolve" in client.get("/team").get_data(as_text=True)


def test_branch_is_visible_read_only(app, client, pair, make_user):
    """A supervisor's supervisor sees the branch below, without links to act on it."""
    boss, report = pair
    top = make_user(name="Director Top")
    with app.app_context():
        db.session.get(User, boss.id).supervisor_id = top.id
        db.session.commit()
    client.login(top.email)
    html = client.get("/team").get_data(as_text=True)
    assert "Rokia Report" in html and "via Binta Boss" in html
    assert f"/team/{report.id}/sessions" not in html
    assert client.get(f"/team/{report.id}/sessions").status_code == 404


def test_reassigning_moves_coming_sessions(app, make_client, pair, hr, make_user):
    """A new supervisor takes over coming sessions; the old one loses access to them."""
    boss, report = pair
    new_boss = make_user(name="New Boss")
    past_id = _session(app, boss.id, report.id, days=-7, status="held")
    future_id = _session(app, boss.id, report.id, days=7)
    manager = make_client()
    manager.login(hr.email)
    with app.app_context():
        person = db.session.get(User, report.id)
        version = person.version
    manager.post_form(f"/people/{report.id}", {
        "name": report.name, "email": report.email, "team_id": "", "level_id": "",
        "supervisor_id": str(new_boss.id), "language": "", "timezone": "",
        "version": str(version)})
    future = _sessions(app, id=future_id)[0]
    assert future.supervisor_id == new_boss.id
    old = make_client()
    old.login(boss.email)
    assert old.get(f"/sessions/{future_id}").status_code == 404
    assert old.get(f"/sessions/{past_id}").status_code == 200


def test_reassigning_by_import_also_moves_sessions(app, client, pair, admin, make_user):
    """A staff import that changes someone's supervisor moves their coming sessions too."""
    import io

    boss, report = pair
    make_user("newboss@example.org", "New Boss")
    future_id = _session(app, boss.id, report.id, days=7)
    client.login(admin.email)
    csv = "email,name,supervisor_email\nreport@example.org,Rokia Report,newboss@example.org\n"
    client.post("/people/import", data={"csrf_token": client.csrf_token(),
                                        "file": (io.BytesIO(csv.encode()), "staff.csv")},
                content_type="multipart/form-data")
    with app.app_context():
        new_id = db.session.scalar(select(User.id).filter_by(email="newboss@example.org"))
    assert _sessions(app, id=future_id)[0].supervisor_id == new_id


def test_supervisor_without_own_time_zone_sets_a_schedule(app, client, make_user):
    """The organisation's zone applies when the supervisor chose none (no 500)."""
    boss = make_user("tzless@example.org", "No Zone Boss")
    report = make_user("r2@example.org", "Report Two", supervisor_id=boss.id)
    client.login(boss.email)
    response = client.post_form(f"/team/{report.id}/schedule", {
        "cadence": "monthly", "starts_on": (TODAY + timedelta(days=1)).isoformat(),
        "at": "10:00", "duration_minutes": "60"})
    assert response.status_code == 302
    assert _sessions(app)[0].starts_at.hour == 10  # Africa/Bamako is UTC+0


# --- One date and time style, French typography (product review) -------------------------

FIXED = datetime(2030, 11, 21, 10, tzinfo=UTC)  # a Thursday, far enough ahead to be "next"


def _fixed_session(app, boss_id, report_id) -> int:
    with app.app_context():
        session = Session(supervisor_id=boss_id, report_id=report_id, starts_at=FIXED,
                          duration_minutes=45)
        db.session.add(session)
        db.session.commit()
        return session.id


def _no_machine_formats(html: str) -> None:
    assert "Greenwich" not in html and "GMT" not in html and "heure moyenne" not in html
    assert "10:00:00" not in html and "/30," not in html and "Nov 21, 2030" not in html


def test_dates_and_times_share_one_style(app, client, pair):
    """Session page, printed sheet, history and My team show "Thu 21 Nov 2030, 10:00"."""
    boss, report = pair
    session_id = _fixed_session(app, boss.id, report.id)
    held = TODAY - timedelta(days=3)
    with app.app_context():
        db.session.add(Session(supervisor_id=boss.id, report_id=report.id, status="held",
                               held_on=held, starts_at=datetime.combine(held, time(9),
                                                                        tzinfo=UTC)))
        db.session.commit()
    client.login(boss.email)
    page = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "Thursday 21 November 2030, 10:00 · 45 min" in page
    sheet = client.get(f"/sessions/{session_id}/print").get_data(as_text=True)
    assert "Supervisor: Binta Boss · Thu 21 Nov 2030, 10:00" in sheet
    history = client.get(f"/team/{report.id}/sessions").get_data(as_text=True)
    assert "Thu 21 Nov 2030, 10:00" in history
    team = client.get("/team").get_data(as_text=True)
    assert f"{held:%a} {held.day} {held:%b %Y}" in team and "Thu 21 Nov 2030, 10:00" in team
    for html in (page, sheet, history, team):
        _no_machine_formats(html)


def test_dates_in_french_follow_the_reader(app, client, make_user):
    """A French reader in Paris sees "jeu. 21 nov. 2030, 11:00": 24-hour, no zone name."""
    boss = make_user("chef@example.org", "Binta Cheffe", timezone="Europe/Paris",
                     language="fr")
    report = make_user("agent@example.org", "Rokia Agent", supervisor_id=boss.id)
    session_id = _fixed_session(app, boss.id, report.id)
    client.login(boss.email)
    page = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "jeudi 21 novembre 2030, 11:00" in page  # Paris is UTC+1 in November
    sheet = client.get(f"/sessions/{session_id}/print").get_data(as_text=True)
    assert "jeu. 21 nov. 2030, 11:00" in sheet
    team = client.get("/team").get_data(as_text=True)
    assert "jeu. 21 nov. 2030, 11:00" in team
    for html in (page, sheet, team):
        _no_machine_formats(html)
        assert "11:00:00" not in html


def test_agreed_action_without_date_has_no_empty_separator(app, client, pair):
    """An action with no due date does not show "· ·"."""
    from pdplanner.supervision.models import AgreedAction

    boss, report = pair
    session_id = _fixed_session(app, boss.id, report.id)
    with app.app_context():
        db.session.add(AgreedAction(session_id=session_id, text="Call the lab",
                                    owner="supervisor"))
        db.session.commit()
    client.login(boss.email)
    html = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "Call the lab" in html and "· ·" not in html


def test_a_new_rhythm_keeps_written_sessions_and_plans_nothing_right_beside_them(app, pair):
    """Changing the day keeps a session with notes, removes empty ones, adds no near-twin."""
    from pdplanner.supervision.cadence import set_schedule

    boss, report = pair
    first = TODAY + timedelta(days=2)
    with app.app_context():
        supervisor, person = db.session.get(User, boss.id), db.session.get(User, report.id)
        before = set_schedule(supervisor, person, "weekly", first, time(9), 60)
        sessions = list(db.session.scalars(select(Session).order_by(Session.starts_at)))
        sessions[0].shared_notes = "Bring the register"  # something written: it stays
        db.session.commit()
        after = set_schedule(supervisor, person, "weekly", first + timedelta(days=1), time(9),
                             60)
        assert (after.removed, after.kept) == (before.created - 1, 1)
        planned = list(db.session.scalars(select(Session.starts_at).where(
            Session.status == "planned").order_by(Session.starts_at)))
    assert planned[0] == datetime.combine(first, time(9), tzinfo=UTC)  # the written one
    # The new rhythm's first date (the day after the kept session) is skipped, not doubled.
    assert planned[1] == datetime.combine(first + timedelta(days=8), time(9), tzinfo=UTC)
    assert all(b - a >= timedelta(days=2) for a, b in zip(planned, planned[1:], strict=False))
    assert after.created == len(planned) - 1


def test_one_off_session_in_year_9999_is_refused(app, client, pair):
    """A one-off session more than 5 years ahead is refused by its date field."""
    boss, report = pair
    client.login(boss.email)
    response = client.post_form(f"/team/{report.id}/sessions/new",
                                {"day": "9999-01-01", "at": "10:00"})
    assert response.status_code == 422
    assert "no later than" in field_error(response.get_data(as_text=True), "day")
    assert _sessions(app) == []


def test_schedule_starting_in_year_9999_is_refused(app, client, pair):
    """A schedule's first session more than 5 years ahead is refused; none is planned."""
    boss, report = pair
    client.login(boss.email)
    response = client.post_form(f"/team/{report.id}/schedule", {
        "cadence": "monthly", "starts_on": "9999-01-01", "at": "09:30",
        "duration_minutes": "45"})
    assert response.status_code == 422
    assert "no later than" in field_error(response.get_data(as_text=True), "starts_on")
    assert _sessions(app) == []


def test_action_due_in_year_9999_is_refused(app, client, pair):
    """An agreed action due more than 5 years ahead is refused; its text is kept."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=1)
    client.login(boss.email)
    response = client.post_form(f"/sessions/{session_id}/actions", {
        "text": "Kept action text", "owner": "supervisor", "goal_id": "",
        "due_on": "9999-01-01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="Kept action text"' in html
    assert "no later than" in field_error(html, "due_on")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AgreedAction)) == 0


def test_held_long_before_the_planned_date_is_refused(app, client, pair):
    """A session planned last week cannot have been held in 1990 (nor count for HR)."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=-7)
    client.login(boss.email)
    response = client.post_form(f"/sessions/{session_id}/held", {"held_on": "1990-01-01"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "held_on").startswith(
        "Choose a date no earlier than")
    (session,) = _sessions(app)
    assert session.status == "planned" and session.held_on is None


def test_the_service_refuses_held_more_than_a_year_before_the_planned_day(app, pair):
    """mark_held() keeps the date held within a year of the planned day, form or not."""
    from pdplanner.errors import RuleViolation
    from pdplanner.supervision.sessions import mark_held, planned_day

    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=-7)
    with app.app_context():
        supervisor, session = db.session.get(User, boss.id), db.session.get(Session, session_id)
        planned = planned_day(supervisor, session)
        with pytest.raises(RuleViolation) as refused:
            mark_held(supervisor, session, planned - timedelta(days=366))
        assert refused.value.field == "held_on"
        db.session.rollback()
        mark_held(supervisor, session, planned - timedelta(days=365))
        assert db.session.get(Session, session_id).status == "held"


def test_moving_a_session_starts_from_its_current_slot(app, client, pair):
    """The move form says when the session is now and is filled with that date and time."""
    boss, report = pair
    day = TODAY + timedelta(days=5)
    session_id = _session(app, boss.id, report.id, days=5, hour=14)
    client.login(boss.email)
    html = client.get(f"/sessions/{session_id}/move").get_data(as_text=True)
    assert f'value="{day.isoformat()}"' in html and 'value="14:00"' in html
    assert f"Now planned for {day:%A} {day.day} {day:%B %Y}, 14:00." in html


def test_moving_a_session_onto_another_gives_a_message_not_an_error(app, client, pair):
    """The slot of another session of the pair is refused next to the date; nothing moves."""
    boss, report = pair
    taken = _session(app, boss.id, report.id, days=5, hour=14)
    moving = _session(app, boss.id, report.id, days=6, hour=9)
    client.login(boss.email)
    day = (TODAY + timedelta(days=5)).isoformat()
    response = client.post_form(f"/sessions/{moving}/move", {"day": day, "at": "14:00"})
    assert response.status_code == 422
    assert "You already have a session with this person at that time." in response.get_data(
        as_text=True)
    starts = {s.id: s.starts_at for s in _sessions(app)}
    assert starts[moving] == datetime.combine(TODAY + timedelta(days=6), time(9), tzinfo=UTC)
    assert taken in starts


def test_held_on_starts_at_the_planned_day(app, client, pair):
    """A session planned last week is offered as held on its own day, not today."""
    boss, report = pair
    session_id = _session(app, boss.id, report.id, days=-7)
    client.login(boss.email)
    html = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    planned = (TODAY - timedelta(days=7)).isoformat()
    assert re.search(rf'id="held_on"[^>]*value="{planned}"|value="{planned}"[^>]*id="held_on"',
                     html)


def test_a_schedule_begun_long_ago_can_change_its_time_keeping_its_first_date(app, client,
                                                                              pair):
    """Only the hour changes: the first date, now past, is kept; coming sessions move."""
    boss, report = pair
    with app.app_context():
        db.session.add(Schedule(supervisor_id=boss.id, report_id=report.id, cadence="weekly",
                                starts_on=TODAY - timedelta(days=30), at=time(9),
                                duration_minutes=60, timezone="Africa/Bamako"))
        db.session.commit()
    client.login(boss.email)
    page = client.get(f"/team/{report.id}/schedule").get_data(as_text=True)
    past = (TODAY - timedelta(days=30)).isoformat()
    assert f'value="{past}"' in page
    response = client.post_form(f"/team/{report.id}/schedule", {
        "cadence": "weekly", "starts_on": past, "at": "11:00", "duration_minutes": "60"})
    assert response.status_code == 302
    assert {s.starts_at.time() for s in _sessions(app)} == {time(11)}
    moved = client.post_form(f"/team/{report.id}/schedule", {
        "cadence": "weekly", "starts_on": (TODAY - timedelta(days=29)).isoformat(),
        "at": "11:00", "duration_minutes": "60"})
    assert moved.status_code == 422  # a changed first date must not be in the past
