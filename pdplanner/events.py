"""Signals one room sends and another listens to, so imports keep running one way."""

from blinker import Namespace

_signals = Namespace()

#: Sent (sender=the person) inside the transaction that changed their supervisor,
#: with old_id and new_id; listeners add their changes to the same transaction.
supervisor_changed = _signals.signal("supervisor-changed")
