"""Mobile numbers and reminder channels: profile, HR's person page, staff import, settings."""

import io

from sqlalchemy import select

from pdplanner.accounts.models import Organisation, ReminderChannel, User
from pdplanner.extensions import db


def _user(app, **where) -> User:
    with app.app_context():
        person = db.session.scalar(select(User).filter_by(**where))
        db.session.expunge(person)
        return person


def _profile(client, employee, **fields):
    data = {"name": employee.name, "language": "en", "timezone": "", **fields}
    return client.post_form("/profile", data)


def test_profile_number_typed_as_in_mali_is_stored_in_e164(app, client, employee):
    """Without +, a number is read in the organisation's country (Mali) and kept in E.164."""
    client.login(employee.email)
    assert _profile(client, employee, phone="70 12 34 56", reminder_channel="both"
                    ).status_code == 302
    person = _user(app, id=employee.id)
    assert (person.phone, person.reminder_channel) == ("+22370123456", ReminderChannel.BOTH)


def test_profile_refuses_a_number_that_is_no_mobile_and_keeps_it(app, client, employee):
    """A fixed line or nonsense is the phone field's error; what was typed is shown again."""
    client.login(employee.email)
    response = _profile(client, employee, phone="20 22 33 44", reminder_channel="email")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a mobile number" in page and 'value="20 22 33 44"' in page
    assert _user(app, id=employee.id).phone is None


def test_profile_sms_channel_needs_a_number(app, client, employee):
    """Choosing SMS without a mobile number is refused by the channel field."""
    client.login(employee.email)
    response = _profile(client, employee, phone="", reminder_channel="sms")
    assert response.status_code == 422
    assert "Give a mobile number to get reminders by SMS." in response.get_data(as_text=True)
    assert _user(app, id=employee.id).reminder_channel == ReminderChannel.EMAIL


def test_profile_refuses_a_number_someone_else_has(app, client, employee, make_user):
    """Replies are matched on the number, so two people never share one."""
    make_user(phone="+22370123456")
    client.login(employee.email)
    response = _profile(client, employee, phone="+223 70 12 34 56", reminder_channel="email")
    assert "Someone else already has this mobile number." in response.get_data(as_text=True)


def test_hr_adds_a_field_worker_with_no_email_reached_by_sms(app, client, hr):
    """Someone with no e-mail address can exist, reached by SMS only; no invitation."""
    client.login(hr.email)
    response = client.post_form("/people/new", {
        "name": "Awa Field", "email": "", "phone": "76 12 34 56", "reminder_channel": "sms",
        "language": "fr", "timezone": "", "invite": "y"})
    assert response.status_code == 302
    person = _user(app, name="Awa Field")
    assert (person.email, person.phone, person.reminder_channel) == (
        None, "+22376123456", ReminderChannel.SMS)


def test_hr_person_needs_an_email_or_a_number(app, client, hr):
    """Neither e-mail nor mobile: the e-mail field says what is missing, nothing is added."""
    client.login(hr.email)
    response = client.post_form("/people/new", {"name": "Nobody Reachable", "email": "",
                                                "phone": "", "language": "", "timezone": ""})
    assert response.status_code == 422
    assert "Give an e-mail address or a mobile number." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(name="Nobody Reachable")) is None


def _upload(client, text: str):
    data = {"file": (io.BytesIO(text.encode()), "staff.csv"), "csrf_token": client.csrf_token()}
    return client.post("/people/import", data=data, content_type="multipart/form-data")


def test_import_reads_phone_and_reminder_channel(app, client, admin):
    """The phone and reminder_channel columns land on the record, numbers in E.164."""
    client.login(admin.email)
    response = _upload(client, "email,name,phone,reminder_channel\n"
                               "awa@example.org,Awa,70 12 34 56,sms\n"
                               "ben@example.org,Ben,,\n")
    assert response.status_code == 302
    awa, ben = _user(app, email="awa@example.org"), _user(app, email="ben@example.org")
    assert (awa.phone, awa.reminder_channel) == ("+22370123456", ReminderChannel.SMS)
    assert (ben.phone, ben.reminder_channel) == (None, ReminderChannel.EMAIL)


def test_import_refuses_bad_numbers_and_channels_line_by_line(app, client, admin, make_user):
    """A number that is no mobile, someone else's number, SMS without a number: each line
    is named and nothing is imported."""
    make_user("owner@example.org", phone="+22370123456")
    client.login(admin.email)
    response = _upload(client, "email,name,phone,reminder_channel\n"
                               "a@example.org,A,12,\n"
                               "b@example.org,B,+22370123456,\n"
                               "c@example.org,C,,sms\n")
    page = response.get_data(as_text=True)
    assert "is not a mobile number" in page and "belongs to someone else" in page
    assert "Give a mobile number to get reminders by SMS." in page
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(email="a@example.org")) is None


def test_organisation_country_is_the_default_region(app, client, admin, employee):
    """With France as the country, 06 12 34 56 78 is read as a French mobile."""
    client.login(admin.email)
    with app.app_context():
        org = db.session.scalar(select(Organisation))
        settings = {"name": org.name, "default_language": "en", "timezone": org.timezone,
                    "default_cadence": org.default_cadence, "participation_target": "60",
                    "country": "FR", "sms_monthly_cap": "500"}
    assert client.post_form("/settings", settings).status_code == 302
    client.logout()
    client.login(employee.email)
    _profile(client, employee, phone="06 12 34 56 78", reminder_channel="email")
    assert _user(app, id=employee.id).phone == "+33612345678"
    with app.app_context():
        assert db.session.scalar(select(Organisation.sms_monthly_cap)) == 500


def test_demo_has_a_field_worker_reminded_by_sms_only(app):
    """The demo seeds one field worker with no e-mail whose "did it happen?" goes by text."""
    from pdplanner import demo
    from pdplanner.accounts.demo_data import SMS_ONLY
    from pdplanner.reminders import services
    from pdplanner.reminders.models import Channel, OutboxMessage

    with app.app_context():
        demo.seed()
        worker = db.session.scalar(select(User).where(User.phone == SMS_ONLY[1]))
        assert (worker.email, worker.reminder_channel) == (None, ReminderChannel.SMS)
        services.sweep()
        queued = db.session.execute(select(OutboxMessage.kind, OutboxMessage.channel).where(
            OutboxMessage.user_id == worker.id)).all()
    assert ("activity_overdue", Channel.SMS) in queued
    assert all(channel == Channel.SMS for _kind, channel in queued)
