"""Exchanges: record one, lessons, share-back, adopt, follow up, and search the library."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pdplanner.exchanges.models import Adoption, Exchange, FollowUp, Lesson, Partner
from pdplanner.exchanges.search import fold
from pdplanner.extensions import db
from pdplanner.learning.models import Goal
from tests.conftest import field_error

TODAY = date.today()


def _exchange_form(**changes) -> dict:
    form = {"title": "Visit to Santé Plus", "kind": "visit_to",
            "starts_on": (TODAY - timedelta(days=3)).isoformat(),
            "ends_on": (TODAY - timedelta(days=2)).isoformat(), "staff_emails": "",
            "externals": "Dr Awa Sow, Santé Plus"}
    form.update(changes)
    return form


def _record(client, **changes) -> int:
    response = client.post_form("/exchanges/new", _exchange_form(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _lesson(client, exchange_id, **changes):
    form = {"form": "lesson", "title": "Daily huddles", "what_worked": "Sécurité des patients",
            "what_to_avoid": "", "idea": "Try a 10-minute huddle", "programme": "QI",
            "team_id": "", "tags": "huddle"}
    form.update(changes)
    return client.post_form(f"/exchanges/{exchange_id}", form)


def test_record_an_exchange_with_an_external_participant(app, client, employee, make_user):
    """Staff by e-mail, externals by name; the creator takes part; share-back due in 14 days."""
    colleague = make_user("col@example.org", "Colleague")
    client.login(employee.email)
    exchange_id = _record(client, staff_emails=colleague.email)
    with app.app_context():
        exchange = db.session.get(Exchange, exchange_id)
        assert {p.user_id for p in exchange.participants if p.user_id} == {employee.id,
                                                                           colleague.id}
        assert [(p.external_name, p.external_org) for p in exchange.participants
                if not p.user_id] == [("Dr Awa Sow", "Santé Plus")]
        assert exchange.share_back_due_on == TODAY - timedelta(days=2) + timedelta(days=14)


@pytest.mark.parametrize("changes,field", [
    ({"ends_on": (TODAY - timedelta(days=9)).isoformat()}, "ends_on"),
    ({"externals": ", Santé Plus"}, "externals"),
    ({"staff_emails": "ghost@example.org"}, "staff_emails"),
    ({"title": "x" * 201}, "title"),
])
def test_bad_exchange_input_is_refused_by_field_and_kept(app, client, employee, changes, field):
    """End before start, a nameless external, an unknown colleague, an over-long title."""
    client.login(employee.email)
    response = client.post_form("/exchanges/new", _exchange_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in html
    assert "Dr Awa Sow" in html or field == "externals"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Exchange)) == 0


def test_lessons_need_content_and_are_bounded(app, client, employee):
    """An empty lesson, or one over 2000 characters, is refused with a message."""
    client.login(employee.email)
    exchange_id = _record(client)
    empty = _lesson(client, exchange_id, what_worked="", idea="")
    assert empty.status_code == 422 and 'id="what_worked-error"' in empty.get_data(as_text=True)
    long = _lesson(client, exchange_id, idea="x" * 2001)
    assert long.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


@pytest.mark.parametrize("query", ["securite", "SÉCURITÉ", "huddles", "huddle", "secur"])
def test_search_folds_accents_and_stems(client, employee, query):
    """The library finds "Sécurité" without accents, in any case, by stem or prefix."""
    client.login(employee.email)
    exchange_id = _record(client)
    _lesson(client, exchange_id)
    html = client.get("/lessons", query_string={"q": query}).get_data(as_text=True)
    assert "Daily huddles" in html, query


def test_the_library_dates_a_lesson_by_its_exchange(client, employee):
    """A lesson from an exchange shows the exchange and the day it began, not the day typed."""
    from pdplanner.formatting import dateformat

    client.login(employee.email)
    _lesson(client, _record(client))
    html = client.get("/lessons").get_data(as_text=True)
    with client.application.test_request_context():
        began = dateformat(TODAY - timedelta(days=3))
    assert f"Visit to Santé Plus · {began}" in html


@pytest.mark.parametrize("query", ['" OR 1=1 --', "'; DROP TABLE lesson; --", "NEAR(a b)",
                                   "huddle*)", "%_%"])
def test_search_input_is_just_text(app, client, employee, query):
    """SQL- or FTS-looking input neither errors nor matches everything."""
    client.login(employee.email)
    exchange_id = _record(client)
    _lesson(client, exchange_id)
    response = client.get("/lessons", query_string={"q": query})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Lesson)) == 1


def test_filters_by_partner_and_team(app, client, hr):
    """Lessons filter by the exchange's partner and by the site they come from."""
    client.login(hr.email)
    client.post_form("/exchanges/partners", {"name": "Santé Plus"})
    with app.app_context():
        partner_id = db.session.scalar(select(Partner.id))
    with_partner = _record(client, partner_ids=str(partner_id), title="With partner")
    _lesson(client, with_partner, title="Partner lesson")
    other = _record(client, title="Without partner")
    _lesson(client, other, title="Other lesson")
    html = client.get(f"/lessons?partner={partner_id}").get_data(as_text=True)
    assert "Partner lesson" in html and "Other lesson" not in html


def test_partner_names_fold_case_and_accents(client, hr):
    """"Santé Plus" and "sante plus" are one partner."""
    client.login(hr.email)
    client.post_form("/exchanges/partners", {"name": "Santé Plus"})
    response = client.post_form("/exchanges/partners", {"name": "sante PLUS"})
    assert response.status_code == 422
    assert "already in the list" in response.get_data(as_text=True)
    assert fold("Santé Plus") == "sante plus"


def test_share_back_session_needs_attendees_and_is_recorded(app, client, employee):
    """A session share-back names who attended; then it counts as done."""
    client.login(employee.email)
    exchange_id = _record(client)
    form = {"form": "share_back", "kind": "session", "done_on": TODAY.isoformat(),
            "attendees": "", "note": ""}
    assert client.post_form(f"/exchanges/{exchange_id}", form).status_code == 422
    client.post_form(f"/exchanges/{exchange_id}", {**form, "attendees": "The QI team"})
    with app.app_context():
        assert db.session.get(Exchange, exchange_id).share_back_done_on == TODAY


def test_only_creator_participants_and_hr_edit(app, make_client, employee, make_user, hr):
    """A colleague who did not take part cannot add lessons or edit the exchange."""
    creator = make_client()
    creator.login(employee.email)
    exchange_id = _record(creator)
    stranger = make_client()
    stranger.login(make_user("str@example.org", "Stranger").email)
    assert stranger.get(f"/exchanges/{exchange_id}/edit").status_code == 403
    assert _lesson(stranger, exchange_id).status_code == 403
    assert stranger.get(f"/exchanges/{exchange_id}").status_code == 200  # visible to all
    manager = make_client()
    manager.login(hr.email)
    assert manager.get(f"/exchanges/{exchange_id}/edit").status_code == 200


#: The new-goal form as one sends it when adopting the demo lesson's idea.
ADOPTED = {"title": "Try a 10-minute huddle", "visibility": "private", "start": "1"}


def test_adopt_a_lesson_as_a_goal_and_say_if_it_worked(app, make_client, employee, make_user):
    """Anyone turns an idea into a goal (link kept) and later records whether it worked."""
    author = make_client()
    author.login(employee.email)
    exchange_id = _record(author)
    _lesson(author, exchange_id)
    with app.app_context():
        lesson_id = db.session.scalar(select(Lesson.id))
    adopter_user = make_user("adopt@example.org", "Adopter")
    adopter = make_client()
    adopter.login(adopter_user.email)
    response = adopter.post_form(f"/lessons/{lesson_id}/adopt", ADOPTED)
    with app.app_context():
        adoption = db.session.scalar(select(Adoption))
        goal = db.session.get(Goal, adoption.goal_id)
        assert goal.owner_id == adopter_user.id and goal.title == "Try a 10-minute huddle"
        adoption_id = adoption.id
    assert response.headers["Location"] == f"/goals/{adoption.goal_id}"
    adopter.post_form(f"/lessons/{lesson_id}", {"adoption_id": str(adoption_id),
                                                "worked": "yes", "note": "Fewer errors"})
    with app.app_context():
        assert db.session.get(Adoption, adoption_id).worked is True


def test_participant_answers_did_you_apply_it(app, client, employee):
    """A staff participant's answer is kept with the exchange."""
    client.login(employee.email)
    exchange_id = _record(client)
    client.post_form(f"/exchanges/{exchange_id}", {"form": "follow_up", "after_days": "30",
                                                   "applied": "yes", "note": "Huddles daily"})
    with app.app_context():
        answer = db.session.scalar(select(FollowUp))
        assert (answer.after_days, answer.applied) == (30, True)


def test_share_back_and_follow_up_reminders(app, client, employee, smtp_server):
    """A share-back coming due and "did you apply it?" at 30 days go out through the outbox."""
    from datetime import UTC, datetime

    import time_machine

    from pdplanner.reminders.models import OutboxMessage
    from pdplanner.reminders.services import sweep

    client.login(employee.email)
    exchange_id = _record(client)
    with app.app_context():
        exchange = db.session.get(Exchange, exchange_id)
        due, ends = exchange.share_back_due_on, exchange.ends_on
    for moment in (due - timedelta(days=2), ends + timedelta(days=30)):
        when = datetime.combine(moment, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
        with time_machine.travel(when, tick=False), app.app_context():
            sweep()
    with app.app_context():
        kinds = set(db.session.scalars(select(OutboxMessage.kind)))
    assert {"share_back", "apply_follow_up"} <= kinds


def test_demo_has_exchanges_with_an_overdue_share_back_and_an_adoption(app):
    """The seed records exchanges with lessons, one share-back overdue, one lesson adopted."""
    from pdplanner import demo
    from pdplanner.exchanges.queries import share_backs

    with app.app_context():
        demo.seed()
        assert db.session.scalar(select(func.count()).select_from(Lesson)) >= 3
        assert len(share_backs(TODAY)["overdue"]) == 1
        assert db.session.scalar(select(Adoption)) is not None
        from pdplanner.exchanges.queries import library

        assert library("securite").total == 1  # accents folded in the seeded French lesson


def test_adopting_twice_keeps_one_goal(app, client, employee):
    """A double click on "Try it" adopts the lesson once."""
    client.login(employee.email)
    exchange_id = _record(client)
    _lesson(client, exchange_id)
    with app.app_context():
        lesson_id = db.session.scalar(select(Lesson.id))
    first = client.post_form(f"/lessons/{lesson_id}/adopt", ADOPTED)
    second = client.post_form(f"/lessons/{lesson_id}/adopt", ADOPTED)
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Adoption)) == 1


@pytest.mark.parametrize("changes,field,message", [
    ({"starts_on": "9999-01-01", "ends_on": ""}, "starts_on", "Choose a date no later than"),
    ({"starts_on": "1900-01-01", "ends_on": ""}, "starts_on", "Choose a date no earlier than"),
    ({"ends_on": "9999-01-01"}, "ends_on", "Choose a date no later than"),
    ({"ends_on": "1900-01-01"}, "ends_on", "Choose a date no earlier than"),
])
def test_absurd_exchange_dates_are_refused(app, client, employee, changes, field, message):
    """Exchange days in 9999 or 1900 are refused by their field; nothing is recorded."""
    client.login(employee.email)
    response = client.post_form("/exchanges/new", _exchange_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Dr Awa Sow" in html
    assert field_error(html, field).startswith(message)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Exchange)) == 0


def test_exchange_form_reports_title_and_days_at_once(app, client, employee):
    """A short title and an end before the start are flagged in one round."""
    client.login(employee.email)
    response = client.post_form("/exchanges/new", _exchange_form(
        title="ab", ends_on=(TODAY - timedelta(days=9)).isoformat()))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "title")
    assert field_error(html, "ends_on") == "The last day cannot come before the first."
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Exchange)) == 0


def test_share_back_in_1900_is_refused(app, client, employee):
    """A share-back dated 1900 with no attendees gets both messages at once; nothing kept."""
    client.login(employee.email)
    exchange_id = _record(client)
    response = client.post_form(f"/exchanges/{exchange_id}", {
        "form": "share_back", "kind": "session", "done_on": "1900-01-01",
        "attendees": "", "note": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "done_on").startswith("Choose a date no earlier than")
    assert field_error(html, "attendees") == "Say who attended the session."
    with app.app_context():
        assert db.session.get(Exchange, exchange_id).share_back_done_on is None


def _sweep_on(app, day: date) -> None:
    """Run the reminders sweep at 09:00 UTC on `day`."""
    from datetime import UTC, datetime

    import time_machine

    from pdplanner.reminders.services import sweep

    when = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    with time_machine.travel(when, tick=False), app.app_context():
        sweep()


def _notices(app, subject_ref: str) -> dict[int, bool]:
    """Return, per person, whether their notice about `subject_ref` is read."""
    from pdplanner.reminders.models import Notification

    with app.app_context():
        return {n.user_id: n.read_at is not None for n in db.session.scalars(
            select(Notification).where(Notification.subject_ref == subject_ref))}


def test_recording_the_share_back_settles_its_reminder(app, client, employee, smtp_server):
    """The "share back" notice reads as read once the share-back is recorded."""
    client.login(employee.email)
    exchange_id = _record(client)
    with app.app_context():
        due = db.session.get(Exchange, exchange_id).share_back_due_on
    _sweep_on(app, due - timedelta(days=2))
    assert _notices(app, f"exchange:{exchange_id}") == {employee.id: False}
    response = client.post_form(f"/exchanges/{exchange_id}", {
        "form": "share_back", "kind": "note", "done_on": TODAY.isoformat(),
        "attendees": "", "note": "Sent to the team"})
    assert response.status_code == 302
    assert _notices(app, f"exchange:{exchange_id}") == {employee.id: True}


def test_answering_did_you_apply_it_settles_its_reminder(app, client, employee, smtp_server):
    """The 30-day notice reads as read once answered; the 60-day one is left alone."""
    client.login(employee.email)
    exchange_id = _record(client)
    with app.app_context():
        ends = db.session.get(Exchange, exchange_id).ends_on
    _sweep_on(app, ends + timedelta(days=30))
    _sweep_on(app, ends + timedelta(days=60))
    assert _notices(app, f"exchange:{exchange_id}:d30") == {employee.id: False}
    assert _notices(app, f"exchange:{exchange_id}:d60") == {employee.id: False}
    response = client.post_form(f"/exchanges/{exchange_id}", {
        "form": "follow_up", "after_days": "30", "applied": "yes", "note": ""})
    assert response.status_code == 302
    assert _notices(app, f"exchange:{exchange_id}:d30") == {employee.id: True}
    assert _notices(app, f"exchange:{exchange_id}:d60") == {employee.id: False}


def test_one_answer_does_not_settle_a_colleagues_follow_up(app, make_client, employee,
                                                           make_user, smtp_server):
    """The follow-up notice is shared by the participants: it is settled when all answered."""
    colleague = make_user("col@example.org", "Colleague")
    first = make_client()
    first.login(employee.email)
    exchange_id = _record(first, staff_emails=colleague.email)
    with app.app_context():
        ends = db.session.get(Exchange, exchange_id).ends_on
    _sweep_on(app, ends + timedelta(days=30))
    ref = f"exchange:{exchange_id}:d30"
    answer = {"form": "follow_up", "after_days": "30", "applied": "no", "note": ""}
    first.post_form(f"/exchanges/{exchange_id}", answer)
    assert _notices(app, ref) == {employee.id: False, colleague.id: False}
    second = make_client()
    second.login(colleague.email)
    second.post_form(f"/exchanges/{exchange_id}", answer)
    assert _notices(app, ref) == {employee.id: True, colleague.id: True}


def test_a_share_back_before_the_exchange_is_refused(app, client, employee):
    """Exchange on days -10 and -9, share-back dated day -40: refused by the date field."""
    client.login(employee.email)
    exchange_id = _record(client, starts_on=(TODAY - timedelta(days=10)).isoformat(),
                          ends_on=(TODAY - timedelta(days=9)).isoformat())
    response = client.post_form(f"/exchanges/{exchange_id}", {
        "form": "share_back", "kind": "session",
        "done_on": (TODAY - timedelta(days=40)).isoformat(), "attendees": "The QI team",
        "note": ""})
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "done_on")
    assert message.startswith("The share-back cannot come before the exchange, which began on")
    with app.app_context():
        assert db.session.get(Exchange, exchange_id).share_back_done_on is None
    same_day = client.post_form(f"/exchanges/{exchange_id}", {
        "form": "share_back", "kind": "session",
        "done_on": (TODAY - timedelta(days=10)).isoformat(), "attendees": "The QI team",
        "note": ""})
    assert same_day.status_code == 302


def test_the_share_back_service_refuses_a_date_before_the_exchange(app, employee):
    """The service keeps the rule too, whatever the form let through."""
    from pdplanner.errors import RuleViolation
    from pdplanner.exchanges import services

    with app.test_request_context():
        actor = db.session.merge(employee)
        exchange = services.save_exchange(actor, None, services.ExchangeData(
            title="Visit", kind="visit_to", starts_on=TODAY - timedelta(days=10),
            ends_on=TODAY - timedelta(days=9)))
        with pytest.raises(RuleViolation) as refused:
            services.record_share_back(actor, exchange, "note", TODAY - timedelta(days=11),
                                       "", "A note")
        assert refused.value.field == "done_on"
        db.session.rollback()
        assert db.session.get(Exchange, exchange.id).share_back_done_on is None


def test_an_exchange_lasting_years_is_refused(app, client, employee):
    """Four years is refused by the last day, input kept; 31 days is fine, 32 is not."""
    client.login(employee.email)
    start = TODAY - timedelta(days=3)
    response = client.post_form("/exchanges/new", _exchange_form(
        starts_on=start.isoformat(), ends_on=(start + timedelta(days=4 * 365)).isoformat()))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Dr Awa Sow" in html
    assert field_error(html, "ends_on") == (
        "An exchange lasts at most 31 days: check the last day.")
    too_long = client.post_form("/exchanges/new", _exchange_form(
        starts_on=start.isoformat(), ends_on=(start + timedelta(days=31)).isoformat()))
    assert too_long.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Exchange)) == 0
    _record(client, starts_on=start.isoformat(), ends_on=(start + timedelta(days=30)).isoformat())


def test_the_exchange_service_refuses_a_long_exchange(app, employee):
    """The service refuses more than 31 days as well."""
    from pdplanner.errors import RuleViolation
    from pdplanner.exchanges import services

    with app.test_request_context():
        with pytest.raises(RuleViolation) as refused:
            services.save_exchange(db.session.merge(employee), None, services.ExchangeData(
                title="Visit", kind="visit_to", starts_on=TODAY - timedelta(days=40),
                ends_on=TODAY - timedelta(days=3)))
        assert refused.value.field == "ends_on"
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Exchange)) == 0
