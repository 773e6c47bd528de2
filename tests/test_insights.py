"""Insights: each figure on a small hand-made organisation whose answers are known."""

import sqlite3
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, text

from pdplanner import create_app
from pdplanner.accounts.models import Level, Team, User
from pdplanner.accounts.queries import organisation
from pdplanner.catalog.models import Skill
from pdplanner.extensions import db
from pdplanner.insights import queries, snapshot
from pdplanner.insights.export import neutralise
from pdplanner.insights.models import MonthFacts, PersonFacts
from pdplanner.insights.scope import Scope, scope_for
from pdplanner.learning.models import Activity, Goal, Occurrence, Reflection, SkillAssessment
from pdplanner.security import hash_password
from pdplanner.supervision.models import PrivateNote, Session
from pdplanner.types import today_in
from tests.conftest import PASSWORD

TODAY = date.today()
SENTINEL = "INSIGHTS-PRIVATE-SENTINEL-8a1"


@pytest.fixture
def org(app):
    """Field staff: 3 people (2 with goals, 1 learned, 1 supervised); Director: 1, idle."""
    with app.app_context():
        field, director = Level(name="Field staff", rank=1), Level(name="Director", rank=0)
        qi, site = Team(name="QI team"), Team(name="Banconi", kind="site")
        hr = User(email="hr@example.org", name="HR Person", is_hr=True,
                  password_hash=hash_password(PASSWORD), level=director, team=qi)
        boss = User(email="boss@example.org", name="Boss", level=field, team=qi,
                    password_hash=hash_password(PASSWORD))
        a = User(email="a@example.org", name="Awa", level=field, team=site, supervisor=boss,
                 password_hash=hash_password(PASSWORD))
        b = User(email="b@example.org", name="=HYPERLINK(\"http://x\")", level=field, team=site,
                 supervisor=boss)
        db.session.add_all([field, director, qi, site, hr, boss, a, b])
        db.session.flush()
        goal_a = Goal(owner=a, title="Lead QI", status="active", visibility="shared",
                      chosen_by="self")
        goal_b = Goal(owner=b, title="Registers", status="active", visibility="shared",
                      chosen_by="suggested", personal_interest=True)
        done_day = TODAY - timedelta(days=10)
        activity = Activity(goal=goal_a, kind="reading", title="Read", starts_on=done_day)
        activity.occurrences = [
            Occurrence(planned_on=done_day, status="done", happened_on=done_day),
            Occurrence(planned_on=TODAY - timedelta(days=20), status="missed"),
            Occurrence(planned_on=TODAY - timedelta(days=30), status="planned")]
        db.session.add_all([goal_a, goal_b, activity])
        db.session.flush()
        db.session.add(Reflection(occurrence=activity.occurrences[0], owner_id=a.id,
                                  learned=SENTINEL, visibility="shared"))
        skill = Skill(name_en="Data quality", name_fr="Qualité des données")
        db.session.add(skill)
        db.session.flush()
        for level, by in ((1, a), (3, a), (2, boss)):  # Awa: 1 then 3; her supervisor: 2
            db.session.add(SkillAssessment(person_id=a.id, skill_id=skill.id, level=level,
                                           assessed_by_id=by.id))
        for days, status in ((40, "held"), (12, "held"), (5, "missed")):
            day = TODAY - timedelta(days=days)
            session = Session(supervisor_id=boss.id, report_id=a.id, status=status,
                              held_on=day if status == "held" else None,
                              starts_at=datetime.combine(day, time(10), tzinfo=UTC))
            db.session.add(session)
            db.session.flush()
            db.session.add(PrivateNote(session_id=session.id, author_id=boss.id, text=SENTINEL))
        db.session.commit()
        return {"hr": hr.email, "boss": boss.email, "a": a.email, "field": field.id,
                "director": director.id, "skill": skill.id, "a_id": a.id, "boss_id": boss.id,
                "site": site.id}


def _html(client, email, url="/insights"):
    client.login(email)
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_participation_by_level_with_counts(client, org):
    """Field staff: 3 staff (boss included), 2 with a goal, 1 learned, 1 supervised."""
    html = _html(client, org["hr"])
    assert "67 % (2)" in html and "33 % (1)" in html
    assert 'Director <span class="badge missed">Needs attention' in html  # 0 % < 60 %
    assert 'Field staff <span class="badge' not in html  # 67 % meets the target


def test_people_behind_a_figure(client, org):
    """The figure links to exactly the people it counts, and to the others."""
    html = _html(client, org["hr"], f"/insights/people?metric=learned&level={org['field']}")
    assert "Awa" in html and "Boss" not in html
    others = client.get(f"/insights/people?metric=learned&present=0&level={org['field']}")
    assert "Boss" in others.get_data(as_text=True)


def test_choice_protocol_supervision_and_attention(client, org):
    """Self-chosen vs suggested, monthly outcomes, sessions held vs due, who needs attention."""
    html = _html(client, org["hr"])
    assert "1 / 2" in html  # one of two goals self-chosen (and one suggested)
    assert "2 / 3" in html  # the boss held 2 of 3 sessions due
    assert ">28<" in html  # days between the two held sessions
    assert "Activities unresolved for more than 14 days (1)" in html


def test_supervisor_sees_only_their_branch(client, org):
    """A supervisor's dashboard counts their branch only; HR staff are not in it."""
    html = _html(client, org["boss"])
    assert "Learning in your branch" in html
    assert "HR Person" not in html and '<th scope="row">Director' not in html


def test_employee_has_no_dashboard(client, org):
    """Someone without reports and without the HR role gets 403."""
    client.login(org["a"])
    assert client.get("/insights").status_code == 403
    assert client.get("/insights/export/teams.csv").status_code == 403


def _idle_people(count: int, level_id: int, supervisor_id: int) -> None:
    """Add `count` supervised people with no goal, no session and nothing planned."""
    db.session.add_all([User(email=f"idle{n}@example.org", name=f"Idle {n:02d}",
                             level_id=level_id, supervisor_id=supervisor_id)
                        for n in range(count)])
    db.session.commit()


def test_needs_attention_counts_everyone_and_opens_the_whole_list(app, client, org):
    """A list longer than the dashboard shows gives its true total and opens, page by page."""
    with app.app_context():
        _idle_people(40, org["director"], org["boss_id"])
    html = _html(client, org["hr"])
    # HR Person, Boss and the 40 idle people have no goal; Awa has an old open date.
    assert "No active goal (42)" in html
    # The 40 and b, supervised with no session; not HR Person and Boss, whom nobody supervises.
    assert "No session held in 60 days (41)" in html
    assert "Activities unresolved for more than 14 days (1)" in html
    no_goal = html.split("No active goal (42)</h3>")[1].split("<h3>")[0]
    assert "Idle 27" in no_goal and "Idle 28" not in no_goal  # the first 30 names, by name
    assert '">Idle 00</a>' in no_goal  # HR opens each person
    link = "/insights/people?metric=with_goal&amp;present=0"
    assert f'{link}&amp;team=&amp;level=&amp;months=12">all 42 people</a>' in html
    first = client.get("/insights/people?metric=with_goal&present=0").get_data(as_text=True)
    assert "42 people" in first and "Page 1 of 2" in first
    # 25 a page, by name: Boss, HR Person, Idle 00 … Idle 22, then Idle 23 … Idle 39.
    assert ">Boss</a>" in first and ">HR Person</a>" in first
    assert ">Idle 22</a>" in first and ">Idle 23</a>" not in first
    second = client.get("/insights/people?metric=with_goal&present=0&page=2").get_data(
        as_text=True)
    assert ">Idle 23</a>" in second and ">Idle 39</a>" in second
    assert ">Boss</a>" not in second and "Page 2 of 2" in second
    unresolved = client.get("/insights/people?metric=unresolved").get_data(as_text=True)
    assert "1 person" in unresolved and "Awa" in unresolved and "Boss" not in unresolved


def test_attention_csv_lists_everyone_with_the_reason_in_the_viewer_language(app, client, org):
    """The export is not cut at the dashboard's 30 names and names each reason in words."""
    with app.app_context():
        _idle_people(40, org["director"], org["boss_id"])
    client.login(org["hr"])
    rows = client.get("/insights/export/attention.csv").get_data(as_text=True).splitlines()
    assert sum(row.endswith(",No active goal") for row in rows) == 42
    assert sum(row.endswith(",No session held in 60 days") for row in rows) == 41
    assert "Boss,No session held in 60 days" not in rows  # nobody supervises the boss
    assert "Awa,Activities unresolved for more than 14 days" in rows
    french = client.get("/insights/export/attention.csv",
                        headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Awa,Activités non renseignées depuis plus de 14 jours" in french.splitlines()
    assert french.count(",Aucun objectif actif") == 42


def test_matrix_names_each_level_in_words(client, org):
    """The skills matrix says what Awa's level means, not a bare number."""
    html = _html(client, org["hr"], f"/insights?skill={org['skill']}")
    assert "Awa — Data quality</span><span>2 · Practising</span>" in html


def test_skill_csvs_name_skills_in_the_viewer_language(client, org):
    """The growth and skills exports say "Qualité des données" to a French reader."""
    client.login(org["hr"])
    for name in ("growth", "skills"):
        english = client.get(f"/insights/export/{name}.csv").get_data(as_text=True)
        french = client.get(f"/insights/export/{name}.csv",
                            headers={"Accept-Language": "fr"}).get_data(as_text=True)
        assert "Data quality" in english and "Qualité des données" not in english, name
        assert "Qualité des données" in french and "Data quality" not in french, name


def test_csv_export_neutralises_formulas(client, org):
    """A name starting with '=' is exported as text."""
    client.login(org["hr"])
    response = client.get("/insights/export/attention.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"),
                                            ("@SUM", "'@SUM"), ("\tx", "'\tx"), ("ok", "ok")])
def test_neutralise(value, expected):
    """Every dangerous first character is neutralised; plain text is untouched."""
    assert neutralise(value) == expected


def test_private_text_never_reaches_the_dashboard_or_exports(client, org):
    """Shared reflections and supervisors' private notes appear in no figure or export."""
    client.login(org["hr"])
    urls = ["/insights", "/insights/people?metric=with_goal"] + [
        f"/insights/export/{n}.csv" for n in ("participation", "protocol", "teams",
                                               "supervision", "growth", "skills",
                                               "attention")]
    for url in urls:
        assert SENTINEL not in client.get(url).get_data(as_text=True), url


def _hr_scope(months: str = "12", **filters) -> Scope:
    hr = db.session.scalar(select(User).where(User.email == "hr@example.org"))
    return scope_for(hr, TODAY, months=months, **filters)


def test_protocol_growth_and_matrix_figures(app, org):
    """Each activity date in its month; Awa's skill from 1 to 3 (self) and 2 (supervisor)."""
    with app.app_context():
        snapshot.refresh()
        monthly = queries.monthly(_hr_scope())
        by_month = {m["month"]: m for m in monthly["months"]}
        assert len(monthly["months"]) == 12 and monthly["months"][-1]["month"] == f"{TODAY:%Y-%m}"
        expected: dict[str, dict] = {}
        for days, key in ((10, "done"), (20, "missed"), (30, "to_resolve")):
            month = f"{TODAY - timedelta(days=days):%Y-%m}"
            expected.setdefault(month, {"planned": 0, "done": 0, "missed": 0, "to_resolve": 0})
            expected[month][key] += 1
            expected[month]["planned"] += 1
        for month, counts in expected.items():
            assert {k: by_month[month][k] for k in counts} == counts, month
        assert sum(m["planned"] for m in monthly["months"]) == 3
        growth = queries.growth(_hr_scope(), monthly["achieved"])
        assert [(g["by_self"], g["people"], g["first"], g["latest"]) for g in growth["skills"]] \
            == [(True, 1, 1.0, 3.0), (False, 1, 2.0, 2.0)]
        matrix = queries.skills_matrix(_hr_scope(), org["skill"])
        assert [(name, level) for name, _team, _skill, level in matrix] == [("Awa", 2)]


def test_whole_organisation_totals_equal_the_per_person_rows(app, org):
    """The summed tables behind the unfiltered page give the per-person figures exactly."""
    with app.app_context():
        snapshot.refresh()
        whole = _hr_scope()
        everyone = select(User.id).where(User.active.is_(True))
        same_people = Scope(people=everyone, branch=everyone, since=whole.since,
                            today=whole.today, months=whole.months)
        assert whole.whole and not same_people.whole
        for figure in (queries.monthly, queries.supervision, queries.participation):
            assert figure(whole) == figure(same_people), figure.__name__
        by_team = queries.monthly(whole)["by_team"]
        assert queries.teams(whole, by_team) == queries.teams(
            same_people, queries.monthly(same_people)["by_team"])
        assert queries.growth(whole, []) == queries.growth(same_people, [])


def test_figures_wait_for_a_refresh_and_refresh_now_counts_new_work(client, org, app):
    """The page shows the snapshot's time; new work appears once the figures are rebuilt."""
    html = _html(client, org["hr"])
    assert "Figures as of" in html and "Director <span class=\"badge missed\">" in html
    start = snapshot.first_of_month(TODAY, 11)
    assert f"Period: from {start.day} {start:%b %Y} to today (whole months)." in html
    with app.app_context():
        hr = db.session.scalar(select(User).where(User.email == "hr@example.org"))
        db.session.add(Goal(owner_id=hr.id, title="Coach", status="active"))
        db.session.commit()
    assert "Director <span class=\"badge missed\">" in _html(client, org["hr"])  # not yet
    response = client.post_form("/insights/refresh", {"level": str(org["director"])})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/insights?level={org['director']}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The figures are up to date." in html and "100 % (1)" in html


def test_refresh_now_leaves_a_young_snapshot_alone(client, org, app):
    """A second click within the minute costs nothing: the snapshot is kept."""
    app.config["INSIGHTS_REFRESH_MIN_SECONDS"] = 3600
    _html(client, org["hr"])
    with app.app_context():
        stamp = snapshot.current().refreshed_at
    client.post_form("/insights/refresh", {})
    with app.app_context():
        assert snapshot.current().refreshed_at == stamp


def test_refresh_now_rebuilds_a_snapshot_stamped_in_the_future(client, org, app):
    """A stamp from a clock that ran ahead does not hold off "Refresh now" until then."""
    app.config["INSIGHTS_REFRESH_MIN_SECONDS"] = 3600
    _html(client, org["hr"])
    with app.app_context():
        snapshot.current().refreshed_at = datetime.now(UTC) + timedelta(days=1)
        db.session.commit()
    client.post_form("/insights/refresh", {})
    with app.app_context():
        assert snapshot.current().refreshed_at <= datetime.now(UTC)


def test_snapshot_holds_active_people_only_and_no_text(app, org):
    """A deactivated person leaves the figures at the next refresh; rows hold no words."""
    with app.app_context():
        snapshot.refresh()
        assert db.session.scalar(select(func.count()).select_from(PersonFacts)) == 4
        db.session.get(User, org["a_id"]).active = False
        db.session.commit()
        snapshot.refresh()
        people = set(db.session.scalars(select(PersonFacts.person_id)))
        assert org["a_id"] not in people and len(people) == 3
        assert not db.session.scalar(select(func.count()).select_from(MonthFacts)
                                     .where(MonthFacts.person_id == org["a_id"]))


def test_a_branch_reaches_every_depth(client, org, app):
    """The boss's dashboard counts the report of their report, and nobody above them."""
    with app.app_context():
        a = db.session.get(User, org["a_id"])
        db.session.add(User(email="c@example.org", name="Cheick Under-Awa", supervisor=a,
                            level_id=org["field"], team_id=org["site"]))
        db.session.commit()
        snapshot.refresh()
    html = _html(client, org["boss"], "/insights/people?metric=with_goal&present=0")
    assert "Cheick Under-Awa" in html and "HR Person" not in html


def test_the_period_is_whole_calendar_months(app, org):
    """Three months on 26 November start on 1 September; an unknown period means 12."""
    with app.app_context():
        hr = db.session.scalar(select(User).where(User.email == "hr@example.org"))
        day = date(2026, 11, 26)
        assert scope_for(hr, day, months="3").since == date(2026, 9, 1)
        assert scope_for(hr, day, months="12").since == date(2025, 12, 1)
        assert scope_for(hr, day, months="7").months == "12"
        assert snapshot.first_of_month(date(2026, 1, 31), 1) == date(2025, 12, 1)


def test_the_scheduler_and_the_command_rebuild_the_snapshot(app, org):
    """The scheduler's job and `pdplanner insights refresh` both leave a fresh stamp."""
    from pdplanner.scheduler import JOBS

    job = dict((job_id, func) for job_id, func, _key in JOBS)["insights.refresh"]
    with app.app_context():
        assert snapshot.current() is None
        job()
        first = snapshot.current().refreshed_at
    from pdplanner.cli import main

    result = app.test_cli_runner().invoke(main, ["insights", "refresh"])
    assert result.exit_code == 0 and "Insights refreshed" in result.output
    with app.app_context():
        assert snapshot.current().refreshed_at > first
        assert snapshot.current().as_of == today_in(organisation().timezone)


def test_counting_takes_no_write_lock_and_readers_keep_the_old_snapshot(tmp_path, monkeypatch):
    """On a SQLite file, others write while the refresh counts, and still read old figures."""
    path = tmp_path / "insights.db"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    seen: dict[str, object] = {}
    counting = snapshot._gaps  # a step of the counting transaction, before the swap

    def meanwhile(conn, *args):
        counting(conn, *args)
        other = sqlite3.connect(path, timeout=0, isolation_level=None)  # no waiting at all
        try:
            other.execute("BEGIN IMMEDIATE")  # "database is locked" if the refresh held it
            other.execute("UPDATE user_account SET name = 'Renamed meanwhile'")
            other.execute("COMMIT")
            seen["names"] = other.execute("SELECT person_name FROM insight_person").fetchall()
        finally:
            other.close()

    with app.app_context():
        db.create_all()
        db.session.add(User(email="x@example.org", name="First name"))
        db.session.commit()
        snapshot.refresh()
        monkeypatch.setattr(snapshot, "_gaps", meanwhile)
        snapshot.refresh()
        assert seen["names"] == [("First name",)]  # the previous snapshot, whole
        monkeypatch.setattr(snapshot, "_gaps", counting)
        snapshot.refresh()
        assert db.session.scalar(select(PersonFacts.person_name)) == "Renamed meanwhile"
        db.session.remove()
        db.engine.dispose()


def test_a_refresh_rewrites_only_the_rows_that_changed(app, org):
    """Only the changed person's row is deleted and written again; the others stay put."""
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        snapshot.refresh()
        if sqlite:  # a trigger logs each row the refresh deletes
            db.session.execute(text("CREATE TABLE rewritten (person_id INTEGER)"))
            db.session.execute(text(
                "CREATE TRIGGER log_rewrite AFTER DELETE ON insight_person "
                "BEGIN INSERT INTO rewritten VALUES (old.person_id); END"))
            db.session.commit()
        # PostgreSQL stamps each row version with the transaction that wrote it (xmin).
        stamps = text("SELECT person_id, xmin::text FROM insight_person")
        before = {} if sqlite else dict(db.session.execute(stamps).all())
        db.session.add(Goal(owner_id=org["boss_id"], title="Coach the team", status="active"))
        db.session.commit()
        snapshot.refresh()
        assert db.session.scalar(select(PersonFacts.active_goals)
                                 .where(PersonFacts.person_id == org["boss_id"])) == 1
        if sqlite:
            rewritten = list(db.session.scalars(text("SELECT person_id FROM rewritten")))
        else:
            after = dict(db.session.execute(stamps).all())
            rewritten = [p for p in after if after[p] != before.get(p)]
        assert rewritten == [org["boss_id"]]


def test_achieved_goals_come_in_eight_whole_quarters(app, org):
    """A goal achieved each month for 27 months: eight quarters, the oldest one whole."""
    with app.app_context():
        for back in range(27):
            day = snapshot.first_of_month(TODAY, back) + timedelta(days=1)
            db.session.add(Goal(owner_id=org["a_id"], title=f"Done {back}", status="achieved",
                                achieved_at=datetime.combine(day, time(12), tzinfo=UTC)))
        db.session.commit()
        snapshot.refresh()
        quarters = queries.monthly(_hr_scope())["achieved"]
        assert len(quarters) == 8
        this_quarter = date(TODAY.year, TODAY.month - (TODAY.month - 1) % 3, 1)
        assert quarters[-1] == (this_quarter, (TODAY.month - 1) % 3 + 1)
        assert all(n == 3 for _quarter, n in quarters[:-1])


def test_a_team_filter_narrows_the_median_days_between_sessions(app, org):
    """The boss meets Awa (site) every 28 days and Cee (QI team) 98 days apart."""
    with app.app_context():
        qi = db.session.scalar(select(Team.id).where(Team.name == "QI team"))
        cee = User(email="cee@example.org", name="Cee", supervisor_id=org["boss_id"],
                   level_id=org["field"], team_id=qi)
        db.session.add(cee)
        db.session.flush()
        for days in (150, 52):
            day = TODAY - timedelta(days=days)
            db.session.add(Session(supervisor_id=org["boss_id"], report_id=cee.id,
                                   status="held", held_on=day,
                                   starts_at=datetime.combine(day, time(10), tzinfo=UTC)))
        db.session.commit()
        snapshot.refresh()

        def median_for(**filters):
            rows = queries.supervision(_hr_scope(**filters)).rows
            return {row["name"]: row["median_gap"] for row in rows}["Boss"]

        assert median_for() == 63  # (28 + 98) / 2, whole organisation
        assert median_for(team_id=org["site"]) == 28
        assert median_for(team_id=qi) == 98
        boss = db.session.get(User, org["boss_id"])
        branch = {row["name"]: row["median_gap"]
                  for row in queries.supervision(scope_for(boss, TODAY)).rows}
        assert branch == {"Boss": 63}


def test_the_snapshot_holds_no_words_anybody_wrote(app, org):
    """No goal title, reflection or private note is copied into any snapshot table."""
    with app.app_context():
        snapshot.refresh()
        for model in snapshot.TABLES:
            texts = [c.name for c in model.__table__.columns
                     if isinstance(c.type, db.String) and c.name != "person_name"]
            assert not texts, f"{model.__tablename__} has text columns {texts}"
            for row in db.session.execute(select(model.__table__)):
                cells = " ".join(str(cell) for cell in row)
                assert SENTINEL not in cells and "Lead QI" not in cells, model.__tablename__


def test_the_supervision_table_shows_those_furthest_from_their_routine(app, client, org):
    """Above INSIGHTS_SUPERVISORS_SHOWN supervisors the page lists those holding the fewest
    sessions of those due (and says how many there are); the CSV still lists everyone."""
    app.config["INSIGHTS_SUPERVISORS_SHOWN"] = 2
    with app.app_context():
        team = db.session.scalar(select(Team).limit(1))
        for name, held in (("Keeps All", 2), ("Keeps None", 0), ("Keeps Half", 1)):
            boss = User(email=f"{name.replace(' ', '.').lower()}@example.org", name=name,
                        team=team)
            report = User(email=f"r.{boss.email}", name=f"Report of {name}", supervisor=boss,
                          team=team)
            db.session.add_all([boss, report])
            for k in range(2):
                day = TODAY - timedelta(days=10 + 7 * k)
                db.session.add(Session(
                    supervisor=boss, report=report, status="held" if k < held else "missed",
                    held_on=day if k < held else None, missed_reason=None if k < held else "ill",
                    starts_at=datetime.combine(day, time(10), tzinfo=UTC)))
        db.session.commit()
        snapshot.refresh()
    html = _html(client, org["hr"])
    table = html.split('id="sup-h"')[1].split("</table>")[0]
    # 0 of 2, then 1 of 2 held; the boss (2 of 3) and Keeps All (2 of 2) are not shown.
    assert "Keeps None" in table and "Keeps Half" in table
    assert "Keeps All" not in table and ">Boss<" not in table
    assert "The 2 supervisors furthest from their routine" in table and "of 4" in table
    csv = client.get("/insights/export/supervision.csv").get_data(as_text=True)
    assert all(name in csv for name in ("Keeps All", "Keeps None", "Keeps Half", "Boss"))
