"""The parts every page is built from give the same HTML as the plain way of building them,
only cheaper: the templates' url_for and the site menu."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask import url_for as flask_url_for

from pdplanner.navigation import url_for

CASES = [
    ("learning.goal", {"goal_id": 5}),
    ("learning.goal", {"goal_id": 123456}),
    ("learning.occurrence_quick", {"occurrence_id": 42, "outcome": "done"}),
    ("accounts.people", {"q": "Diallo & co", "status": "active", "page": 2}),
    ("accounts.people", {"page": 2, "q": "", "status": "active"}),  # the order is kept
    ("learning.goal", {"goal_id": 7, "_anchor": "plan"}),
    ("learning.goal", {"goal_id": 7, "back": "/team?page=3"}),
    ("main.manifest", {"lang": "fr"}),
    ("static", {"filename": "app.css"}),
]


@pytest.mark.parametrize(("endpoint", "values"), CASES)
def test_the_templates_url_for_gives_flasks_url(app, endpoint, values):
    with app.test_request_context("/"):
        assert url_for(endpoint, **values) == flask_url_for(endpoint, **values)
        assert url_for(endpoint, **values) == flask_url_for(endpoint, **values)  # remembered


def test_the_templates_url_for_fills_each_rows_number(app):
    with app.test_request_context("/"):
        urls = [url_for("learning.occurrence_quick", occurrence_id=n, outcome="missed")
                for n in (1, 22, 1_000_000_006, 2_147_483_647)]
    assert urls == [f"/occurrences/{n}/quick/missed"
                    for n in (1, 22, 1_000_000_006, 2_147_483_647)]


def test_the_templates_url_for_follows_the_apps_path_prefix(app):
    with app.test_request_context("/", base_url="http://example.org/pd/"):
        assert url_for("learning.goal", goal_id=3) == "/pd/goals/3"
    with app.test_request_context("/"):
        assert url_for("learning.goal", goal_id=3) == "/goals/3"


def test_the_templates_url_for_builds_odd_numbers_as_flask_does(app):
    with app.test_request_context("/"):
        for value in (2_147_483_648, -1, True, 0):  # beyond a column's ids, negative, a bool
            assert url_for("learning.goals", page=value) == \
                flask_url_for("learning.goals", page=value)


def test_the_templates_url_for_refuses_what_flask_refuses(app):
    from werkzeug.routing import BuildError

    with app.test_request_context("/"), pytest.raises(BuildError):
        url_for("learning.goal")
    with app.test_request_context("/"), pytest.raises(BuildError):
        url_for("learning.no_such_page", goal_id=1)


def test_an_external_url_is_built_for_its_host(app):
    with app.test_request_context("/", base_url="https://pd.example.org/"):
        assert url_for("learning.goal", goal_id=3, _external=True) == \
            "https://pd.example.org/goals/3"


def test_templates_use_the_cheaper_url_for(app):
    with app.test_request_context("/"):
        assert render_template_string("{{ url_for('learning.goal', goal_id=9) }}") == "/goals/9"
    assert app.jinja_env.globals["url_for"] is url_for


def _menu(html: str) -> list[str]:
    """The menu's links as "label -> href" (current page marked with *)."""
    import re

    menu = html.split('<details class="menu">', 1)[1].split("</details>", 1)[0]
    return [f"{'*' if current else ''}{re.sub('<[^>]+>', '', label).strip()} -> {href}"
            for href, current, label in re.findall(
                r'<li><a href="([^"]+)"( aria-current="page")?>(.*?)</a></li>', menu)]


def test_the_menu_shows_each_person_their_links_and_marks_the_page(app, client, make_user):
    from datetime import UTC, datetime

    from pdplanner.extensions import db
    from pdplanner.reminders.models import Notification

    boss = make_user("boss@example.org", "Boss")
    make_user("report@example.org", "Report", supervisor_id=boss.id)
    with app.app_context():
        db.session.add_all([Notification(dedupe_key=f"m{i}", user_id=boss.id, kind="no_goal",
                                         link="/goals") for i in range(2)]
                           + [Notification(dedupe_key="m-read", user_id=boss.id, kind="no_goal",
                                           link="/goals", read_at=datetime.now(UTC))])
        db.session.commit()
    client.login("boss@example.org")
    assert _menu(client.get("/plan").get_data(as_text=True)) == [
        "My learning -> /", "Goals -> /goals", "*Plan -> /plan", "Sessions -> /sessions",
        "Exchanges -> /exchanges", "My team -> /team", "Insights -> /insights",
        "Notifications 2 unread -> /notifications", "Profile -> /profile"]


def test_the_menu_follows_roles_and_language(app, client, make_user):
    make_user("hradmin@example.org", "HR admin", is_hr=True, is_admin=True, language="fr")
    client.login("hradmin@example.org")
    assert _menu(client.get("/").get_data(as_text=True)) == [
        "*Mon apprentissage -> /", "Objectifs -> /goals", "Plan -> /plan",
        "Séances -> /sessions", "Échanges -> /exchanges", "Indicateurs -> /insights",
        "Personnes -> /people", "Paramètres -> /settings", "E-mails -> /admin/outbox",
        "Notifications -> /notifications", "Profil -> /profile"]


def test_an_employee_sees_no_team_or_insights_in_the_menu(app, client, employee):
    client.login("employee@example.org")
    html = client.get("/notifications").get_data(as_text=True)
    assert _menu(html) == [
        "My learning -> /", "Goals -> /goals", "Plan -> /plan", "Sessions -> /sessions",
        "Exchanges -> /exchanges", "*Notifications -> /notifications", "Profile -> /profile"]


def test_the_frame_returns_to_the_escaped_path_and_carries_a_working_token(app, client,
                                                                          employee):
    import re

    client.login("employee@example.org")
    html = client.get('/notifications?x="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert 'name="next" value="/notifications?x=&#34;&gt;&lt;script&gt;' in html
    tokens = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert len(tokens) == 2 and tokens[0] == tokens[1]  # sign out and the language switch
    switched = client.post("/language", data={"csrf_token": tokens[1], "language": "fr",
                                              "next": "/goals"})
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/goals")
    html = client.get("/goals").get_data(as_text=True)
    assert '<a class="skip" href="#main">Aller au contenu</a>' in html
    assert '<button type="submit" class="link">Se déconnecter</button>' in html
    assert 'lang="en">English</button>' in html
    signed_out = client.post("/auth/logout", data={"csrf_token": tokens[0]})
    assert signed_out.status_code == 302
    assert client.get("/goals").status_code == 302  # signed out: sent to sign in


def test_a_signed_out_frame_has_no_menu_queue_or_sign_out(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert '<a class="skip" href="#main">Skip to content</a>' in html
    assert 'id="offline-notice"' in html
    for part in ("<nav", "data-sign-out", "device-queue", 'name="pdplanner-user"'):
        assert part not in html
    assert 'lang="fr">Français</button>' in html


def test_a_dates_quick_actions_escape_its_title_and_post_where_they_say(app, client, employee):
    import re

    from tests.learning_factories import make_activity, make_goal

    goal_id = make_goal(app, employee.id)
    _activity, (date_id,) = make_activity(app, goal_id, days_ago=2,
                                          title='Read <b>"Care" & co</b>')
    client.login("employee@example.org")
    for page, back in (("/", "/"), ("/plan", "/plan")):
        html = client.get(page).get_data(as_text=True)
        assert "<b>" not in html and 'Read &lt;b&gt;&#34;Care&#34; &amp; co&lt;/b&gt;' in html
        actions = re.findall(r'<form method="post" action="([^"]+)" class="(?:inline|narrow)">'
                             r'<input name="csrf_token" type="hidden" value="[^"]+">'
                             r'<input type="hidden" name="next" value="([^"]+)">'
                             r'<input type="hidden" name="seen" value="planned">'
                             r'<input type="hidden" name="offline_label" value="([^"]+)">', html)
        assert [(url, nxt, label.split(":")[0]) for url, nxt, label in actions] == [
            (f"/occurrences/{date_id}/quick/done", back, "Done"),
            (f"/occurrences/{date_id}/quick/missed", back, "Missed"),
            (f"/occurrences/{date_id}/quick/done", back, "Done, with a reflection")]
        assert f'<label for="learned-{date_id}">What did you learn?</label>' in html
    response = client.post_form(f"/occurrences/{date_id}/quick/missed", {"next": "/plan"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/plan")


def test_a_formatted_date_follows_the_readers_language_every_time(app):
    from datetime import date

    from flask_babel import force_locale

    from pdplanner.formatting import dateformat

    day = date(2026, 12, 7)
    with app.test_request_context("/"):
        for _ in range(2):  # the second time comes from what the first one remembered
            with force_locale("fr"):
                assert dateformat(day) == "lun. 7 déc. 2026"
                assert dateformat(day, "long") == "lundi 7 décembre 2026"
            with force_locale("en"):
                assert dateformat(day) == "Mon 7 Dec 2026"


def test_a_formatted_moment_follows_the_readers_zone_every_time(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale, refresh

    from pdplanner.accounts.queries import organisation
    from pdplanner.formatting import dateformat, datetimeformat

    moment = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    with app.test_request_context("/"):
        for _ in range(2):  # the second time comes from what the first one remembered
            organisation().timezone = "Africa/Bamako"
            refresh()
            assert datetimeformat(moment) == "Mon 7 Dec 2026, 09:30"
            organisation().timezone = "Europe/Paris"
            refresh()
            assert datetimeformat(moment) == "Mon 7 Dec 2026, 10:30"
            late = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)  # already the 8th in Paris
            assert dateformat(late) == "Tue 8 Dec 2026"
            organisation().timezone = "Africa/Bamako"
            refresh()
            assert dateformat(late) == "Mon 7 Dec 2026"
            organisation().timezone = "Europe/Paris"
            refresh()
            with force_locale("fr"):
                assert datetimeformat(moment, "time") == "10:30"
                assert datetimeformat(moment, "long") == "lundi 7 décembre 2026, 10:30"


def test_a_filters_options_mark_the_chosen_one_and_escape_names(app):
    from pdplanner.select_html import options

    html = str(options([(1, "A & B"), (12, "<Team>"), (2, "Two")], "12"))
    assert html == ('<option value="1">A &amp; B</option>'
                    '<option value="12" selected>&lt;Team&gt;</option>'
                    '<option value="2">Two</option>')
    assert " selected" not in str(options([(1, "One")], None))


def test_the_lessons_filter_keeps_the_chosen_team(app, client, employee, make_team):
    team = make_team("Clinic <North>")
    client.login("employee@example.org")
    html = client.get(f"/lessons?team={team.id}").get_data(as_text=True)
    assert f'<option value="{team.id}" selected>Clinic &lt;North&gt;</option>' in html
