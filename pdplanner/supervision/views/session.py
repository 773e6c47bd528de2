"""One session: agenda, review of goals, agreed actions, notes, held or missed, print (its
slot, moved or cancelled, is `slot.py`)."""


from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner.accounts.policy import is_supervisor_of
from pdplanner.accounts.queries import timezone_of, today_for
from pdplanner.errors import RuleViolation, StaleEdit, apply_violation
from pdplanner.forms import EmptyForm, choices_of
from pdplanner.learning.forms import kind_choices
from pdplanner.learning.rows import skill_name
from pdplanner.supervision import agenda_html, queries, sessions
from pdplanner.supervision.forms import (
    ActionForm,
    HeldForm,
    ItemForm,
    MissedForm,
    NotesForm,
    ReviewForm,
)
from pdplanner.supervision.session_page import SessionPage, session_page
from pdplanner.supervision.views import bp, led_session, visible_session


def _forms(session, agenda, **given):
    """Build every form of the session page (those given keep the user's input); the
    person supervised only adds agenda points."""
    if session.supervisor_id != current_user.id:
        return {"item_form": given.get("item_form") or ItemForm(formdata=None)}
    forms = {"item_form": ItemForm(formdata=None), "action_form": ActionForm(formdata=None),
             "notes_form": NotesForm(formdata=None, obj=session),
             # "Held on" starts at the planned day (today for a session planned later).
             "held_form": HeldForm(formdata=None, held_on=min(
                 sessions.planned_day(current_user, session), today_for(current_user))),
             "missed_form": MissedForm(formdata=None)}
    forms["notes_form"].private_notes.data = session.private_note or ""
    forms.update(given)
    forms["action_form"].goal_id.choices = choices_of(
        [("", _("— choose —"))] + [(str(g.id), g.title) for g in agenda.goals])
    forms["kinds"] = kind_choices()
    return forms


def _page(session_id: int) -> SessionPage:
    """Read a session's page as rows, or answer 404 (a session not the viewer's)."""
    return session_page(current_user, session_id) or abort(404)


def _render(session_id: int, status=200, **given):
    """Render the session page for the viewer's role."""
    page = _page(session_id)
    session, lead = page.session, page.session.supervisor_id == current_user.id
    # only the supervisor reviews goals, rating a skill of each
    agenda = queries.agenda_for(current_user, session, with_skills=lead)
    lang = str(get_locale() or "en")
    review_forms = {}
    for goal in agenda.goals if lead else ():
        form = given.pop(f"review_{goal.id}", None) or ReviewForm(
            formdata=None, prefix=f"g{goal.id}", note=goal.review_note or "")
        form.skill_id.choices = choices_of([("", _("— none —"))] + [
            (str(s.id), skill_name(s, lang)) for s in agenda.skills.get(goal.id, ())])
        review_forms[goal.id] = form
    return render_template(
        "supervision/session.html", session=session, items=page.items, actions=page.actions,
        agenda=agenda, agenda_html=agenda_html, review_forms=review_forms, lead=lead,
        today=today_for(current_user), tz=timezone_of(current_user),
        **_forms(session, agenda, **given)), status


def _agenda(session):
    """The agenda of a session the viewer leads, as `agenda_for` shows it to them (none for
    a former supervisor), with each goal's skills."""
    if is_supervisor_of(current_user, session.report):
        return queries.agenda(session, with_skills=True)
    return queries.no_agenda()


@bp.route("/sessions/<int:session_id>")
def session(session_id: int):
    """The session page: its agenda before, and everything recorded during it."""
    return _render(session_id)


@bp.route("/sessions/<int:session_id>/items", methods=["POST"])
def item_add(session_id: int):
    """Add a point to the agenda (either person)."""
    session = visible_session(session_id)
    form = ItemForm()
    if form.validate_on_submit():
        try:
            sessions.add_item(current_user, session, form.text.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            return redirect(url_for("supervision.session", session_id=session.id) + "#agenda")
    return _render(session.id, 422, item_form=form)


@bp.route("/sessions/<int:session_id>/items/<int:item_id>", methods=["POST"])
def item_toggle(session_id: int, item_id: int):
    """Tick an agenda point as covered, or untick it."""
    session = visible_session(session_id)
    item = queries.agenda_item(item_id)
    if item is None or item.session_id != session.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        sessions.set_item_covered(current_user, item, not item.covered)
    return redirect(url_for("supervision.session", session_id=session.id) + "#agenda")


@bp.route("/sessions/<int:session_id>/goals/<int:goal_id>", methods=["POST"])
def review(session_id: int, goal_id: int):
    """Save the review of one goal: progress, agreement, a rating, a comment."""
    session = led_session(session_id)
    form = ReviewForm(prefix=f"g{goal_id}")
    agenda = _agenda(session)
    if goal_id not in {g.id for g in agenda.goals}:
        abort(404)
    form.skill_id.choices = choices_of([("", "")] + [(str(s.id), "") for s in
                                                      agenda.skills.get(goal_id, ())])
    if form.validate_on_submit():
        try:
            sessions.review_goal(current_user, session, goal_id, form.note.data,
                                 form.agree.data, form.level.data, form.skill_id.data,
                                 form.comment.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("supervision.session", session_id=session.id)
                            + f"#goal-{goal_id}")
    return _render(session.id, 422, **{f"review_{goal_id}": form})


@bp.route("/sessions/<int:session_id>/actions", methods=["POST"])
def action_add(session_id: int):
    """Record an agreed action: an activity on the report's plan, or your task."""
    session = led_session(session_id)
    form = ActionForm()
    goals = _agenda(session).goals
    form.goal_id.choices = choices_of([("", "")] + [(str(g.id), "") for g in goals])
    if form.validate_on_submit():
        try:
            sessions.add_action(current_user, session, form.text.data, form.owner.data,
                                form.due_on.data, form.goal_id.data,
                                request.form.get("kind", "on_the_job"))
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Action recorded."), "success")
            return redirect(url_for("supervision.session", session_id=session.id) + "#actions")
    return _render(session.id, 422, action_form=form)


@bp.route("/sessions/<int:session_id>/actions/<int:action_id>", methods=["POST"])
def action_toggle(session_id: int, action_id: int):
    """Tick off one of your own tasks."""
    session = led_session(session_id)
    action = queries.agreed_action(action_id)
    if action is None or action.session_id != session.id or action.owner != "supervisor":
        abort(404)
    if EmptyForm().validate_on_submit():
        sessions.complete_task(current_user, action)
    return redirect(url_for("supervision.session", session_id=session.id) + "#actions")


@bp.route("/sessions/<int:session_id>/notes", methods=["POST"])
def notes(session_id: int):
    """Save the notes; a stale save answers 409 with the text kept."""
    session = led_session(session_id)
    form = NotesForm()
    if form.validate_on_submit():
        try:
            sessions.save_notes(current_user, session, form.shared_notes.data,
                                form.private_notes.data, form.version.data or 0)
        except StaleEdit:
            form.form_errors.append(_("These notes were saved elsewhere since you opened the "
                                      "page. Your text is below: check it and save again."))
            form.version.data = session.version
            return _render(session.id, 409, notes_form=form)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Notes saved."), "success")
            return redirect(url_for("supervision.session", session_id=session.id) + "#notes")
    return _render(session.id, 422, notes_form=form)


@bp.route("/sessions/<int:session_id>/held", methods=["POST"])
def held(session_id: int):
    """Mark the session held on a date (not in the future)."""
    session = led_session(session_id)
    form = HeldForm(planned_on=sessions.planned_day(current_user, session))
    if form.validate_on_submit():
        try:
            sessions.mark_held(current_user, session, form.held_on.data, form.early.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Session marked as held. Points not covered move to the next one."),
                  "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return _render(session.id, 422, held_form=form)


@bp.route("/sessions/<int:session_id>/missed", methods=["POST"])
def missed(session_id: int):
    """Mark the session missed, with a reason."""
    session = led_session(session_id)
    form = MissedForm()
    if form.validate_on_submit():
        try:
            sessions.mark_missed(current_user, session, form.reason.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Session marked as missed."), "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return _render(session.id, 422, missed_form=form)


@bp.route("/sessions/<int:session_id>/print")
def session_print(session_id: int):
    """A one-page session sheet for a field supervision visit (no private notes)."""
    page = _page(session_id)
    return render_template("supervision/session_print.html", session=page.session,
                           items=page.items, actions=page.actions,
                           agenda=queries.agenda_for(current_user, page.session),
                           today=today_for(current_user))
