"""Actions a device kept offline: each recorded once by its key; stale ones refused clearly."""

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from pdplanner.accounts.models import User
from pdplanner.extensions import db
from pdplanner.idempotency import DeviceAction
from pdplanner.learning import plans
from pdplanner.learning.models import CheckIn, Occurrence, OccurrenceStatus, Reflection
from tests.conftest import get_user
from tests.learning_factories import make_activity, make_goal


def _send(client, path, fields=None, key=None, user=None, token=None):
    """Send one queued action as the device does: JSON, with the session's CSRF token."""
    state = client.get("/offline/state").get_json()
    body = {"key": key or str(uuid.uuid4()), "user": str(user or state["user"]), "path": path,
            "fields": fields or {}}
    headers = {"X-CSRFToken": state["csrf"] if token is None else token}
    return client.post("/offline/actions", json=body, headers=headers)


def _owner_with_dates(app, client, make_user, count=2):
    """Sign in a person with a goal whose `count` weekly dates are all past; their ids."""
    person = make_user()
    goal_id = make_goal(app, person.id)
    _, occurrence_ids = make_activity(app, goal_id, days_ago=7 * count + 1, count=count)
    client.login(person.email)
    return person, goal_id, occurrence_ids


def _count(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def _occurrence(app, occurrence_id):
    with app.app_context():
        occurrence = db.session.get(Occurrence, occurrence_id)
        return occurrence.status, occurrence.missed_reason


def test_a_date_marked_done_offline_is_recorded(app, client, make_user):
    """A queued "done" marks the date done."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    response = _send(client, f"/occurrences/{first}/quick/done", {"seen": "planned"})
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "recorded"
    assert _occurrence(app, first)[0] == OccurrenceStatus.DONE


def test_a_done_date_sent_with_its_reflection_saves_both(app, client, make_user):
    """"Done, with a reflection" records the outcome and the reflection, privately."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    _send(client, f"/occurrences/{first}/quick/done",
          {"seen": "planned", "learned": "Ask open questions.", "apply": "At every visit."})
    with app.app_context():
        reflection = db.session.scalar(select(Reflection).filter_by(occurrence_id=first))
        assert (reflection.learned, reflection.visibility) == ("Ask open questions.", "private")


def test_the_same_key_sent_again_records_nothing_twice(app, client, make_user):
    """A retry after a dropped answer (same key) answers "recorded" and adds nothing."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    key = str(uuid.uuid4())
    fields = {"seen": "planned", "learned": "Once.", "apply": ""}
    answers = [_send(client, f"/occurrences/{first}/quick/done", fields, key=key)
               for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert _count(app, Reflection, occurrence_id=first) == 1
    assert _count(app, DeviceAction, key=key) == 1


def test_a_check_in_sent_twice_is_recorded_once(app, client, make_user):
    """A queued progress check-in, sent again with its key, makes one check-in."""
    _, goal_id, _ = _owner_with_dates(app, client, make_user)
    key = str(uuid.uuid4())
    fields = {"on": date.today().isoformat(), "progress": "40", "note": "Half way."}
    for _ in range(2):
        assert _send(client, f"/goals/{goal_id}/checkins", fields, key=key).status_code == 200
    assert _count(app, CheckIn, goal_id=goal_id) == 1


def test_a_date_marked_missed_offline_keeps_its_reason(app, client, make_user):
    """The occurrence form sent offline records missed with the reason typed."""
    _, _, (_, second) = _owner_with_dates(app, client, make_user)
    response = _send(client, f"/occurrences/{second}",
                     {"seen": "planned", "outcome": "missed", "reason": "Road flooded."})
    assert response.status_code == 200
    assert _occurrence(app, second) == (OccurrenceStatus.MISSED, "Road flooded.")


def test_an_action_on_a_date_moved_meanwhile_is_refused_with_the_new_date(app, client,
                                                                          make_user):
    """The date was moved online before the device sent: refused, nothing recorded."""
    person, _, (first, _) = _owner_with_dates(app, client, make_user)
    new_day = date.today() + timedelta(days=3)
    with app.app_context():
        plans.reschedule(get_user(app, person.id), db.session.get(Occurrence, first), new_day)
    response = _send(client, f"/occurrences/{first}/quick/done", {"seen": "planned"})
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["outcome"] == "refused"
    assert answer["message"].startswith("This date was moved to ")
    assert _occurrence(app, first)[0] == OccurrenceStatus.RESCHEDULED
    assert _count(app, Occurrence, rescheduled_from_id=first, status="planned") == 1


def test_an_action_on_a_date_resolved_meanwhile_is_refused(app, client, make_user):
    """Marked missed online meanwhile: the device's "done" is refused and changes nothing."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    client.post_form(f"/occurrences/{first}/quick/missed")
    response = _send(client, f"/occurrences/{first}/quick/done", {"seen": "planned"})
    assert response.status_code == 409
    assert response.get_json()["message"] == ("This date was already marked missed meanwhile: "
                                              "nothing was changed.")
    assert _occurrence(app, first)[0] == OccurrenceStatus.MISSED


def test_a_refused_key_sent_again_gets_the_first_answer(app, client, make_user):
    """A refusal is kept: the same key answers the same refusal."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    client.post_form(f"/occurrences/{first}/quick/missed")
    key = str(uuid.uuid4())
    first_answer = _send(client, f"/occurrences/{first}/quick/done", {"seen": "planned"}, key)
    again = _send(client, f"/occurrences/{first}/quick/done", {"seen": "planned"}, key)
    assert (again.status_code, again.get_json()) == (409, first_answer.get_json())
    assert _count(app, DeviceAction, key=key) == 1


def test_a_refused_action_leaves_nothing_half_written(app, client, make_user):
    """A reflection too long for its field refuses the whole action: the date stays open."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    response = _send(client, f"/occurrences/{first}/quick/done",
                     {"seen": "planned", "learned": "x" * 4000})
    assert response.status_code == 409
    assert _occurrence(app, first)[0] == OccurrenceStatus.PLANNED
    assert _count(app, Reflection, occurrence_id=first) == 0


def test_an_action_queued_by_another_person_is_not_recorded(app, client, make_user):
    """A queue left by someone else on the device is refused, whatever it asks."""
    person, _, (first, _) = _owner_with_dates(app, client, make_user)
    response = _send(client, f"/occurrences/{first}/quick/done", {"seen": "planned"},
                     user=person.id + 1000)
    assert response.status_code == 403
    assert _occurrence(app, first)[0] == OccurrenceStatus.PLANNED


def test_an_action_without_a_valid_csrf_token_is_refused(app, client, make_user):
    """The queued action needs this session's CSRF token: another token is a 400."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    response = _send(client, f"/occurrences/{first}/quick/done", {"seen": "planned"},
                     token="not-the-session-token")
    assert response.status_code == 400
    assert _occurrence(app, first)[0] == OccurrenceStatus.PLANNED


def test_a_signed_out_device_cannot_send(app, client, make_user):
    """Without a session, a queued action is not recorded (sign-in page, nothing written)."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    client.logout()
    response = client.post("/offline/actions", json={"key": str(uuid.uuid4()), "user": "1",
                                                     "path": f"/occurrences/{first}/quick/done",
                                                     "fields": {}})
    assert response.status_code in (302, 400)
    assert _occurrence(app, first)[0] == OccurrenceStatus.PLANNED


def test_another_persons_date_is_404(app, client, make_client, make_user):
    """An action on someone else's date answers 404, as if it did not exist."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    stranger = make_client()
    stranger.login(make_user().email)
    response = _send(stranger, f"/occurrences/{first}/quick/done", {"seen": "planned"})
    assert response.status_code == 404
    assert _occurrence(app, first)[0] == OccurrenceStatus.PLANNED


def test_only_the_forms_a_device_may_keep_are_accepted(app, client, make_user):
    """A path to any other form (deleting a goal) is refused as unknown."""
    _, goal_id, _ = _owner_with_dates(app, client, make_user)
    response = _send(client, f"/goals/{goal_id}/delete", {})
    assert response.status_code == 404


def test_quick_done_with_a_reflection_works_without_javascript(app, client, make_user):
    """The plan's "Done, with a reflection" form saves both through the ordinary post."""
    _, _, (first, _) = _owner_with_dates(app, client, make_user)
    response = client.post_form(f"/occurrences/{first}/quick/done",
                                {"next": "/plan", "learned": "Listen first.", "share": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/plan"
    with app.app_context():
        reflection = db.session.scalar(select(Reflection).filter_by(occurrence_id=first))
        assert (reflection.learned, reflection.visibility) == ("Listen first.", "shared")


def test_the_same_key_sent_from_four_connections_at_once_is_recorded_once(shared_app):
    """Four copies of one action race (a phone retrying while the first is in flight): one
    check-in, one reflection, one key row; every copy answers "recorded"."""
    import threading

    with shared_app.app_context():
        person_id = db.session.scalar(select(User.id).filter_by(email="target@example.org"))
    goal_id = make_goal(shared_app, person_id)
    _, (occurrence_id,) = make_activity(shared_app, goal_id, days_ago=2)
    clients = [shared_app.test_client() for _ in range(4)]
    states = []
    for client in clients:
        client.login("target@example.org")
        states.append(client.get("/offline/state").get_json())
    body = {"key": str(uuid.uuid4()), "user": str(person_id),
            "path": f"/occurrences/{occurrence_id}/quick/done",
            "fields": {"seen": "planned", "learned": "Raced."}}
    start, statuses = threading.Barrier(4), [0] * 4

    def send(i: int) -> None:
        start.wait()
        statuses[i] = clients[i].post("/offline/actions", json=body,
                                      headers={"X-CSRFToken": states[i]["csrf"]}).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    assert _count(shared_app, Reflection, occurrence_id=occurrence_id) == 1
    assert _count(shared_app, DeviceAction, key=body["key"]) == 1
