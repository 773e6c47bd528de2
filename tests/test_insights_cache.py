"""The dashboard rendered once per scope and snapshot: never another scope's, never stale."""

from sqlalchemy import event

from pdplanner.accounts.models import Team, User
from pdplanner.extensions import db
from pdplanner.insights import snapshot
from pdplanner.insights.cache import EXTENSION, FigureCache
from pdplanner.learning.models import Goal
from pdplanner.security import hash_password
from tests.conftest import PASSWORD, Client


def _people(app) -> dict:
    """One team: HR, a supervisor with two reports, another supervisor with one; no goals."""
    with app.app_context():
        team = Team(name="Banconi", kind="site")
        db.session.add(team)
        db.session.flush()

        def person(email, name, supervisor=None, **fields):
            user = User(email=email, name=name, team_id=team.id, supervisor=supervisor,
                        password_hash=hash_password(PASSWORD), **fields)
            db.session.add(user)
            return user

        boss, other = person("boss@example.org", "Boss"), person("other@example.org", "Other")
        person("hr@example.org", "HR Person", is_hr=True)
        awa = person("awa@example.org", "Awa Branch", boss)
        person("bintou@example.org", "Bintou Branch", boss)
        person("zed@example.org", "Zed Outside", other)
        db.session.commit()
        return {"team": team.id, "awa": awa.id, "other": other.id}


def _goal(app, person_id: int) -> None:
    """Give someone an active goal (the snapshot sees it at its next rebuild)."""
    with app.app_context():
        db.session.add(Goal(owner_id=person_id, title="Registers", status="active",
                            visibility="shared"))
        db.session.commit()


def _page(client, email: str, url: str = "/insights") -> str:
    client.login(email)
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_supervisor_after_hr_with_the_same_filter_sees_only_their_branch(
        app, client, make_client):
    ids = _people(app)
    url = f"/insights?team={ids['team']}"
    assert "Zed Outside" in _page(client, "hr@example.org", url)
    html = _page(make_client(), "boss@example.org", url)
    assert "Learning in your branch" in html and "Awa Branch" in html
    assert "Zed Outside" not in html


def test_a_report_moved_to_another_supervisor_leaves_the_branch_at_once(app, client):
    ids = _people(app)
    assert "Awa Branch" in _page(client, "boss@example.org")
    with app.app_context():
        db.session.get(User, ids["awa"]).supervisor_id = ids["other"]
        db.session.commit()
    html = _page(client, "boss@example.org")  # the same snapshot: no rebuild since
    assert "Bintou Branch" in html and "Awa Branch" not in html


def test_a_rebuilt_snapshot_shows_its_new_figures_at_once(app, client):
    ids = _people(app)
    assert "No active goal (6)" in _page(client, "hr@example.org")
    _goal(app, ids["awa"])
    assert "No active goal (6)" in client.get("/insights").get_data(as_text=True)
    with app.app_context():
        snapshot.refresh()
    assert "No active goal (5)" in client.get("/insights").get_data(as_text=True)


def test_a_second_view_of_a_scope_reads_only_the_snapshots_stamp(app, client):
    _people(app)
    _page(client, "hr@example.org")
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/insights").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert any("insight_snapshot" in statement for statement in seen)
    assert [s for s in seen if "insight_" in s.replace("insight_snapshot", "")] == []


def test_each_language_gets_its_own_rendering(app, client, make_client):
    _people(app)
    with app.app_context():
        db.session.add(User(email="rh@example.org", name="RH", is_hr=True, language="fr",
                            password_hash=hash_password(PASSWORD)))
        db.session.commit()
    assert "Learning across the organisation" in _page(client, "hr@example.org")
    html = _page(make_client(), "rh@example.org")
    assert "L’apprentissage dans l’ensemble de l’organisation" in html
    assert "Aucun objectif actif" in html


def test_the_cache_keeps_a_bounded_number_of_renderings_of_the_current_snapshot(app, client):
    app.config["INSIGHTS_CACHE_ENTRIES"] = 2
    _people(app)
    for months in (3, 6, 12):
        _page(client, "hr@example.org", f"/insights?months={months}")
    cache = app.extensions[EXTENSION]
    assert len(cache) == 2
    with app.app_context():
        snapshot.refresh()
    client.get("/insights?months=3")
    assert len(cache) == 1  # the old snapshot's renderings are gone


def test_the_cache_drops_the_least_recently_used_beyond_its_size():
    cache = FigureCache(entries=10, chars=10)
    cache.put("s1", "a", ("aaaaa",))
    cache.put("s1", "b", ("bbbbb",))
    assert cache.get("s1", "a") == ("aaaaa",)  # now the most recently used
    cache.put("s1", "c", ("ccccc",))
    assert cache.get("s1", "b") is None and cache.get("s1", "a") and cache.chars == 10
    cache.put("s1", "d", ("d" * 11,))  # larger than the whole cache: not kept
    assert cache.get("s1", "d") is None and len(cache) == 2
    assert cache.get("s2", "a") is None  # another snapshot never sees these


def test_a_snapshot_rebuilt_by_one_worker_shows_at_once_in_another(two_workers):
    first, second = two_workers
    ids = _people(first)
    clients = []
    for app in two_workers:
        app.test_client_class = Client
        clients.append(app.test_client())
    assert "No active goal (6)" in _page(clients[0], "hr@example.org")
    assert "No active goal (6)" in _page(clients[1], "hr@example.org")
    _goal(first, ids["awa"])
    assert clients[1].post_form("/insights/refresh").status_code == 302
    assert "No active goal (5)" in clients[0].get("/insights").get_data(as_text=True)
