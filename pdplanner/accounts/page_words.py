"""The words of a person's record and of one's profile (`pdplanner.words`: translated once
per language)."""

from flask_babel import lazy_gettext as _l

from pdplanner import words

#: The tables' names.
PERSON_PAGE, PROFILE_PAGE = "person_page", "profile_page"

words.table(
    PERSON_PAGE,
    phone_hint=_l("A mobile number; without + it is read as a number of the "
                   "organisation's country."),
    account=_l("Account"),
    add_person=_l("Add a person"),
    no_supervisor=_l("Currently: no supervisor."),
    deactivate=_l("Deactivate"),
    direct_reports=_l("Direct reports:"),
    roles_hint=_l("Everyone is an employee; anyone with reports is a supervisor."),
    goals_heading=_l("Learning goals shared with their supervisor"),
    email_hint=_l("Leave it empty for someone reached by SMS only (they cannot sign in)."),
    none_shared=_l("None shared."),
    admin_only=_l("Only an administrator can change roles."),
    reactivate=_l("Reactivate"),
    roles=_l("Roles"),
    save=_l("Save"),
    send_invitation=_l("Send the invitation e-mail"),
    no_password=_l("They have not chosen a password yet."),
    deactivated=_l("This person is deactivated and cannot sign in."),
    supervisor_email_hint=_l("Type the e-mail address of an active person, or leave it "
                             "empty for no supervisor."),
    back=_l("← People"),
    currently=_l("Currently: %(name)s (%(email)s)."),
)
words.table(
    PROFILE_PAGE,
    change_password=_l("Change your password"),
    email=_l("E-mail"),
    phone_hint=_l("For reminders by SMS; you can answer “did it happen?” by replying to "
                   "the text."),
    level=_l("Level"),
    reminders=_l("Reminders and calendar"),
    timezone_hint=_l("Reminders arrive at times in this zone."),
    save=_l("Save"),
    supervisor=_l("Supervisor"),
    team=_l("Team or site"),
    channel_hint=_l("You can choose otherwise for each kind of reminder."),
    title=_l("Your profile"),
    none=_l("—"),
)
