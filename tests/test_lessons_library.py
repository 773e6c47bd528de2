"""The lessons library read as rows: a page of lessons with the number of matches in one
statement, and every filter's choices in another."""

from datetime import UTC, date, datetime, timedelta

import pytest

from pdplanner.accounts.models import Team
from pdplanner.catalog.models import Skill
from pdplanner.exchanges.models import Exchange, Lesson, Partner
from pdplanner.extensions import db
from tests.test_scale import statements

TODAY = date.today()


@pytest.fixture
def library(app, employee):
    """Five lessons (newest first: Lesson 4 … Lesson 0), the even ones from an exchange with
    a partner and a topic, the odd ones typed by hand from a site; one deleted."""
    app.config.update(LESSONS_PER_PAGE=2)
    with app.app_context():
        site = Team(name="North site", name_fr="Site nord", kind="site")
        topic = Skill(name_en="Hygiene", name_fr="", status="catalogue")
        partner = Partner(name="Santé Plus", folded_name="sante plus")
        exchange = Exchange(title="Visit to Santé Plus", kind="visit_to", ends_on=TODAY,
                            starts_on=TODAY - timedelta(days=9), created_by_id=employee.id,
                            share_back_due_on=TODAY + timedelta(days=30))
        exchange.partners, exchange.skills = [partner], [topic]
        db.session.add_all([site, exchange])
        db.session.flush()
        start = datetime.now(UTC) - timedelta(days=5)
        for n in range(5):
            db.session.add(Lesson(
                author_id=employee.id, title=f"Lesson {n}", programme=f"Programme {n}",
                created_at=start + timedelta(hours=n),
                exchange_id=exchange.id if n % 2 == 0 else None,
                team_id=None if n % 2 == 0 else site.id))
        db.session.add(Lesson(author_id=employee.id, title="Gone lesson",
                              deleted_at=datetime.now(UTC)))
        db.session.commit()
        return {"site": site.id, "topic": topic.id, "partner": partner.id}


def _titles(html: str) -> list[str]:
    return [f"Lesson {n}" for n in range(5) if f">Lesson {n}</a>" in html]


def test_the_library_pages_lessons_newest_first_with_their_count(client, employee, library):
    client.login(employee.email)
    first = client.get("/lessons").get_data(as_text=True)
    third = client.get("/lessons?page=3").get_data(as_text=True)
    assert _titles(first) == ["Lesson 3", "Lesson 4"] and "5 lessons" in first
    assert "Page 1 of 3" in first and _titles(third) == ["Lesson 0"]
    assert "Gone lesson" not in first + third


def test_a_page_past_the_last_still_counts_the_lessons(client, employee, library):
    client.login(employee.email)
    html = client.get("/lessons?page=9").get_data(as_text=True)
    assert "No lesson matches." in html and "5 lessons" in html


@pytest.mark.parametrize("query,count", [("kind=visit_to", 3), ("team={site}", 2)])
def test_a_filtered_page_past_the_last_still_counts_its_matches(client, employee, library,
                                                                 query, count):
    client.login(employee.email)
    html = client.get(f"/lessons?{query.format(**library)}&page=9").get_data(as_text=True)
    assert "No lesson matches." in html and f"{count} lessons" in html


def test_the_library_filters_by_topic_partner_kind_and_site(client, employee, library):
    client.login(employee.email)
    pages = {name: client.get(f"/lessons?{query}").get_data(as_text=True) for name, query in (
        ("topic", f"skill={library['topic']}"), ("partner", f"partner={library['partner']}"),
        ("kind", "kind=visit_to"), ("site", f"team={library['site']}"))}
    assert all("3 lessons" in pages[name] for name in ("topic", "partner", "kind"))
    assert "2 lessons" in pages["site"] and "Visit to Santé Plus" not in pages["site"]
    assert "Programme 4" in pages["topic"] and "Visit to Santé Plus ·" in pages["topic"]


def test_the_filters_offer_names_in_the_readers_language(app, client, make_user, library):
    reader = make_user("lecteur@example.org", "Lina Lecteur", language="fr")
    client.login(reader.email)
    html = client.get("/lessons").get_data(as_text=True)
    assert f'<option value="{library["site"]}">Site nord</option>' in html
    assert f'<option value="{library["topic"]}">Hygiene</option>' in html
    assert f'<option value="{library["partner"]}">Santé Plus</option>' in html


def test_the_library_costs_the_same_with_more_lessons_topics_sites_and_partners(
        app, client, employee, library):
    client.login(employee.email)
    before = statements(app, client, "/lessons")
    with app.app_context():
        for n in range(4):
            db.session.add_all([Team(name=f"Team {n}", kind="team"),
                                Skill(name_en=f"Topic {n}", name_fr="", status="catalogue"),
                                Partner(name=f"Clinic {n}", folded_name=f"clinic {n}"),
                                Lesson(author_id=employee.id, title=f"More lesson {n}")])
        db.session.commit()
    assert statements(app, client, "/lessons") == before
