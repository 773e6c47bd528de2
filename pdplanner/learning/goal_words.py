"""The words of a goal's page and of a report's page (`pdplanner.words`: translated once per
language)."""

from flask_babel import lazy_gettext as _l

from pdplanner import words

#: The tables' names.
GOAL_PAGE, REPORT_PAGE = "goal_page", "report_page"

words.table(
    GOAL_PAGE,
    none=_l("—"),
    back_mine=_l("← My goals"),
    proposed_topic=_l("proposed topic"),
    personal_interest=_l("personal interest"),
    suggested_note=_l("Your supervisor suggests this goal. Take it if it interests you — it "
                       "becomes yours and you can change anything."),
    why=_l("Why"),
    deleted=_l("This goal is deleted."),
    the_goal=_l("The goal"),
    target_date=_l("Target date"),
    success=_l("Success looks like"),
    skills=_l("Skills"),
    shared_with_supervisor=_l("Shared with the supervisor"),
    serves=_l("Serves"),
    restore_it=_l("Restore it"),
    record_progress=_l("Record progress"),
    progress=_l("Progress"),
    only_me=_l("Only me"),
    edit_goal=_l("Edit the goal"),
    dropped=_l("Dropped:"),
    declined=_l("Declined:"),
    decline=_l("Decline"),
    accept=_l("Accept"),
    will_apply=_l("Will apply:"),
    to_resolve=_l("To resolve"),
    shared_with_my_supervisor=_l("Shared with my supervisor"),
    restore=_l("Restore"),
    reflection=_l("Reflection"),
    record=_l("Record what happened"),
    plan_heading=_l("Plan: when and how"),
    plan_activity=_l("Plan an activity"),
    no_activity=_l("No activity planned yet: decide when and how you will learn — a "
                    "course, mentoring, a peer session, a visit to a partner…"),
    learned=_l("Learned:"),
    edit_activity=_l("Edit the activity"),
    deleted_activities=_l("Deleted activities"),
    delete=_l("Delete"),
    change=_l("Change"),
    drop_hint=_l("To drop the goal, say briefly why."),
    state_heading=_l("State of the goal"),
    start=_l("Start it"),
    resume=_l("Resume"),
    reopen=_l("Reopen"),
    record_agreed=_l("Record that we agreed this goal"),
    pause=_l("Pause"),
    no_comment=_l("No comment yet."),
    achieve=_l("Mark as achieved"),
    drop=_l("Drop the goal"),
    delete_goal=_l("Delete the goal"),
    comments=_l("Comments"),
    agreement=_l("Agreement"),
    add_comment=_l("Add the comment"),
    back_reports=_l("← %(name)s's goals"),
    back_person=_l("← %(name)s"),
    suggested_by=_l("Suggested by %(name)s"),
    chosen_by=_l("Chosen by %(name)s"),
    agreed=_l("Agreed with %(name)s on %(d)s"),
    label_value=_l("%(label)s: %(value)s"),
    checkin_label=_l("Progress check-in: %(what)s"),
    minutes=_l("%(n)d min"),
    happened=_l("happened %(d)s"),
)
words.table(
    REPORT_PAGE,
    no_goal=_l("No goal shared with you yet."),
    no_rating=_l("No rating yet."),
    ratings_heading=_l("Skill ratings"),
    suggest=_l("Suggest a goal"),
    agreed=_l("agreed"),
    back_team=_l("← My team"),
    shares_hint=_l("You see the goals %(name)s shares with you, and your own suggestions."),
)
