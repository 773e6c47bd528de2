"""Labels of the learning room's statuses and kinds, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from pdplanner import labels

GOAL_STATUS = {"suggested": _l("Suggested"), "declined": _l("Declined"), "draft": _l("Draft"),
               "active": _l("Active"), "paused": _l("Paused"), "achieved": _l("Achieved"),
               "dropped": _l("Dropped")}
OCCURRENCE_STATUS = {"planned": _l("Planned"), "done": _l("Done"), "missed": _l("Missed"),
                     "cancelled": _l("Cancelled"), "rescheduled": _l("Moved")}
GOAL_VISIBILITY = {"private": _l("Only me"), "shared": _l("Shared with my supervisor")}
ACTIVITY_KIND = {"course": _l("Course"), "mentoring": _l("Mentoring"),
                 "job_shadowing": _l("Job shadowing"),
                 "peer_learning": _l("Peer learning session"), "reading": _l("Reading"),
                 "exchange_visit": _l("Partner exchange visit"),
                 "workshop": _l("Workshop or training"), "on_the_job": _l("On-the-job practice"),
                 "qi_meeting": _l("QI meeting"), "other": _l("Other")}


def register() -> None:
    """Make the learning room's labels known to templates."""
    labels.register("goal_status", GOAL_STATUS)
    labels.register("occurrence_status", OCCURRENCE_STATUS)
    labels.register("activity_kind", ACTIVITY_KIND)
    labels.register("goal_visibility", GOAL_VISIBILITY)
