"""The bare page for bench/load.py: Flask + Flask-SQLAlchemy + Jinja reading 50 people.

Served by gunicorn (`bare_app:app`, from bench/) on the same DATABASE_URL as pdplanner, so
the ratio charges pdplanner only for what it adds to reading a database and rendering a page.
"""

from __future__ import annotations

import os

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from run import BASELINE_TEMPLATE  # bench/run.py's bare template: a table in a small page
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the bare app."""


db = SQLAlchemy(model_class=Base)


class Person(db.Model):
    """pdplanner's user_account table, only the columns the page shows."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    email: Mapped[str]


app = Flask("bare")
app.config.update(SQLALCHEMY_DATABASE_URI=os.environ["DATABASE_URL"],
                  SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True})
app.jinja_loader = DictLoader({"page.html": BASELINE_TEMPLATE})
db.init_app(app)
NAV = ["home", "people", "values", "settings", "profile"]


@app.route("/")
def page():
    """Fifty people from the database in a table."""
    people = db.session.scalars(select(Person).order_by(Person.id).limit(50)).all()
    rows = [{"name": p.name, "email": p.email, "team": "", "level": ""} for p in people]
    return render_template("page.html", title="People", rows=rows, nav=NAV)


@app.route("/health")
def health():
    """Answer the bench's readiness probe."""
    return "ok"
