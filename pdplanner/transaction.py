"""One transaction per use case: a service commits once when it succeeds, rolls back when not."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError

from pdplanner.errors import StaleEdit
from pdplanner.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

#: How many use cases are running in this context: only the outermost one commits.
_depth: ContextVar[int] = ContextVar("use_case_depth", default=0)


def commit() -> None:
    """Commit; a versioned record someone saved meanwhile becomes StaleEdit (409)."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit() from None


def use_case(func: Callable[P, R]) -> Callable[P, R]:
    """Make a service function one transaction: commit on return, roll back on any error
    (a RuleViolation, a stale edit, a crash); a use case called by another joins it."""

    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        depth = _depth.get()
        reset = _depth.set(depth + 1)
        try:
            result = func(*args, **kwargs)
            if depth == 0:
                commit()
            return result
        except BaseException:
            if depth == 0:
                db.session.rollback()
            raise
        finally:
            _depth.reset(reset)

    return run


def database_answers() -> bool:
    """Tell whether the database answers a trivial query (the health check)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        return False
    return True
