"""Pages of My team's branches kept per process, under the people stamp they were read with.

Only who is on a page is kept (id, name, supervisor's name, depth) and the branch's size,
never their figures (kept per person under figures stamps: supervision/kept_figures.py); an
entry is used only when the people stamp read again is the one it was kept under, and the
first page read under another stamp drops every entry. At most `ENTRIES` pages are kept, the
least recently used going first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import NamedTuple

from flask import current_app

#: Where each app keeps its pages (one per app, so one per worker process).
EXTENSION = "pdplanner.supervision.branch_pages"
#: Pages kept per process: 50 people each, a few kilobytes.
ENTRIES = 500


class Person(NamedTuple):
    """Someone on a kept page of a branch."""

    id: int
    name: str
    via: str | None
    depth: int


class BranchPages:
    """A bounded least-recently-used map of branch pages, for one people stamp at a time."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self.max_entries = entries
        self.stamp: int | None = None
        self._entries: OrderedDict[Hashable, tuple[list[Person], int]] = OrderedDict()
        self._lock = threading.Lock()  # a threaded server shares the map between requests

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> tuple[int, list[Person], int] | None:
        """Return (stamp, people, branch size) kept for `key`, or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return (self.stamp, *found)

    def put(self, stamp: int, key: Hashable, page: tuple[list[Person], int]) -> None:
        """Keep a page read under `stamp`, dropping other stamps' pages and the oldest."""
        with self._lock:
            if stamp != self.stamp:
                self._entries.clear()
                self.stamp = stamp
            self._entries[key] = page
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def branch_pages() -> BranchPages:
    """Return the current app's kept pages."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions.get(EXTENSION) or app.extensions.setdefault(EXTENSION, BranchPages())
