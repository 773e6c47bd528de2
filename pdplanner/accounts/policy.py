"""Who may reach which page and who may see or change whom: the one authorization policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from pdplanner.errors import PermissionDenied, RuleViolation

if TYPE_CHECKING:
    from pdplanner.accounts.models import User

#: Anyone, signed in or not.
PUBLIC = "public"
#: Only people who are signed out (the sign-in and reset pages) — others are sent home.
SIGNED_OUT = "signed_out"
#: Any active, signed-in member of staff.
SIGNED_IN = "signed_in"
#: HR or admin.
HR = "hr"
#: Admin only.
ADMIN = "admin"

#: Every endpoint the app serves, and the rule that guards it. An endpoint missing here
#: is refused (fail closed), and the authorization-matrix test fails.
ROUTES: dict[str, str] = {
    "static": PUBLIC,
    "main.health": PUBLIC,
    "main.set_language": PUBLIC,
    "main.index": SIGNED_IN,
    # The installable app: its description, service worker and offline page are public;
    # the device's state says only whether someone is signed in (and their CSRF token).
    "main.manifest": PUBLIC,
    "main.service_worker": PUBLIC,
    "main.offline": PUBLIC,
    "main.device_state": PUBLIC,
    "identity.login": SIGNED_OUT,
    "identity.forgot_password": SIGNED_OUT,
    "identity.reset_password": SIGNED_OUT,
    "identity.welcome": SIGNED_OUT,
    "identity.logout": SIGNED_IN,
    "accounts.profile": SIGNED_IN,
    "identity.change_password": SIGNED_IN,
    "accounts.people": HR,
    "accounts.person_new": HR,
    "accounts.person": HR,
    "accounts.person_invite": HR,
    "accounts.person_deactivate": HR,
    "accounts.person_reactivate": HR,
    "accounts.people_import": HR,
    "accounts.settings": HR,
    "accounts.teams": HR,
    "accounts.team_edit": HR,
    "accounts.levels": HR,
    "accounts.level_edit": HR,
    "accounts.level_move": HR,
    "catalog.alignments": HR,
    "catalog.alignment_edit": HR,
    "catalog.alignment_archive": HR,
    "catalog.skills_list": HR,
    "catalog.skill_edit": HR,
    "catalog.skill_archive": HR,
    "catalog.area_new": HR,
    "catalog.area_edit": HR,
    "catalog.proposal": HR,
    # Learning pages check ownership of each object themselves (404 / 403).
    "learning.goals": SIGNED_IN,
    "learning.goal_new": SIGNED_IN,
    "learning.goal": SIGNED_IN,
    "learning.goal_edit": SIGNED_IN,
    "learning.goal_status": SIGNED_IN,
    "learning.goal_agree": SIGNED_IN,
    "learning.goal_checkin": SIGNED_IN,
    "learning.goal_comment": SIGNED_IN,
    "learning.goal_delete": SIGNED_IN,
    "learning.activity_new": SIGNED_IN,
    "learning.activity_edit": SIGNED_IN,
    "learning.activity_delete": SIGNED_IN,
    "learning.occurrence": SIGNED_IN,
    "learning.occurrence_quick": SIGNED_IN,
    "learning.occurrence_reschedule": SIGNED_IN,
    "learning.reflection": SIGNED_IN,
    # An action a device kept offline; the view checks it is the sender's own.
    "learning.offline_action": SIGNED_IN,
    "learning.plan": SIGNED_IN,
    "learning.plan_print": SIGNED_IN,
    "learning.skills": SIGNED_IN,
    "learning.report": SIGNED_IN,
    "learning.suggest": SIGNED_IN,
    "learning.suggestion_accept": SIGNED_IN,
    "learning.suggestion_decline": SIGNED_IN,
    # Supervision pages check that the viewer takes part in each session (404 / 403).
    "supervision.team": SIGNED_IN,
    "supervision.to_resolve": SIGNED_IN,
    "supervision.schedule": SIGNED_IN,
    "supervision.session_new": SIGNED_IN,
    "supervision.history": SIGNED_IN,
    "supervision.my_sessions": SIGNED_IN,
    "supervision.session": SIGNED_IN,
    "supervision.item_add": SIGNED_IN,
    "supervision.item_toggle": SIGNED_IN,
    "supervision.review": SIGNED_IN,
    "supervision.action_add": SIGNED_IN,
    "supervision.action_toggle": SIGNED_IN,
    "supervision.notes": SIGNED_IN,
    "supervision.held": SIGNED_IN,
    "supervision.missed": SIGNED_IN,
    "supervision.move": SIGNED_IN,
    "supervision.cancel": SIGNED_IN,
    "supervision.session_print": SIGNED_IN,
    "reminders.notifications": SIGNED_IN,
    "reminders.notification_open": SIGNED_IN,
    "reminders.notifications_read": SIGNED_IN,
    "reminders.preferences_page": SIGNED_IN,
    "reminders.calendar_manage": SIGNED_IN,
    # The secret token in the URL is the credential (calendar apps cannot sign in).
    "reminders.calendar": PUBLIC,
    "reminders.outbox": ADMIN,
    "reminders.sms_page": ADMIN,
    "reminders.short_link": SIGNED_IN,
    # Signed by the SMS provider (checked in the view); no session, no CSRF token.
    "reminders.sms_webhook": PUBLIC,
    "reminders.outbox_message": ADMIN,
    "reminders.outbox_requeue": ADMIN,
    # HR sees the organisation, supervisors their branch; the view refuses other employees.
    "insights.dashboard": SIGNED_IN,
    "insights.people": SIGNED_IN,
    "insights.export": SIGNED_IN,
    "insights.refresh": SIGNED_IN,
    # Exchanges and lessons are visible to all staff; editing is checked per exchange.
    "exchanges.exchanges": SIGNED_IN,
    "exchanges.exchange_new": SIGNED_IN,
    "exchanges.exchange_edit": SIGNED_IN,
    "exchanges.exchange": SIGNED_IN,
    "exchanges.library": SIGNED_IN,
    "exchanges.lesson": SIGNED_IN,
    "exchanges.adopt": SIGNED_IN,
    "exchanges.partners": HR,
}


def is_hr(user: User) -> bool:
    """HR and admins manage people and the catalogue."""
    return bool(user.is_authenticated and (user.is_hr or user.is_admin))


def may_grant_roles(actor: User) -> bool:
    """Only an admin may make someone HR or admin."""
    return bool(actor.is_authenticated and actor.is_admin)


def may_manage_person(actor: User, person: User) -> bool:
    """HR and admins manage everyone's account record; HR cannot edit an admin."""
    if not is_hr(actor):
        return False
    return actor.is_admin or not person.is_admin


def check_person_write(actor: User, person: User | None, is_hr_role: bool,
                       is_admin_role: bool) -> None:
    """Refuse a record `actor` may not write (person None: someone new) — the one rule the
    person page, the staff import and the command line acting for someone all ask."""
    if not is_hr(actor) or (person is not None and not may_manage_person(actor, person)):
        raise PermissionDenied()
    had = (bool(person.is_hr), bool(person.is_admin)) if person is not None else (False, False)
    if (is_hr_role, is_admin_role) == had:
        return
    if not may_grant_roles(actor):
        raise RuleViolation("is_hr", _l("Only an administrator can change roles."))
    if person is not None and person.id == actor.id and person.is_admin and not is_admin_role:
        raise RuleViolation("is_admin", _l("You cannot remove your own administrator role."))


def enforce(rule: str) -> None:
    """Abort or redirect unless the current user satisfies `rule`."""
    if rule == PUBLIC:
        return
    if rule == SIGNED_OUT:
        return  # the view sends signed-in people home itself
    user = current_user._get_current_object()
    if not user.is_authenticated:
        abort(current_app.login_manager.unauthorized())
    if rule == SIGNED_IN:
        return
    if rule == HR and is_hr(user):
        return
    if rule == ADMIN and user.is_admin:
        return
    abort(403)


def register_policy(app: Flask) -> None:
    """Check the route table before every request."""

    @app.before_request
    def check_route_policy():
        if request.endpoint is None:
            return None  # 404 or 405 follows
        rule = ROUTES.get(request.endpoint)
        if rule is None:
            app.logger.error("endpoint %s has no authorization rule", request.endpoint)
            abort(403)
        enforce(rule)
        return None


def is_supervisor_of(viewer: User, person: User) -> bool:
    """Tell whether `viewer` is `person`'s current, direct supervisor."""
    return bool(viewer.is_authenticated and person.supervisor_id == viewer.id and viewer.active)


def may_edit_goal(viewer: User, goal) -> bool:
    """Only the owner edits their goal, its plan and their reflections."""
    return bool(viewer.is_authenticated and goal.owner_id == viewer.id)

