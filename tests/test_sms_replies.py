"""Replies to texts and delivery reports: signed webhooks, "did it happen?" once, STOP, help."""

import logging
import threading

import pytest
from sqlalchemy import func, select

from pdplanner.accounts.models import ReminderChannel, User
from pdplanner.audit import AuditEvent
from pdplanner.extensions import db
from pdplanner.learning.models import Occurrence, OccurrenceStatus
from pdplanner.reminders import services
from pdplanner.reminders.models import Channel, DeliveryReport, OutboxMessage, SmsReply
from pdplanner.reminders.replies import read_answer, words_of
from pdplanner.reminders.sms.twilio import signature
from tests import sms_servers
from tests.learning_factories import make_activity, make_goal
from tests.sms_signing import GATEWAY_KEY, gateway_call, twilio_headers

NUMBER = "+22370123456"


def _wire(app, name: str):
    imitation = sms_servers.start(name)
    app.config.update(SMS_PROVIDER=name, SMS_API_URL=imitation.url,
                      SMS_USERNAME=sms_servers.USERNAME, SMS_PASSWORD=sms_servers.PASSWORD,
                      SMS_SENDER="+15005550006", SMS_WEBHOOK_SECRET=GATEWAY_KEY,
                      SMS_QUIET_FROM=24, SMS_QUIET_UNTIL=0, MAIL_SEND_INLINE=True)
    return imitation


@pytest.fixture
def twilio(app):
    """The app on an imitation of Twilio."""
    imitation = _wire(app, "twilio")
    yield imitation
    sms_servers.stop(imitation)


@pytest.fixture
def gateway(app):
    """The app on an imitation of SMS Gateway for Android."""
    imitation = _wire(app, "android-gateway")
    yield imitation
    sms_servers.stop(imitation)


def _asked(app, make_user, days_ago: int = 3, title: str = "Causerie") -> tuple[int, int]:
    """A field worker (SMS only, French) asked by text whether a date happened."""
    with app.app_context():
        person_id = db.session.scalar(select(User.id).where(User.phone == NUMBER))
    if person_id is None:
        person_id = make_user(email=None, phone=NUMBER, language="fr",
                              reminder_channel=ReminderChannel.SMS).id
    _activity, [occurrence_id] = make_activity(app, make_goal(app, person_id), days_ago,
                                               title=title)
    with app.app_context():
        services.sweep()
    return person_id, occurrence_id


def _status(app, occurrence_id: int) -> OccurrenceStatus:
    with app.app_context():
        return db.session.get(Occurrence, occurrence_id).status


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _twilio_reply(client, body: str, sid: str = "SM" + "1" * 32, number: str = NUMBER,
                  headers: dict | None = None):
    form = {"MessageSid": sid, "AccountSid": sms_servers.USERNAME, "From": number,
            "To": "+15005550006", "Body": body, "NumSegments": "1"}
    return client.post("/sms/webhook", data=form, headers=headers if headers is not None
                       else twilio_headers(form, sms_servers.PASSWORD))


def test_twilio_signature_matches_twilios_documented_example():
    """The signature of Twilio's own worked example comes out as documented."""
    form = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234",
            "From": "+12349013030", "To": "+18005551212"}
    assert signature("https://mycompany.com/myapp.php?foo=1&bar=2", form, "12345") == \
        "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


@pytest.mark.parametrize(("text", "answer"), [
    ("1", "done"), ("Oui", "done"), ("OUI K7P", "done"), ("yes", "done"), ("Fait !", "done"),
    ("fait.", "done"), ("2", "missed"), ("non", "missed"), ("NO", "missed"), ("2 k7p", "missed"),
    ("STOP", "stop"), ("Arrêt", "stop"), ("arret", "stop"),
    ("oui non", None), ("1 2", None), ("peut-être", None), ("", None)])
def test_replies_are_read_with_accents_and_case_folded(text, answer):
    """1/OUI/YES/FAIT = done, 2/NON/NO = missed, STOP/ARRET; both or neither: not understood."""
    assert read_answer(words_of(text)) == answer


def test_reply_marks_the_date_done_once_under_retries(app, client, twilio, make_user):
    """A signed "oui" marks the date done as the page's button does, with one acknowledgement
    in French; Twilio retrying the same webhook changes nothing more."""
    person_id, occurrence_id = _asked(app, make_user)
    for _ in range(2):
        assert _twilio_reply(client, "Oui").status_code == 200
    assert _status(app, occurrence_id) == OccurrenceStatus.DONE
    assert _count(app, SmsReply) == 1
    assert _count(app, AuditEvent, AuditEvent.action == "occurrence.done") == 1
    acknowledgement = twilio.seen[-1].form()
    assert acknowledgement["Body"] == "Noté : cela a eu lieu. Bravo !"
    assert len(twilio.seen) == 2  # the question, then one acknowledgement


def test_forged_webhook_is_refused_logged_and_changes_nothing(app, client, twilio, make_user,
                                                              caplog):
    """A wrong signature, or none: 403, a warning in the log, the date still open."""
    _person_id, occurrence_id = _asked(app, make_user)
    caplog.set_level(logging.WARNING)
    forged = twilio_headers({"Body": "1"}, "not-the-token")
    assert _twilio_reply(client, "1", headers=forged).status_code == 403
    assert _twilio_reply(client, "1", headers={}).status_code == 403
    assert _status(app, occurrence_id) == OccurrenceStatus.PLANNED
    assert _count(app, SmsReply) == 0
    assert "SMS webhook refused" in caplog.text


def test_gateway_signed_reply_with_code_marks_the_named_date_missed(app, client, gateway,
                                                                    make_user):
    """Two questions open: "2 <code>" answers the one whose code it names."""
    _person, first = _asked(app, make_user, 3, "Premier")
    _person, second = _asked(app, make_user, 2, "Second")
    with app.app_context():
        code = db.session.scalar(select(OutboxMessage.reply_code).where(
            OutboxMessage.subject_ref == f"occurrence:{second}"))
    body, headers = gateway_call("sms:received", {
        "messageId": "m1", "message": f"2 {code.lower()}", "phoneNumber": NUMBER,
        "receivedAt": "2026-12-07T09:00:00.000+00:00"})
    assert client.post("/sms/webhook", data=body, headers=headers).status_code == 200
    assert (_status(app, first), _status(app, second)) == (OccurrenceStatus.PLANNED,
                                                           OccurrenceStatus.MISSED)


def test_reply_without_code_to_two_questions_gets_help(app, client, gateway, make_user):
    """Without a code it is not clear which date: a short help text, nothing marked."""
    _person, first = _asked(app, make_user, 3, "Premier")
    _person, second = _asked(app, make_user, 2, "Second")
    body, headers = gateway_call("sms:received", {"messageId": "m2", "message": "oui",
                                                  "phoneNumber": NUMBER, "receivedAt": "t"})
    client.post("/sms/webhook", data=body, headers=headers)
    assert {_status(app, first), _status(app, second)} == {OccurrenceStatus.PLANNED}
    assert gateway.seen[-1].json()["textMessage"]["text"].startswith("Répondez 1 si cela")


def test_stale_or_wrongly_keyed_gateway_call_is_refused(app, client, gateway, make_user):
    """A replayed call (timestamp an hour old) or another key: 403, nothing recorded."""
    _asked(app, make_user)
    payload = {"messageId": "m3", "message": "1", "phoneNumber": NUMBER, "receivedAt": "t"}
    for body, headers in (gateway_call("sms:received", payload, stamp=1),
                          gateway_call("sms:received", payload, key="other-key")):
        assert client.post("/sms/webhook", data=body, headers=headers).status_code == 403
    assert _count(app, SmsReply) == 0


def test_stop_turns_texts_off_for_that_person(app, client, twilio, make_user):
    """ARRÊT: confirmed by one last text, then no more texts for new reminders."""
    person_id, _occurrence = _asked(app, make_user)
    _twilio_reply(client, "ARRÊT")
    assert twilio.seen[-1].form()["Body"].startswith("Vous ne recevrez plus de SMS")
    with app.app_context():
        assert db.session.get(User, person_id).sms_stopped_at is not None
    sent = len(twilio.seen)
    _asked(app, make_user, 2, "Autre")
    assert len(twilio.seen) == sent


def test_reply_from_an_unknown_number_changes_nothing(app, client, twilio, make_user):
    """A number nobody has: no date marked, no text sent back."""
    _person, occurrence_id = _asked(app, make_user)
    sent = len(twilio.seen)
    assert _twilio_reply(client, "1", number="+22366000000").status_code == 200
    assert _status(app, occurrence_id) == OccurrenceStatus.PLANNED and len(twilio.seen) == sent


def test_delivery_reports_are_recorded_for_each_provider(app, client, twilio, make_user,
                                                         make_client, admin):
    """Twilio's status callback says undelivered: the text is counted failed on the page."""
    _asked(app, make_user)
    with app.app_context():
        ref = db.session.scalar(select(OutboxMessage.provider_ref).where(
            OutboxMessage.channel == Channel.SMS))
    form = {"MessageSid": ref, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert client.post("/sms/webhook", data=form,
                       headers=twilio_headers(form, sms_servers.PASSWORD)).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.report).where(
            OutboxMessage.channel == Channel.SMS)) == DeliveryReport.FAILED
    browser = make_client()
    browser.login(admin.email)
    page = browser.get("/admin/sms").get_data(as_text=True)
    assert "<dt>Failed</dt><dd>1</dd>" in page


def test_gateway_delivered_report_is_recorded(app, client, gateway, make_user):
    """The gateway's sms:delivered names our message id: the text reads delivered."""
    _asked(app, make_user)
    with app.app_context():
        ref = db.session.scalar(select(OutboxMessage.provider_ref).where(
            OutboxMessage.channel == Channel.SMS))
    body, headers = gateway_call("sms:delivered", {"messageId": ref, "phoneNumber": NUMBER,
                                                   "deliveredAt": "2026-12-07T09:00:00Z"})
    assert client.post("/sms/webhook", data=body, headers=headers).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.report).where(
            OutboxMessage.channel == Channel.SMS)) == DeliveryReport.DELIVERED


def test_two_concurrent_copies_of_a_reply_mark_the_date_once(shared_app, make_user):
    """The provider delivers the same webhook twice at the same moment (two connections on
    PostgreSQL, a shared file on SQLite): one reply kept, one date change, one answer."""
    app = shared_app
    imitation = _wire(app, "twilio")
    try:
        with app.app_context():
            person = User(email=None, name="Awa", phone=NUMBER, language="fr",
                          reminder_channel=ReminderChannel.SMS)
            db.session.add(person)
            db.session.commit()
            person_id = person.id
        _activity, [occurrence_id] = make_activity(app, make_goal(app, person_id), 3)
        with app.app_context():
            services.sweep()
        start, answers = threading.Barrier(2), []

        def deliver_copy():
            client = app.test_client()
            start.wait()
            answers.append(_twilio_reply(client, "1").status_code)

        threads = [threading.Thread(target=deliver_copy) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [200, 200]
        assert _status(app, occurrence_id) == OccurrenceStatus.DONE
        assert _count(app, SmsReply) == 1
        assert _count(app, AuditEvent, AuditEvent.action == "occurrence.done") == 1
        assert _count(app, OutboxMessage, OutboxMessage.kind == "sms_reply") == 1
    finally:
        sms_servers.stop(imitation)


def test_short_link_opens_the_persons_page_and_nobody_elses(app, twilio, make_user,
                                                            make_client, employee):
    """The text's short link leads its owner to the date's page; another person gets 404."""
    person = make_user("owner@example.org", phone=NUMBER, reminder_channel=ReminderChannel.SMS)
    _activity, [occurrence_id] = make_activity(app, make_goal(app, person.id), 3)
    with app.app_context():
        services.sweep()
    link = twilio.seen[0].form()["Body"].rsplit(" ", 1)[1]
    assert link.startswith("http://localhost/r/")
    owner, other = make_client(), make_client()
    owner.login(person.email)
    other.login(employee.email)
    path = link.removeprefix("http://localhost")
    response = owner.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/occurrences/{occurrence_id}")
    assert other.get(path).status_code == 404
