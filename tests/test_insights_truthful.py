"""Insights that say what they count: refresh honestly, unsupervised people, HR's mail link."""

import re
from datetime import UTC, date, datetime, time

from pdplanner.accounts.models import Level
from pdplanner.catalog.models import Skill
from pdplanner.extensions import db
from pdplanner.insights import queries, snapshot
from pdplanner.insights.scope import scope_for
from pdplanner.learning import reminders as learning_reminders
from pdplanner.learning.models import SkillAssessment
from pdplanner.reminders.render import words


def _level(app, name: str) -> int:
    """Add a level; return its id."""
    with app.app_context():
        level = Level(name=name, rank=9)
        db.session.add(level)
        db.session.commit()
        return level.id


def test_refresh_now_within_the_minute_says_when_figures_were_taken(app, client, make_user):
    """A refresh refused as too soon names the snapshot's time and when to try again."""
    app.config["INSIGHTS_REFRESH_MIN_SECONDS"] = 60
    hr = make_user("hr@example.org", "Hawa HR", is_hr=True, timezone="UTC")
    client.login(hr.email)
    client.get("/insights")
    with app.app_context():
        taken = snapshot.current().refreshed_at
    html = client.post_form("/insights/refresh", {}, follow_redirects=True).get_data(
        as_text=True)
    assert "The figures are up to date." not in html
    assert f"these figures were taken at {taken:%H:%M:%S}" in html
    assert re.search(r"a new refresh is possible from \d\d:\d\d:\d\d", html)


def test_people_without_a_supervisor_are_outside_the_session_figure(app, make_user):
    """The director (nobody supervises her) is not counted as a level at 0 % supervised."""
    director_level = _level(app, "Director")
    director = make_user("dir@example.org", "Dina Director", is_hr=True,
                         level_id=director_level)
    make_user("staff@example.org", "Sami Staff", supervisor_id=director.id,
              level_id=director_level)
    with app.app_context():
        snapshot.refresh()
        scope = scope_for(db.session.get(type(director), director.id), date.today())
        row, = [r for r in queries.participation(scope) if r.level_id == director_level]
        assert (row.staff, row.supervisable, row.supervised) == (2, 1, 0)
        behind = db.session.scalars(queries.people_behind(
            scope, "supervised", present=False)).all()
        assert [p.email for p in behind] == ["staff@example.org"]


def test_insights_table_says_who_is_left_out_of_the_session_figure(app, client, make_user):
    """A level where nobody has a supervisor reads "nobody supervised", and a note says why."""
    director_level = _level(app, "Director")
    hr = make_user("dir@example.org", "Dina Director", is_hr=True, level_id=director_level)
    client.login(hr.email)
    html = client.get("/insights").get_data(as_text=True)
    assert "— (nobody supervised)" in html
    assert "counts only people with a supervisor: 1 person without one is left out." in html


def test_hr_monthly_summary_leads_to_insights(app, make_user):
    """HR's monthly summary (notification and mail button) opens Insights, not People."""
    hr = make_user("hr@example.org", "Hawa HR", is_hr=True)
    first = datetime.combine(date(2027, 4, 1), time(9), tzinfo=UTC)
    with app.app_context():
        (due,) = list(learning_reminders.hr_summary(first, first))
        assert (due.user_id, due.link) == (hr.id, "/insights")
        with app.test_request_context():
            button = words("hr_summary", due.params, db.session.get(type(hr), hr.id))[2]
    assert button == "Open Insights"


def test_the_skills_csv_lists_every_rating_beyond_those_the_page_shows(app, client, make_user):
    """The page shows the highest INSIGHTS_MATRIX_SHOWN ratings; the CSV lists them all."""
    app.config["INSIGHTS_MATRIX_SHOWN"] = 1
    hr = make_user("hr@example.org", "Hawa HR", is_hr=True)
    low = make_user("low@example.org", "Lowest Rated")
    with app.app_context():
        skill = Skill(name_en="Data quality", name_fr="Qualité des données")
        db.session.add(skill)
        db.session.flush()
        for person, level in ((hr, 4), (low, 1)):
            db.session.add(SkillAssessment(person_id=person.id, skill_id=skill.id, level=level,
                                           assessed_by_id=person.id))
        db.session.commit()
    client.login(hr.email)
    html = client.get("/insights").get_data(as_text=True)
    matrix = html.split('id="matrix-h"')[1].split("</section>")[0]
    assert "Hawa HR — Data quality" in matrix and "Lowest Rated" not in matrix
    csv = client.get("/insights/export/skills.csv").get_data(as_text=True)
    assert "Hawa HR,Data quality,4" in csv and "Lowest Rated,Data quality,1" in csv
