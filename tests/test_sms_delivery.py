"""Texts through the outbox to each provider's API (a local imitation), failures included."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pdplanner.accounts.models import Organisation, ReminderChannel
from pdplanner.extensions import db
from pdplanner.reminders import services
from pdplanner.reminders.models import Channel, Notification, OutboxMessage, OutboxStatus
from tests import sms_servers
from tests.learning_factories import make_activity, make_goal

PROVIDERS = ("android-gateway", "twilio")


def _wired(app, name: str):
    """Start an imitation of `name` and point the app at it; quiet hours off."""
    imitation = sms_servers.start(name)
    app.config.update(SMS_PROVIDER=name, SMS_API_URL=imitation.url,
                      SMS_USERNAME=sms_servers.USERNAME, SMS_PASSWORD=sms_servers.PASSWORD,
                      SMS_SENDER="+15005550006", SMS_QUIET_FROM=24, SMS_QUIET_UNTIL=0)
    imitation.name = name
    return imitation


@pytest.fixture(params=PROVIDERS)
def provider(request, app):
    """An app wired to an imitation of each provider in turn."""
    imitation = _wired(app, request.param)
    yield imitation
    sms_servers.stop(imitation)


@pytest.fixture
def gateway(app):
    """An app wired to an imitation of SMS Gateway for Android."""
    imitation = _wired(app, "android-gateway")
    yield imitation
    sms_servers.stop(imitation)


@pytest.fixture
def texted(app, make_user):
    """A field worker reminded by SMS only, with a date that passed (did it happen?)."""
    person = make_user(email=None, phone="+22370123456", reminder_channel=ReminderChannel.SMS,
                       language="fr")
    goal_id = make_goal(app, person.id)
    make_activity(app, goal_id, days_ago=3, title="Causerie sur l'hygiène des mains")
    return person


def _texts(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.channel == Channel.SMS).order_by(OutboxMessage.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _sweep(app, now=None):
    with app.app_context():
        return services.sweep(now)


def test_text_reaches_the_provider_as_its_api_says(app, provider, texted):
    """The provider gets the number in E.164, the French words, the reply code and the short
    link, with basic auth; the row is sent, with the provider's id and its segments."""
    _sweep(app)
    [row] = _texts(app)
    [request] = provider.seen
    if provider.name == "twilio":
        form = request.form()
        to, text = form["To"], form["Body"]
        assert form["From"] == "+15005550006"
        assert form["StatusCallback"] == "http://localhost/sms/webhook"
        assert row.provider_ref.startswith("SM")
    else:
        body = request.json()
        to, text = body["phoneNumbers"][0], body["textMessage"]["text"]
        assert body["id"] == row.provider_ref
    assert to == "+22370123456"
    assert text.startswith("Cela a-t-il eu lieu ?") or "Did it happen?" not in text
    assert f"(code {row.reply_code})" in text and "http://localhost/r/" in text
    assert (row.status, row.segments, row.text) == (OutboxStatus.SENT, 1, text)


def test_same_sweep_twice_sends_one_text(app, provider, texted):
    """The unique key holds for texts as for mail."""
    _sweep(app)
    _sweep(app)
    assert len(provider.seen) == 1 and len(_texts(app)) == 1


@pytest.mark.parametrize(("answer", "status"), [
    ("timeout", OutboxStatus.PENDING), ("429", OutboxStatus.PENDING),
    ("500", OutboxStatus.PENDING), ("400", OutboxStatus.DEAD), ("401", OutboxStatus.DEAD)])
def test_provider_failures_are_retried_or_dead(app, provider, texted, answer, status):
    """A timeout, rate limit (429) or server error is tried again later, with backoff; a
    refusal (4xx) is dead at once. The error is kept on the row."""
    provider.answers = [answer]
    _sweep(app)
    [row] = _texts(app)
    assert row.status == status and row.last_error
    if status == OutboxStatus.PENDING:
        assert row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=30)
        _sweep(app, row.next_attempt_at + timedelta(seconds=1))
        assert _texts(app)[0].status == OutboxStatus.SENT


def test_gateway_that_already_has_the_text_counts_it_sent(app, gateway, texted):
    """A retry after a lost answer: the gateway knows our id (409), nothing is sent twice."""
    gateway.answers = ["409"]
    _sweep(app)
    assert _texts(app)[0].status == OutboxStatus.SENT


def test_no_text_in_quiet_hours_it_waits_for_seven(app, provider, texted):
    """At 22:00 in Bamako the text waits until 07:00 next morning, then goes once."""
    app.config.update(SMS_QUIET_FROM=21, SMS_QUIET_UNTIL=7)
    evening = (datetime.now(UTC) + timedelta(days=1)).replace(hour=22, minute=0, second=0,
                                                             microsecond=0)
    _sweep(app, evening)
    [row] = _texts(app)
    assert provider.seen == [] and row.status == OutboxStatus.PENDING
    assert row.next_attempt_at == evening.replace(hour=7) + timedelta(days=1)
    assert row.attempts == 0


def test_monthly_cap_makes_texts_wait_and_tells_the_admin(app, provider, texted, make_user,
                                                          make_client, admin):
    """With a cap of one segment, the second text waits for next month; the admin's page
    says the cap is reached."""
    other = make_user(phone="+22376123456", reminder_channel=ReminderChannel.SMS)
    make_activity(app, make_goal(app, other.id), days_ago=3)
    with app.app_context():
        db.session.scalar(select(Organisation)).sms_monthly_cap = 1
        db.session.commit()
    _sweep(app)
    rows = _texts(app)
    assert [r.status for r in rows] == [OutboxStatus.SENT, OutboxStatus.PENDING]
    assert rows[1].last_error == "monthly SMS cap reached" and len(provider.seen) == 1
    browser = make_client()
    browser.login(admin.email)
    page = browser.get("/admin/sms").get_data(as_text=True)
    assert 'id="sms-cap"' in page and "1 of 1" in page
    assert "This month&#39;s SMS cap is reached" in browser.get("/notifications").get_data(
        as_text=True)
    _sweep(app)  # still capped: the administrators are not told twice
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "sms_cap")) == 1


def test_both_channels_send_a_mail_and_a_text(app, provider, make_user):
    """'both' queues one mail and one text for the same reminder, one notice."""
    person = make_user(phone="+22370123456", reminder_channel=ReminderChannel.BOTH)
    make_activity(app, make_goal(app, person.id), days_ago=3)
    _sweep(app)
    with app.app_context():
        channels = sorted(db.session.scalars(select(OutboxMessage.channel)))
    assert channels == [Channel.EMAIL, Channel.SMS]


def test_kind_channel_overrides_the_persons(app, client, provider, make_user):
    """Someone on e-mail who asks for this kind by SMS gets a text, and no mail, for it."""
    person = make_user(phone="+22370123456")
    client.login(person.email)
    client.post_form("/profile/reminders", {"kinds": ["activity_overdue"],
                                            "channel-activity_overdue": "sms"})
    make_activity(app, make_goal(app, person.id), days_ago=3)
    _sweep(app)
    with app.app_context():
        assert list(db.session.scalars(select(OutboxMessage.channel))) == [Channel.SMS]


def test_without_a_provider_texts_wait_on_the_admin_page(app, texted, make_client, admin):
    """No SMS_PROVIDER: the text is queued and shown waiting; nothing is lost."""
    _sweep(app)
    [row] = _texts(app)
    assert row.status == OutboxStatus.PENDING
    browser = make_client()
    browser.login(admin.email)
    page = browser.get("/admin/sms").get_data(as_text=True)
    assert "No SMS provider is configured" in page and "+22370123456" in page


def test_admin_sees_a_waiting_text_as_it_will_be_sent(app, texted, make_client, admin):
    """The message page of a queued text shows its words, reply code and link, in French."""
    _sweep(app)
    [row] = _texts(app)
    browser = make_client()
    browser.login(admin.email)
    page = browser.get(f"/admin/outbox/{row.id}").get_data(as_text=True)
    assert "Cela a-t-il eu lieu ?" in page and f"(code {row.reply_code})" in page
