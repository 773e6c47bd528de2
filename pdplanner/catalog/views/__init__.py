"""HR's catalog pages: core values and priorities, skill areas and skills, proposed topics."""

from pdplanner.catalog.views import alignments, skills  # noqa: F401  (their routes)
from pdplanner.catalog.views.blueprint import bp

__all__ = ["bp"]
