"""Learning is not appraisal: a private reflection reaches nobody but its owner."""

import re

from pdplanner.extensions import db
from pdplanner.learning.models import Occurrence, Reflection
from tests.learning_factories import make_activity, make_goal

SENTINEL = "SENTINEL-PRIVATE-REFLECTION-91c4"


def _fill(template: str, ids: dict) -> str | None:
    """Fill <converter:name> parts; None when a part has no sample value."""
    names = re.findall(r"<(?:[^:<>]+:)?([a-z_]+)>", template)
    if any(name not in ids for name in names):
        return None
    return re.sub(r"<(?:[^:<>]+:)?([a-z_]+)>", lambda m: str(ids[m.group(1)]), template)


def test_private_reflection_appears_on_no_page_for_anyone_else(app, make_client, make_user):
    """Every GET page, as supervisor, HR, admin and a colleague, is free of the sentinel."""
    boss = make_user(name="Boss")
    owner = make_user(name="Owner", supervisor_id=boss.id)
    colleague = make_user(name="Colleague", supervisor_id=boss.id)
    hr = make_user(name="HR", is_hr=True)
    admin = make_user(name="Admin", is_admin=True)
    goal_id = make_goal(app, owner.id, visibility="shared")
    activity_id, (occurrence_id,) = make_activity(app, goal_id, days_ago=2)
    with app.app_context():
        occurrence = db.session.get(Occurrence, occurrence_id)
        occurrence.status, occurrence.happened_on = "done", occurrence.planned_on
        db.session.add(Reflection(occurrence=occurrence, owner_id=owner.id, learned=SENTINEL,
                                  apply=SENTINEL, visibility="private"))
        db.session.commit()
    ids = {"goal_id": goal_id, "activity_id": activity_id, "occurrence_id": occurrence_id,
           "person_id": owner.id, "filename": "app.css"}
    urls = [url for rule in app.url_map.iter_rules() if "GET" in rule.methods
            and rule.endpoint != "static" and (url := _fill(rule.rule, ids))]
    urls += ["/people?q=Owner", "/plan", "/"]
    owner_client = make_client()
    owner_client.login(owner.email)
    assert SENTINEL in owner_client.get(f"/goals/{goal_id}").get_data(as_text=True)
    for person in (boss, colleague, hr, admin):
        viewer = make_client()
        viewer.login(person.email)
        for url in urls:
            response = viewer.get(url)
            assert SENTINEL not in response.get_data(as_text=True), (person.name, url)
            response.close()
