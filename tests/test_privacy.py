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


NOTE = "SENTINEL-PRIVATE-NOTE-7e02"
PAST_NOTE = "SENTINEL-PAST-PRIVATE-NOTE-3b9a"
GOAL = "SENTINEL-GOAL-SHARED-LATER-c41d"
#: What each person reads once the report has moved to a new supervisor: its author keeps
#: their note on the session they held; the moved session's note reaches nobody else; the
#: goal shared after the move reaches the new supervisor, never the old one or a colleague.
AUDIENCE = {
    "old_boss": {PAST_NOTE},
    "new_boss": {GOAL},
    "report": {GOAL},
    "colleague": set(),
    "hr": None,  # HR reads shared goals; the notes are what is checked here
    "admin": None,
}
EXPORTS = ["participation", "protocol", "teams", "supervision", "growth", "skills",
           "attention"]


def _reassigned_world(app, make_client, make_user):
    """The old supervisor writes private notes, then HR gives the report a new supervisor."""
    from datetime import UTC, datetime, timedelta

    from pdplanner.supervision.models import Session

    old = make_user(name="Old boss")
    new = make_user(name="New boss")
    report = make_user(name="Report", supervisor_id=old.id)
    people = {"old_boss": old, "new_boss": new, "report": report,
              "colleague": make_user(name="Colleague", supervisor_id=new.id),
              "hr": make_user(name="HR", is_hr=True), "admin": make_user(name="Admin",
                                                                        is_admin=True)}
    now = datetime.now(UTC)
    with app.app_context():
        past = Session(supervisor_id=old.id, report_id=report.id, status="held",
                       starts_at=now - timedelta(days=3), held_on=(now - timedelta(days=3)).date())
        coming = Session(supervisor_id=old.id, report_id=report.id,
                         starts_at=now + timedelta(hours=20))
        db.session.add_all([past, coming])
        db.session.commit()
        ids = {"past": past.id, "coming": coming.id}
    boss = make_client()
    boss.login(old.email)
    for key, text in (("past", PAST_NOTE), ("coming", NOTE)):
        assert boss.post_form(f"/sessions/{ids[key]}/notes", {
            "shared_notes": "", "private_notes": text, "version": "1"}).status_code == 302
    hr = make_client()
    hr.login(people["hr"].email)
    assert hr.post_form(f"/people/{report.id}", {
        "name": "Report", "email": report.email, "supervisor_id": str(new.id),
        "language": "", "timezone": "", "version": "1"}).status_code == 302
    # After the move the report shares a goal with the new supervisor only.
    make_goal(app, report.id, visibility="shared", title=GOAL)
    return people, ids


def _feed_urls(app, people) -> dict:
    """A fresh calendar address for each person."""
    from pdplanner.accounts.models import User
    from pdplanner.reminders.services import new_feed

    with app.app_context():
        return {key: f"/calendar/{new_feed(db.session.get(User, p.id))}.ics"
                for key, p in people.items()}


def test_private_notes_stay_with_their_author_after_reassignment(app, make_client, make_user):
    """After a new supervisor takes over, each sentinel reaches only its audience, on every
    page, print view, export and calendar feed."""
    people, ids = _reassigned_world(app, make_client, make_user)
    feeds = _feed_urls(app, people)
    sample = {"person_id": people["report"].id, "filename": "app.css"}
    urls = [url for rule in app.url_map.iter_rules() if "GET" in rule.methods
            and rule.endpoint != "static" and (url := _fill(rule.rule, sample))]
    urls += [f"/sessions/{ids['past']}", f"/sessions/{ids['past']}/print",
             f"/sessions/{ids['coming']}", f"/sessions/{ids['coming']}/print",
             "/people?q=Report", *[f"/insights/export/{name}.csv" for name in EXPORTS]]
    for key, person in people.items():
        viewer = make_client()
        viewer.login(person.email)
        seen = set()
        for url in [*urls, feeds[key]]:
            response = viewer.get(url)
            body = response.get_data(as_text=True)
            response.close()
            seen |= {s for s in (NOTE, PAST_NOTE, GOAL) if s in body}
        expected = AUDIENCE[key]
        if expected is None:
            assert not seen & {NOTE, PAST_NOTE}, key
        else:
            assert seen == expected, key


def test_reassigned_session_opens_without_the_old_note(app, make_client, make_user):
    """The new supervisor's notes form starts empty and saving it keeps the old note apart."""
    from pdplanner.supervision.models import PrivateNote

    people, ids = _reassigned_world(app, make_client, make_user)
    new = make_client()
    new.login(people["new_boss"].email)
    page = new.get(f"/sessions/{ids['coming']}").get_data(as_text=True)
    assert NOTE not in page
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    assert new.post_form(f"/sessions/{ids['coming']}/notes", {
        "shared_notes": "", "private_notes": "mine", "version": version}).status_code == 302
    with app.app_context():
        notes = dict(db.session.execute(db.select(PrivateNote.author_id, PrivateNote.text)
                                        .where(PrivateNote.session_id == ids["coming"])).all())
    assert notes == {people["old_boss"].id: NOTE, people["new_boss"].id: "mine"}


def test_private_notes_reach_no_mail_or_notification(app, make_client, make_user):
    """The session reminders queued after the move carry no private note."""
    from datetime import UTC, datetime, timedelta

    from pdplanner.reminders.models import Notification, OutboxMessage
    from pdplanner.reminders.services import sweep

    _reassigned_world(app, make_client, make_user)
    with app.app_context():
        sweep(datetime.now(UTC) + timedelta(hours=1))
        mails = db.session.scalars(db.select(OutboxMessage)).all()
        notices = db.session.scalars(db.select(Notification)).all()
        assert any(m.kind.startswith("session") for m in mails)
        for text in [f"{m.subject}{m.text}{m.html}{m.params}" for m in mails] + [
                f"{n.params}{n.link}" for n in notices]:
            assert NOTE not in text and PAST_NOTE not in text


def test_former_supervisor_cannot_review_the_reports_goals(app, make_client, make_user):
    """On a session they held, a former supervisor can no longer agree or comment a goal."""
    people, ids = _reassigned_world(app, make_client, make_user)
    goal_id = make_goal(app, people["report"].id, visibility="shared", title="Another")
    old = make_client()
    old.login(people["old_boss"].email)
    response = old.post_form(f"/sessions/{ids['past']}/goals/{goal_id}", {
        f"g{goal_id}-note": "Still mine?", f"g{goal_id}-agree": "y"})
    assert response.status_code == 404


def test_reassignment_withdraws_the_old_supervisors_reminders_only(app, make_client, make_user):
    """Reminders of a moved session queued for the old supervisor are withdrawn (they would
    show the report's goals); the report's stay; the new supervisor gets their own."""
    from datetime import UTC, datetime, timedelta

    from pdplanner.accounts.models import User
    from pdplanner.accounts.people import PersonData, update_person
    from pdplanner.reminders.models import Notification, OutboxMessage
    from pdplanner.reminders.services import sweep
    from pdplanner.supervision.models import Session

    old, new = make_user(name="Old boss"), make_user(name="New boss")
    report = make_user(name="Report", supervisor_id=old.id)
    hr = make_user(name="HR", is_hr=True)
    now = datetime.now(UTC)
    with app.app_context():
        session = Session(supervisor_id=old.id, report_id=report.id,
                          starts_at=now + timedelta(hours=20))
        db.session.add(session)
        db.session.commit()
        sweep(now)
        person = db.session.get(User, report.id)
        update_person(db.session.get(User, hr.id), person, PersonData(
            email=person.email, name=person.name, supervisor_id=new.id), person.version)
        sweep(now)
        mails = {m.user_id: m.status for m in db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == "session_upcoming"))}
        unread = {n.user_id for n in db.session.scalars(db.select(Notification).where(
            Notification.kind == "session_upcoming", Notification.read_at.is_(None)))}
    assert mails == {old.id: "skipped", report.id: "pending", new.id: "pending"}
    assert unread == {report.id, new.id}
