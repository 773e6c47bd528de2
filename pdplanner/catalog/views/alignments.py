"""HR's pages for core values and strategic priorities."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner.catalog import queries, services
from pdplanner.catalog.forms import AlignmentForm
from pdplanner.catalog.models import Alignment
from pdplanner.catalog.views.blueprint import bp
from pdplanner.errors import RuleViolation, apply_violation
from pdplanner.forms import EmptyForm, status_code


def _save(form: AlignmentForm, item: Alignment | None) -> bool:
    """Save a value or priority from its form; return True on success."""
    try:
        services.save_alignment(current_user, item, form.kind.data, form.name_en.data,
                                form.name_fr.data, form.description_en.data,
                                form.description_fr.data)
    except RuleViolation as error:
        apply_violation(form, error)
        return False
    flash(_("Saved."), "success")
    return True


@bp.route("/values", methods=["GET", "POST"])
def alignments():
    """List core values and strategic priorities and add one."""
    form = AlignmentForm()
    if form.validate_on_submit() and _save(form, None):
        return redirect(url_for("catalog.alignments"))
    return render_template("catalog/alignments.html", form=form,
                           items=queries.alignments(include_archived=True),
                           action_form=EmptyForm()), status_code(form)


@bp.route("/values/<int:item_id>", methods=["GET", "POST"])
def alignment_edit(item_id: int):
    """Edit a core value or strategic priority."""
    item = queries.alignment(item_id) or abort(404)
    form = AlignmentForm(obj=item if request.method == "GET" else None)
    if form.validate_on_submit() and _save(form, item):
        return redirect(url_for("catalog.alignments"))
    return render_template("catalog/alignment_form.html", form=form, item=item), (
        status_code(form))


@bp.route("/values/<int:item_id>/archive", methods=["POST"])
def alignment_archive(item_id: int):
    """Archive or restore a value or priority."""
    item = queries.alignment(item_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.set_archived(current_user, item, not item.archived)
    return redirect(url_for("catalog.alignments"))
