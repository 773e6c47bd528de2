"""Signals one room sends and another listens to, so imports keep running one way."""

from blinker import Namespace

_signals = Namespace()

#: Sent (sender=the person) inside the transaction that changed their supervisor,
#: with old_id and new_id; listeners add their changes to the same transaction.
supervisor_changed = _signals.signal("supervisor-changed")

#: Sent (sender=a subject reference such as "occurrence:12" or "session:5") inside the
#: transaction that settled it: resolved, moved, cancelled or deleted. Reminders about it
#: that are still unread are marked read in the same transaction.
subject_settled = _signals.signal("subject-settled")

#: Sent (sender=the merged topic's id) inside the transaction that folded a proposed topic
#: into a catalogue skill, with into_id; rooms that point at skills re-point in it.
skill_merged = _signals.signal("skill-merged")

#: Sent (sender=the actor, or None) when HR asks to invite people (a list, all active):
#: whoever owns sign-in e-mails them a link to choose their password.
invitations_wanted = _signals.signal("invitations-wanted")
