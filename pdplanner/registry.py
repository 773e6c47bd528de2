"""Import every room's models so the metadata (and migrations) see all tables."""

from pdplanner import audit, idempotency  # noqa: F401
from pdplanner.accounts import models as accounts_models  # noqa: F401
from pdplanner.accounts import people_stamp as accounts_people_stamp  # noqa: F401  (triggers)
from pdplanner.catalog import models as catalog_models  # noqa: F401
from pdplanner.exchanges import models as exchanges_models  # noqa: F401
from pdplanner.exchanges import search as exchanges_search  # noqa: F401  (FTS table events)
from pdplanner.insights import models as insights_models  # noqa: F401
from pdplanner.learning import models as learning_models  # noqa: F401
from pdplanner.reminders import models as reminders_models  # noqa: F401
from pdplanner.supervision import figures_stamp as supervision_figures_stamp  # noqa: F401
from pdplanner.supervision import models as supervision_models  # noqa: F401
