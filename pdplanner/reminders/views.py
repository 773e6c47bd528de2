"""Notifications, reminder preferences, the calendar feed, and the admin's outbox."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from pdplanner.accounts.phones import channel_choices
from pdplanner.accounts.queries import organisation, timezone_of
from pdplanner.errors import RuleViolation
from pdplanner.extensions import csrf
from pdplanner.forms import EmptyForm
from pdplanner.reminders import ical, queries, replies, services, sms
from pdplanner.reminders.kinds import is_secret, swept
from pdplanner.reminders.models import Channel, OutboxStatus
from pdplanner.reminders.outbox import send_soon
from pdplanner.reminders.planner import kind_channels, preferences, wants
from pdplanner.reminders.render import notification_texts, render_defaults, render_outbox
from pdplanner.reminders.texting import month_start, text_preview
from pdplanner.security import safe_next
from pdplanner.types import utcnow

bp = Blueprint("reminders", __name__)


@bp.route("/notifications")
def notifications():
    """The notification centre: newest first, unread marked."""
    defaults = render_defaults()  # the organisation's language and zone, read once
    notices = queries.notifications(current_user)
    items = list(zip(notices, notification_texts(notices, current_user, defaults), strict=True))
    return render_template("reminders/notifications.html", items=items)


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
def notification_open(notification_id: int):
    """Mark a notification read and go where it leads."""
    notice = queries.notification_of(current_user, notification_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.mark_read(current_user, notice.id)
    return redirect(safe_next(notice.link) or url_for("main.index"))


@bp.route("/notifications/read", methods=["POST"])
def notifications_read():
    """Mark every notification read."""
    if EmptyForm().validate_on_submit():
        services.mark_read(current_user)
        flash(_("All notifications marked as read."), "success")
    return redirect(url_for("reminders.notifications"))


@bp.route("/profile/reminders", methods=["GET", "POST"])
def preferences_page():
    """Choose which reminders to get, and manage the calendar feed."""
    error = None
    if request.method == "POST" and EmptyForm().validate_on_submit():
        names = {kind.name for kind in swept()}
        channels = {name: request.form.get(f"channel-{name}", "") for name in names}
        try:
            services.save_preferences(current_user, set(request.form.getlist("kinds")) & names,
                                      channels)
        except RuleViolation as violation:
            error = violation.message
        else:
            flash(_("Your reminder choices are saved."), "success")
            return redirect(url_for("reminders.preferences_page"))
    prefs, chosen = preferences(), kind_channels(current_user)
    kinds = [(kind.name, kind.label, wants(prefs, current_user.id, kind.name),
              chosen.get(kind.name, "")) for kind in swept()]
    token = session.pop("new_feed_token", None)
    feed_url = url_for("reminders.calendar", token=token, _external=True) if token else None
    return render_template("reminders/preferences.html", kinds=kinds, feed_url=feed_url,
                           has_feed=queries.has_feed(current_user), error=error,
                           channels=[("", _("As on my profile")), *channel_choices()]), (
        422 if error else 200)


@bp.route("/profile/calendar", methods=["POST"])
def calendar_manage():
    """Create a new secret calendar URL (revoking the old one), or revoke it."""
    if EmptyForm().validate_on_submit():
        if request.form.get("action") == "revoke":
            services.revoke_feed(current_user)
            flash(_("Your calendar address no longer works."), "success")
        else:
            # Shown once, on the next page; only its hash is stored.
            session["new_feed_token"] = services.new_feed(current_user)
    return redirect(url_for("reminders.preferences_page") + "#calendar")


@bp.route("/calendar/<token>.ics")
def calendar(token: str):
    """The person's calendar feed (the secret token is the key; revoked answers 404)."""
    user = services.feed_owner(token)
    if user is None:
        abort(404)
    body = ical.build(queries.calendar_events(user), f"pdplanner — {user.name}",
                      timezone_of(user))
    return Response(body, mimetype="text/calendar",
                    headers={"Cache-Control": "private, max-age=300"})


@bp.route("/admin/outbox")
def outbox():
    """Pending and dead messages with their errors; requeue; see what would be sent."""
    return render_template("reminders/outbox.html", counts=queries.outbox_counts(),
                           waiting=queries.outbox((OutboxStatus.PENDING, OutboxStatus.SENDING)),
                           dead=queries.outbox((OutboxStatus.DEAD,)),
                           sent=queries.outbox((OutboxStatus.SENT, OutboxStatus.SKIPPED),
                                               limit=50))


@bp.route("/admin/outbox/<int:message_id>")
def outbox_message(message_id: int):
    """One message as it was (or would be) sent; reset links are never shown."""
    message = queries.outbox_message(message_id) or abort(404)
    rendered = None
    if not is_secret(message.kind):
        user = queries.recipient(message)
        if user and not message.text:
            rendered = (text_preview(message, user) if message.channel == Channel.SMS
                        else render_outbox(message, user))
    return render_template("reminders/outbox_message.html", message=message,
                           rendered=rendered)


@bp.route("/admin/outbox/<int:message_id>/requeue", methods=["POST"])
def outbox_requeue(message_id: int):
    """Try a dead or stuck message again."""
    message = queries.outbox_message(message_id) or abort(404)
    if EmptyForm().validate_on_submit():
        if services.requeue(current_user, message):
            flash(_("Queued again."), "success")
        else:
            flash(_("This message is being sent right now; look again in a few minutes."),
                  "error")
    return redirect(url_for("reminders.outbox"))


@bp.route("/r/<int:notification_id>")
def short_link(notification_id: int):
    """A text's short link: the person's own notice, opened where it leads (else 404)."""
    notice = queries.notification_of(current_user, notification_id) or abort(404)
    return redirect(safe_next(notice.link) or url_for("main.index"))


@bp.route("/sms/webhook", methods=["POST"])
@csrf.exempt
def sms_webhook():
    """Delivery reports and replies from the SMS provider, refused unless signed by it."""
    provider = sms.provider() or abort(404)
    incoming = sms.Incoming(
        url=current_app.config["BASE_URL"].rstrip("/") + request.full_path.rstrip("?"),
        headers=dict(request.headers), body=request.get_data(cache=True),
        form=request.form.to_dict())
    if not provider.verify(incoming):
        current_app.logger.warning("SMS webhook refused: bad or missing signature (from %s)",
                                   request.remote_addr)
        abort(403)
    answers = []
    for event in provider.events(incoming):
        if event.kind == "report":
            replies.record_report(event)
        else:
            _outcome, answer_id = replies.receive(provider.NAME, event)
            answers += [answer_id] if answer_id else []
    if answers:
        send_soon(answers)
    body, content_type = provider.acknowledgement()
    return Response(body, content_type=content_type)


@bp.route("/admin/sms")
def sms_page():
    """Texts this month against the cap, and the latest texts."""
    org = organisation()
    figures = queries.sms_figures(month_start(utcnow(), org.timezone or "UTC"))
    return render_template("reminders/sms.html", figures=figures, cap=org.sms_monthly_cap,
                           provider=sms.provider_name(), texts=queries.texts())
