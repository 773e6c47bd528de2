"""One's own profile, password change, and password reset by e-mail over real SMTP."""

import re
from datetime import timedelta

import time_machine

from pdplanner.types import utcnow
from tests.conftest import PASSWORD, get_user

NEW = "a much better passphrase"


def test_profile_saves_name_language_and_time_zone(app, client, employee):
    """A person changes their own name, language and time zone."""
    client.login(employee.email)
    response = client.post_form("/profile", {"name": "Emma E.", "language": "fr",
                                             "timezone": "Europe/Paris"})
    assert response.status_code == 302
    person = get_user(app, employee.id)
    assert (person.name, person.language, person.timezone) == ("Emma E.", "fr", "Europe/Paris")


def test_profile_shows_the_saved_time_zone_chosen_and_no_other(client, employee):
    """The time-zone list (written once per language) marks the person's zone, and only it;
    with no zone of their own, the organisation's is chosen."""
    def zones() -> str:
        page = client.get("/profile").get_data(as_text=True)
        return page.split('name="timezone"')[1].split("</select>")[0]

    client.login(employee.email)
    assert zones().count(" selected") == 1 and '<option selected value="">' in zones()
    client.post_form("/profile", {"name": employee.name, "language": "en",
                                  "timezone": "Europe/Paris"})
    chosen = zones()
    assert chosen.count(" selected") == 1
    assert '<option selected value="Europe/Paris">' in chosen
    assert '<option value="">' in chosen


def test_profile_language_switches_the_interface(client, employee):
    """Choosing French shows the pages in French."""
    client.login(employee.email)
    client.post_form("/profile", {"name": employee.name, "language": "fr", "timezone": ""})
    assert '<html lang="fr">' in client.get("/profile").get_data(as_text=True)


def test_profile_rejects_unknown_time_zone_and_keeps_input(client, employee):
    """A made-up time zone gets a message and the typed name survives."""
    client.login(employee.email)
    response = client.post_form("/profile", {"name": "Kept Name", "language": "en",
                                             "timezone": "Mars/Olympus"})
    html = response.get_data(as_text=True)
    assert 'value="Kept Name"' in html and 'id="timezone-error"' in html


def test_password_change_needs_the_current_password(app, client, employee):
    """A wrong current password is refused by its field."""
    client.login(employee.email)
    response = client.post_form("/profile/password", {
        "current_password": "not mine", "password": NEW, "confirm": NEW})
    assert 'id="current_password-error"' in response.get_data(as_text=True)
    assert get_user(app, employee.id).password_changed_at is None


def test_password_change_refuses_short_and_mismatched(client, employee):
    """Too short, or two different entries, are refused with messages."""
    client.login(employee.email)
    short = client.post_form("/profile/password", {
        "current_password": PASSWORD, "password": "short", "confirm": "short"})
    assert "at least 8 characters" in short.get_data(as_text=True)
    differ = client.post_form("/profile/password", {
        "current_password": PASSWORD, "password": NEW, "confirm": NEW + "!"})
    assert "The two passwords differ." in differ.get_data(as_text=True)


def test_long_passwords_are_not_truncated(make_client, employee):
    """A 200-character password works and its 199-character prefix does not."""
    long = "ab" * 100
    browser = make_client()
    browser.login(employee.email)
    browser.post_form("/profile/password", {
        "current_password": PASSWORD, "password": long, "confirm": long})
    assert make_client().login(employee.email, long[:-1]).status_code == 422
    assert make_client().login(employee.email, long).status_code == 302


def _reset_link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/auth/reset/\S+)", body).group(1)


def test_reset_mail_arrives_over_smtp_in_both_parts(client, employee, smtp_server):
    """Asking for a reset sends a text and HTML mail with the link."""
    client.post_form("/auth/forgot", {"email": employee.email})
    (message,) = smtp_server.messages
    assert message["To"] == employee.email
    assert message.get_body(("html",)) is not None
    assert _reset_link(message).startswith("/auth/reset/")


def test_reset_mail_is_in_the_persons_language(app, client, make_user, smtp_server):
    """A French speaker gets the mail in French."""
    person = make_user(language="fr")
    client.post_form("/auth/forgot", {"email": person.email})
    (message,) = smtp_server.messages
    assert "mot de passe" in message["Subject"].lower()


def test_unknown_address_gets_the_same_answer_and_no_mail(client, smtp_server):
    """The reset form never says whether an address exists."""
    response = client.post_form("/auth/forgot", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert smtp_server.messages == []


def test_reset_link_works_once(make_client, client, employee, smtp_server):
    """A reset link sets a password, then stops working."""
    client.post_form("/auth/forgot", {"email": employee.email})
    link = _reset_link(smtp_server.messages[0])
    assert client.post_form(link, {"password": NEW, "confirm": NEW}).status_code == 302
    assert make_client().login(employee.email, NEW).status_code == 302
    again = client.get(link)
    assert again.status_code == 302 and again.headers["Location"] == "/auth/forgot"


def test_reset_link_expires_after_an_hour(client, employee, smtp_server):
    """A link older than 60 minutes is refused."""
    client.post_form("/auth/forgot", {"email": employee.email})
    link = _reset_link(smtp_server.messages[0])
    with time_machine.travel(utcnow() + timedelta(minutes=61)):
        assert client.get(link).headers["Location"] == "/auth/forgot"


def test_reset_link_dies_with_any_password_change(make_client, employee, smtp_server):
    """Changing the password some other way invalidates an outstanding link."""
    anonymous = make_client()
    anonymous.post_form("/auth/forgot", {"email": employee.email})
    link = _reset_link(smtp_server.messages[0])
    browser = make_client()
    browser.login(employee.email)
    browser.post_form("/profile/password", {
        "current_password": PASSWORD, "password": NEW, "confirm": NEW})
    assert anonymous.get(link).headers["Location"] == "/auth/forgot"


def test_smtp_down_still_answers(app, client, employee):
    """With the mail server unreachable the page still answers, without an error."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_TIMEOUT=2)
    assert client.post_form("/auth/forgot", {"email": employee.email}).status_code == 302


def test_password_change_reports_every_problem_at_once_with_422(app, client, employee):
    """Wrong current password, too short and mismatched: all three shown in one 422 round."""
    from html import unescape

    client.login(employee.email)
    response = client.post_form("/profile/password", {
        "current_password": "not mine", "password": "abc", "confirm": "abd"})
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert re.search(r'id="current_password-error">This is not your current password\.<', html)
    assert re.search(r'id="password-error">Use at least 8 characters\.<', html)
    assert re.search(r'id="confirm-error">The two passwords differ\.<', html)
    assert get_user(app, employee.id).password_changed_at is None
    ok = client.post_form("/profile/password", {
        "current_password": PASSWORD, "password": NEW, "confirm": NEW})
    assert ok.status_code == 302


def test_time_zones_are_named_by_country_and_city_in_the_reader_language(client, employee):
    """The list says "Mali — Bamako" (French: "Inde — Kolkata"), current names only, no Etc/."""
    client.login(employee.email)
    english = client.get("/profile").get_data(as_text=True)
    assert '<option value="Africa/Bamako">Mali — Bamako</option>' in english
    assert 'value="Asia/Kolkata">India — Kolkata<' in english
    assert "Asia/Calcutta" not in english and "Etc/" not in english
    french = client.get("/profile", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'value="Asia/Kolkata">Inde — Kolkata<' in french
    # Sorted by country as a reader expects: "États-Unis" among the E, before "Éthiopie".
    assert french.index("États-Unis — New York") < french.index("Éthiopie — Addis Ababa")


def test_saved_time_zone_is_the_selected_option(client, employee):
    """The profile marks the person's own zone selected, and only that one."""
    client.login(employee.email)
    client.post_form("/profile", {"name": employee.name, "language": "en",
                                  "timezone": "Europe/Paris"})
    html = client.get("/profile").get_data(as_text=True)
    assert '<option selected value="Europe/Paris">France — Paris</option>' in html
    zones = html[html.index('name="timezone"'):]
    assert zones[:zones.index("</select>")].count("selected") == 1


def test_refused_profile_keeps_the_chosen_time_zone(client, employee):
    """A form refused for another field still shows the zone that was chosen."""
    client.login(employee.email)
    response = client.post_form("/profile", {"name": "", "language": "en",
                                             "timezone": "Asia/Kolkata"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="name-error"' in html
    assert '<option selected value="Asia/Kolkata">' in html
    assert '<option selected value="">' not in html
