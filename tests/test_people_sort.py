"""The people list sorts on user_account.sort_name, the name lower-cased by the database on
every write, and reads its first page in order from an index."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from pdplanner.accounts import people_list
from pdplanner.accounts.models import User
from pdplanner.extensions import db


def _names(app, hr_id: int) -> list[str]:
    with app.app_context():
        page = people_list.people_page(db.session.get(User, hr_id), per_page=10)
        return [p.name for p in page.items]


def test_people_sort_by_name_whatever_its_case(app, hr, make_user):
    """Lower and upper case sort together, as lower(name) sorted them."""
    make_user(name="bakary Sow")
    make_user(name="Awa Diallo")
    make_user(name="CHEICK Traoré")
    assert _names(app, hr.id) == ["Awa Diallo", "bakary Sow", "CHEICK Traoré", "Hawa HR"]


def test_a_renamed_person_moves_in_the_people_list(app, hr, make_user):
    """The sort key follows a name changed by the ORM or by a bulk statement at once."""
    first, second = make_user(name="Zoé Last"), make_user(name="Yacouba Later")
    with app.app_context():
        db.session.get(User, first.id).name = "aaron First"
        db.session.execute(update(User).where(User.id == second.id).values(name="Ba Second"))
        db.session.commit()
    assert _names(app, hr.id) == ["aaron First", "Ba Second", "Hawa HR"]


def test_people_list_reads_its_first_page_in_order_from_the_sort_index(app, hr):
    """SQLite walks ix_user_account_active_sort_name instead of sorting every match."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the plan checked is SQLite's")
        statement, _size = people_list._statements(True, False, False, False, "active", "en")
        compiled = statement.compile(db.engine)
        params = compiled.construct_params({"per_page": 25, "offset": 0})
        with db.engine.connect() as connection:
            plan = " | ".join(row[-1] for row in connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}",
                tuple(params[name] for name in compiled.positiontup)))
    assert "ix_user_account_active_sort_name" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan.split("| SCAN people_page")[0], plan
