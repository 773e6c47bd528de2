"""One transaction per use case: all of it lands, or none of it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pdplanner import audit
from pdplanner.audit import AuditEvent
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db
from pdplanner.transaction import use_case


def _events(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_a_use_case_that_returns_is_committed(app):
    """What a use case wrote is there for the next request."""

    @use_case
    def write():
        audit.record(None, "test.write", "thing:1")

    with app.app_context():
        write()
    assert _events(app) == 1


def test_a_rule_violation_after_a_write_leaves_nothing_half_written(app):
    """A write flushed before the rule refused the input is rolled back with it."""

    @use_case
    def write_then_refuse():
        audit.record(None, "test.write", "thing:1")
        db.session.flush()
        raise RuleViolation("title", "no")

    with app.app_context():
        with pytest.raises(RuleViolation):
            write_then_refuse()
        assert not db.session.new and not db.session.dirty
    assert _events(app) == 0


def test_a_use_case_called_by_another_joins_its_transaction(app):
    """The inner use case does not commit: the outer one's failure takes both back."""

    @use_case
    def inner():
        audit.record(None, "test.inner", "thing:1")

    @use_case
    def outer():
        inner()
        raise RuleViolation(None, "no")

    with app.app_context():
        with pytest.raises(RuleViolation):
            outer()
    assert _events(app) == 0
