"""The dashboard as rendered for each scope, kept until the snapshot is rebuilt.

Between two rebuilds of the snapshot its figures cannot change, so each process (each
gunicorn worker) keeps what it rendered for a scope — who may see it, the filters, the
viewer's day and language — under the snapshot's identity, which every request reads with
one statement. Entries are served only to a request that read the same identity; the first
request that reads another one drops them all, so a rebuilt snapshot shows at once in every
process and old figures never pile up. At most `entries` renderings and `chars` characters
are kept, the least recently used going first: memory stays bounded whatever people ask.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app

#: Where each app keeps its cache (one per app, so one per worker process).
EXTENSION = "pdplanner.insights.cache"


class FigureCache:
    """A bounded least-recently-used map of renderings, for one snapshot identity at a time."""

    def __init__(self, entries: int, chars: int) -> None:
        self.max_entries, self.max_chars = entries, chars
        self.identity: Hashable | None = None
        self.chars = 0
        self._entries: OrderedDict[Hashable, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()  # a threaded server shares the map between requests

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, identity: Hashable, key: Hashable) -> tuple[str, ...] | None:
        """Return what was kept for `key` under this snapshot identity, or None."""
        with self._lock:
            if identity != self.identity:
                return None
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, identity: Hashable, key: Hashable, parts: tuple[str, ...]) -> None:
        """Keep `parts` for `key`, dropping another snapshot's entries and the oldest ones."""
        size = sum(len(part) for part in parts)
        with self._lock:
            if identity != self.identity:
                self._entries.clear()
                self.identity, self.chars = identity, 0
            if size > self.max_chars or self.max_entries < 1:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self.chars -= sum(len(part) for part in old)
            self._entries[key] = parts
            self.chars += size
            while len(self._entries) > self.max_entries or self.chars > self.max_chars:
                _key, dropped = self._entries.popitem(last=False)
                self.chars -= sum(len(part) for part in dropped)

    def get_or_make(self, identity: Hashable, key: Hashable,
                    make: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
        """Return the kept parts for `key`, making and keeping them on a miss."""
        found = self.get(identity, key)
        if found is None:
            found = make()
            self.put(identity, key, found)
        return found


def figure_cache() -> FigureCache:
    """Return the current app's cache, sized by its configuration on first use."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = app.extensions.get(EXTENSION)
    if cache is None:
        cache = app.extensions.setdefault(EXTENSION, FigureCache(
            app.config["INSIGHTS_CACHE_ENTRIES"], app.config["INSIGHTS_CACHE_CHARS"]))
    return cache
