"""Attempt limits per client address and per account, counted in the database.

Every worker and host shares the counters: each attempt is one atomic upsert that adds 1
to the row of the current fixed window and returns the new count. Rows expire with their
window and are deleted when a new window starts.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from math import ceil

from flask import current_app
from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite

from pdplanner.accounts.models import Throttle
from pdplanner.errors import Throttled
from pdplanner.extensions import db
from pdplanner.types import utcnow

_TABLE = Throttle.__table__


def _insert():
    """Return the dialect's INSERT, which knows ON CONFLICT."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(_TABLE)


def _key(limit: str, who: str, window: int) -> str:
    """Name a counter without storing the address or the e-mail address in clear."""
    digest = hashlib.sha256(f"{limit}\0{who}".encode()).hexdigest()[:40]
    return f"{digest}:{window}"


def _increment(key: str, expires_at: datetime) -> int:
    """Add one attempt to a counter in one statement and return the new count."""
    statement = _insert().values(key=key, hits=1, expires_at=expires_at)
    statement = statement.on_conflict_do_update(
        index_elements=[_TABLE.c.key], set_={"hits": _TABLE.c.hits + 1})
    return db.session.execute(statement.returning(_TABLE.c.hits)).scalar_one()


def attempt(*checks: tuple[str, str | None], now: datetime | None = None) -> list[str]:
    """Count one attempt for each (limit setting, who); raise Throttled if any is over.

    Refused attempts count too, so an attacker who keeps trying stays refused until the
    window ends. Returns the counters' keys, for `refund`.
    """
    now = now or utcnow()
    keys, wait = [], 0
    for setting, who in checks:
        if not who:
            continue
        allowed, seconds = current_app.config[setting]
        window = int(now.timestamp()) // seconds
        ends = datetime.fromtimestamp((window + 1) * seconds, UTC)
        key = _key(setting, who.lower(), window)
        hits = _increment(key, ends)
        if hits == 1:  # a new window: forget the ones that ended
            db.session.execute(delete(_TABLE).where(_TABLE.c.expires_at < now))
        keys.append(key)
        if hits > allowed:
            wait = max(wait, ceil((ends - now).total_seconds()), 1)
    db.session.commit()
    if wait:
        raise Throttled(wait)
    return keys


def refund(keys: list[str]) -> None:
    """Give back an attempt that succeeded, so people who sign in never use the limit up."""
    if keys:
        db.session.execute(update(_TABLE).where(_TABLE.c.key.in_(keys), _TABLE.c.hits > 0)
                           .values(hits=_TABLE.c.hits - 1))
        db.session.commit()
