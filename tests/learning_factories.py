"""Factories for learning objects used by several test files."""

from __future__ import annotations

from datetime import date, timedelta

from pdplanner.extensions import db
from pdplanner.learning.models import Activity, Goal, Occurrence


def make_goal(app, owner_id: int, title: str = "Lead a QI meeting", status: str = "active",
              visibility: str = "shared", **fields) -> int:
    """Create a goal directly and return its id."""
    with app.app_context():
        goal = Goal(owner_id=owner_id, title=title, status=status, visibility=visibility,
                    **fields)
        db.session.add(goal)
        db.session.commit()
        return goal.id


def make_activity(app, goal_id: int, days_ago: int = 3, recurrence: str = "none",
                  count: int = 1, title: str = "Peer session") -> tuple[int, list[int]]:
    """Create an activity with `count` weekly occurrences starting `days_ago` days ago."""
    with app.app_context():
        start = date.today() - timedelta(days=days_ago)
        activity = Activity(goal_id=goal_id, kind="peer_learning", title=title,
                            starts_on=start, recurrence=recurrence,
                            until=start + timedelta(weeks=count) if count > 1 else None)
        activity.occurrences = [Occurrence(planned_on=start + timedelta(weeks=n))
                                for n in range(count)]
        db.session.add(activity)
        db.session.commit()
        return activity.id, [o.id for o in activity.occurrences]
