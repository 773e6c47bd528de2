"""My team's figures kept per process, per person, under the figures stamp they were read with.

An entry holds what My team counted for one person on one day (goals, dates, sessions) and
is used only while the person's stamp is still the one it was read with
(supervision/figures_stamp.py) and until the person's next coming session starts: the
figures depend on the day and the instant too. At most `ENTRIES` people are kept, the least
recently used going first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, datetime
from typing import NamedTuple

from flask import current_app

#: Where each app keeps its figures (one per app, so one per worker process).
EXTENSION = "pdplanner.supervision.kept_figures"
#: People kept per process: a few hundred bytes each, a few megabytes in all.
ENTRIES = 10_000


class Figures(NamedTuple):
    """One person's figures on My team, as counted."""

    active: int
    done: int
    missed: int
    open_dates: int
    last_held: date | None
    #: Their next coming session: the figures hold until it starts.
    coming: datetime | None
    open_sessions: int


class KeptFigures:
    """A bounded least-recently-used map of (person, day) to (stamp, figures)."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self.max_entries = entries
        self._entries: OrderedDict[tuple[int, date], tuple[int, Figures]] = OrderedDict()
        self._lock = threading.Lock()  # a threaded server shares the map between requests

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, person_id: int, today: date, stamp: int, now: datetime) -> Figures | None:
        """Return the person's figures kept for `today` under `stamp`, unless their next
        session has started by `now`."""
        with self._lock:
            found = self._entries.get((person_id, today))
            if found is None or found[0] != stamp:
                return None
            figures = found[1]
            if figures.coming is not None and figures.coming <= now:
                del self._entries[(person_id, today)]
                return None
            self._entries.move_to_end((person_id, today))
            return figures

    def put(self, person_id: int, today: date, stamp: int, figures: Figures) -> None:
        """Keep figures read under `stamp`, dropping the oldest beyond the bound."""
        with self._lock:
            self._entries[(person_id, today)] = (stamp, figures)
            self._entries.move_to_end((person_id, today))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def kept_figures() -> KeptFigures:
    """Return the current app's kept figures."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions.get(EXTENSION) or app.extensions.setdefault(EXTENSION, KeptFigures())
