"""Exchange pages: list, record, lessons, share-back, follow-up; the lessons library."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner.accounts import policy
from pdplanner.accounts import queries as people_queries
from pdplanner.accounts.queries import today_for
from pdplanner.catalog import queries as catalog_queries
from pdplanner.errors import PermissionDenied, RuleViolation, apply_violation
from pdplanner.exchanges import adoption, queries, services
from pdplanner.exchanges.forms import (
    ExchangeForm,
    FollowUpForm,
    LessonForm,
    OutcomeForm,
    PartnerForm,
    ShareBackForm,
)
from pdplanner.exchanges.models import EXCHANGE_KINDS, Exchange
from pdplanner.forms import choices_of, status_code
from pdplanner.inputs import parse_int, query_int
from pdplanner.learning import queries as learning_queries
from pdplanner.learning.forms import GoalForm
from pdplanner.learning.goals import GoalData

bp = Blueprint("exchanges", __name__)


def _exchange(exchange_id: int, edit: bool = False):
    """Return a live exchange (404), checking who may edit it when asked (403)."""
    exchange = queries.exchange(exchange_id)
    if exchange is None:
        abort(404)
    if edit and not services.may_edit(current_user, exchange):
        abort(403)
    return exchange


def _exchange_form(exchange=None) -> ExchangeForm:
    form = ExchangeForm(obj=exchange if request.method == "GET" else None)
    lang = str(get_locale() or "en")
    form.partner_ids.choices = choices_of([(p.id, p.name) for p in queries.partners()])
    form.skill_ids.choices = choices_of([(s.id, s.name_for(lang))
                                         for s in catalog_queries.catalogue_skills()])
    if request.method == "GET" and exchange is not None:
        form.partner_ids.data = [p.id for p in exchange.partners]
        form.skill_ids.data = [s.id for s in exchange.skills]
        form.staff_emails.data = "\n".join(p.user.email for p in exchange.participants if p.user)
        form.externals.data = "\n".join(f"{p.external_name}, {p.external_org}"
                                        for p in exchange.participants if not p.user_id)
    return form


def _data(form) -> services.ExchangeData:
    return services.ExchangeData(
        title=form.title.data, kind=form.kind.data, starts_on=form.starts_on.data,
        ends_on=form.ends_on.data, partner_ids=form.partner_ids.data or [],
        skill_ids=form.skill_ids.data or [], staff_emails=form.staff_emails.data or "",
        externals=form.externals.data or "")


@bp.route("/exchanges")
def exchanges():
    """Exchanges, newest first; for HR, share-backs overdue and done."""
    today = today_for(current_user)
    return render_template("exchanges/list.html", exchanges=queries.exchanges(), today=today,
                           share_backs=queries.share_backs(today)
                           if policy.is_hr(current_user) else None)


def _save(form, exchange: Exchange | None, done: str) -> Exchange | None:
    """Save a new or corrected exchange and say `done`; None when a rule refused the input."""
    try:
        saved = services.save_exchange(current_user, exchange, _data(form))
    except RuleViolation as error:
        apply_violation(form, error)
        return None
    flash(done, "success")
    return saved


@bp.route("/exchanges/new", methods=["GET", "POST"])
def exchange_new():
    """Record a learning exchange."""
    form = _exchange_form()
    if form.validate_on_submit() and (exchange := _save(
            form, None, _("Exchange recorded. Add its lessons, then share them back."))):
        return redirect(url_for("exchanges.exchange", exchange_id=exchange.id))
    return render_template("exchanges/form.html", form=form, exchange=None), status_code(form)


@bp.route("/exchanges/<int:exchange_id>/edit", methods=["GET", "POST"])
def exchange_edit(exchange_id: int):
    """Correct an exchange (its creator, participants and HR)."""
    exchange = _exchange(exchange_id, edit=True)
    form = _exchange_form(exchange)
    if form.validate_on_submit() and _save(form, exchange, _("Saved.")):
        return redirect(url_for("exchanges.exchange", exchange_id=exchange.id))
    return render_template("exchanges/form.html", form=form, exchange=exchange), status_code(form)


def _lesson_form() -> LessonForm:
    form = LessonForm()
    form.team_id.choices = choices_of([("", _("— none —"))] + [
        (str(team_id), name)
        for team_id, name in people_queries.team_names(str(get_locale() or "en"))])
    return form


@bp.route("/exchanges/<int:exchange_id>", methods=["GET", "POST"])
def exchange(exchange_id: int):
    """An exchange: who took part, its lessons, the share-back and the follow-up."""
    exchange = _exchange(exchange_id)
    lesson_form, follow_form = _lesson_form(), FollowUpForm()
    share_form = ShareBackForm(exchange_starts_on=exchange.starts_on)
    action = request.form.get("form")
    if request.method == "POST":
        try:
            if action == "lesson" and lesson_form.validate_on_submit():
                fields = services.LessonData.__annotations__
                services.add_lesson(current_user, exchange, services.LessonData(
                    **{name: getattr(lesson_form, name).data for name in fields}))
                flash(_("Lesson added."), "success")
                return redirect(url_for("exchanges.exchange", exchange_id=exchange.id))
            if action == "share_back" and share_form.validate_on_submit():
                services.record_share_back(current_user, exchange, share_form.kind.data,
                                           share_form.done_on.data, share_form.attendees.data,
                                           share_form.note.data)
                flash(_("Share-back recorded."), "success")
                return redirect(url_for("exchanges.exchange", exchange_id=exchange.id))
            if action == "follow_up" and follow_form.validate_on_submit():
                services.answer_follow_up(current_user, exchange, follow_form.after_days.data,
                                          follow_form.applied.data == "yes",
                                          follow_form.note.data)
                flash(_("Thank you: your answer is kept with the exchange."), "success")
                return redirect(url_for("exchanges.exchange", exchange_id=exchange.id))
        except PermissionDenied:
            abort(403)
        except RuleViolation as error:
            target = {"lesson": lesson_form, "share_back": share_form}.get(action, follow_form)
            apply_violation(target, error)
    if request.method == "GET":
        share_form.done_on.data = today_for(current_user)
    forms = {"lesson_form": lesson_form, "share_form": share_form, "follow_form": follow_form}
    status = 422 if any(f.errors or f.form_errors for f in forms.values()) else 200
    return render_template(
        "exchanges/detail.html", exchange=exchange, today=today_for(current_user),
        may_edit=services.may_edit(current_user, exchange),
        participant=any(p.user_id == current_user.id for p in exchange.participants),
        answers=queries.answers_visible_to(current_user, exchange), **forms), status


@bp.route("/lessons")
def library():
    """Search every lesson, in English and French, accents folded; filter; newest first."""
    args = request.args
    page = queries.library(args.get("q", "")[:200], query_int("skill"), query_int("team"),
                           query_int("partner"),
                           args.get("kind") if args.get("kind") in EXCHANGE_KINDS else None,
                           query_int("page", 1, minimum=1))
    skills, teams, partners = queries.filter_names(str(get_locale() or "en"))
    return render_template("exchanges/library.html", page=page, args=args, skills=skills,
                           teams=teams, partners=partners)


@bp.route("/lessons/<int:lesson_id>", methods=["GET", "POST"])
def lesson(lesson_id: int):
    """A lesson, who adopted it, and whether it worked for them."""
    lesson = queries.lesson(lesson_id) or abort(404)
    form = OutcomeForm()
    if request.method == "POST" and form.validate_on_submit():
        adoption = queries.adoption(parse_int(request.form.get("adoption_id")) or 0)
        if adoption is None or adoption.lesson_id != lesson.id:
            abort(404)
        try:
            services.record_outcome(current_user, adoption, form.worked.data == "yes",
                                    form.note.data)
        except PermissionDenied:
            abort(403)
        flash(_("Saved."), "success")
        return redirect(url_for("exchanges.lesson", lesson_id=lesson.id))
    return render_template("exchanges/lesson.html", lesson=lesson, form=form,
                           answers=queries.answers_visible_to(current_user, lesson.exchange)
                           ), status_code(form)


@bp.route("/lessons/<int:lesson_id>/adopt", methods=["GET", "POST"])
def adopt(lesson_id: int):
    """Make the lesson's idea one of your goals: the new-goal form, prefilled from the lesson
    and its exchange (the link is kept)."""
    lesson = queries.lesson(lesson_id) or abort(404)
    if (done := adoption.adoption_of(current_user, lesson)) is not None:
        return redirect(url_for("learning.goal", goal_id=done.goal_id))
    form = GoalForm(data=adoption.prefill(lesson) if request.method == "GET" else None)
    lang = str(get_locale() or "en")
    form.skill_ids.choices = choices_of(
        [(s.id, s.name_for(lang)) for s in learning_queries.skills_for(current_user)])
    form.alignment_ids.choices = choices_of(
        [(a.id, a.name_for(lang)) for a in catalog_queries.alignments()])
    if form.validate_on_submit():
        try:
            done = adoption.adopt_as_goal(current_user, lesson, GoalData(
                title=form.title.data, why=form.why.data, success=form.success.data,
                target_date=form.target_date.data, skill_ids=list(form.skill_ids.data or []),
                alignment_ids=list(form.alignment_ids.data or []),
                personal_interest=bool(form.personal_interest.data),
                visibility=form.visibility.data or "private",
                new_topic=form.new_topic.data or ""), start=request.form.get("start") == "1")
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("The idea is now one of your goals: plan when and how you will try it."),
                  "success")
            return redirect(url_for("learning.goal", goal_id=done.goal_id))
    return render_template("learning/goal_form.html", form=form, goal=None,
                           lesson=lesson), status_code(form)


@bp.route("/exchanges/partners", methods=["GET", "POST"])
def partners():
    """The list of partner organisations (HR keeps it)."""
    form = PartnerForm()
    if form.validate_on_submit():
        try:
            services.add_partner(current_user, form.name.data)
        except RuleViolation as error:
            apply_violation(form, error)
        else:
            flash(_("Partner added."), "success")
            return redirect(url_for("exchanges.partners"))
    return render_template("exchanges/partners.html", form=form,
                           partners=queries.partners()), status_code(form)
