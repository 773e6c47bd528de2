"""A page of a list whose rows and total were read together (one statement, no count query)."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil


@dataclass
class Page:
    """What the pager macro reads: the rows shown, the page number, and the list's size."""

    page: int
    per_page: int
    total: int
    items: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Return the number of pages (0 for an empty list)."""
        return ceil(self.total / self.per_page) if self.per_page else 0

    @property
    def has_prev(self) -> bool:
        """Tell whether a page comes before this one."""
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        """Return the previous page's number, if any."""
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        """Tell whether a page comes after this one."""
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        """Return the next page's number, if any."""
        return self.page + 1 if self.has_next else None

    def __iter__(self):
        return iter(self.items)
