"""Benchmark the insights dashboard on a large generated organisation, against a bare Flask table.

Run from the repository root:

    python bench/insights.py                 # 10,000 people, 500 teams (a few minutes)
    python bench/insights.py --quick         # scale 0.05: a smoke run (about 30 s)
    python bench/insights.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

A deterministic generator fills the database with Core bulk inserts (the database given with
--database-url is emptied first: every pdplanner table is dropped and created again). It
times the snapshot refresh the scheduler runs every 10 minutes (the dashboard reads only that
snapshot), and the swap that replaces it (the only part holding a write lock). The
script signs in as HR through the real form, times GET /insights for the whole organisation
and for one team through the Flask test client, counts the SQL statements of each page at a
small scale and at the chosen one (no N+1: the counts must not move), times each figure of the
dashboard on its own, and renders a table of the same size in a bare Flask app for the ratio.
It exits 0 whether or not the targets are met (1 only when the page itself is broken).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from report import sign_in, table, target  # bench/report.py: the script's own folder is on the path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # config.py and pdplanner/ live at the repository root

#: Sizes at --scale 1.0 (the issue's organisation).
SIZES = {"teams": 500, "users": 10_000, "goals": 200_000, "occurrences": 600_000,
         "sessions": 150_000, "assessments": 100_000}
MINIMUM = {"teams": 2, "users": 40, "goals": 200, "occurrences": 300, "sessions": 100,
           "assessments": 100}
LEVELS = ("Director", "Head of department", "Manager", "Senior staff", "Staff")
AREAS = ("Clinical care", "Quality improvement", "Management", "Community health",
         "Data and reporting", "Teaching", "Communication", "Safety")
CATALOGUE_SKILLS = 45
TOPICS = (("proposed", 5), ("personal", 3), ("merged", 2))  # skills named by staff
ALIGNMENTS = (("value", "Respect"), ("value", "Learning"), ("value", "Integrity"),
              ("value", "Teamwork"), ("priority", "Maternal health"),
              ("priority", "Digital records"), ("priority", "Community outreach"),
              ("priority", "Supervision quality"))
FIRST = ("Aminata", "Moussa", "Fatoumata", "Ibrahim", "Awa", "Oumar", "Mariam", "Seydou",
         "Kadiatou", "Bakary", "Aïssata", "Mamadou", "Salimata", "Boubacar", "Rokia", "Adama")
LAST = ("Diallo", "Traoré", "Coulibaly", "Keïta", "Konaté", "Sissoko", "Diarra", "Touré",
        "Sangaré", "Cissé", "Dembélé", "Maïga", "Sidibé", "Kanté", "Doumbia", "Camara")
HR_EMAIL = "hr.bench@example.org"
HR_PASSWORD = "bench-password-123"  # hashed with the test config's cheap Argon2 parameters
CHUNK = 10_000
TABLE_RE = re.compile(r"<table\b.*?</table>", re.S)
TARGETS = {"whole": 300.0, "team": 50.0}  # ms, median, on SQLite
GENERATION_TARGET = 120.0  # seconds, at scale 1 on SQLite
SWAP_TARGET = 5.0  # seconds: SQLite's busy timeout; a writer waiting longer would fail

BASELINE_TEMPLATE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Baseline table</title></head>
<body>
  <main>
    <h1>Supervision routine</h1>
    <table>
      <thead><tr><th scope="col">Name</th><th scope="col">Team</th><th scope="col">Held</th>
        <th scope="col">Due</th><th scope="col">Median days</th></tr></thead>
      <tbody>
      {% for row in rows %}
        <tr><th scope="row"><a href="/people/{{ row.id }}">{{ row.name }}</a></th>
          <td>{{ row.team }}</td><td>{{ row.held }}</td><td>{{ row.due }}</td>
          <td>{{ row.gap if row.gap is not none else "—" }}</td></tr>
      {% endfor %}
      </tbody>
    </table>
  </main>
</body>
</html>
"""


# --------------------------------------------------------------------------- generator


class Generator:
    """Fill the database with a deterministic organisation, one Core bulk insert per chunk."""

    def __init__(self, scale: float, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.now = datetime.now(UTC)
        self.size = {k: max(MINIMUM[k], round(v * scale)) for k, v in SIZES.items()}
        self.timings: list[tuple[str, int, float]] = []
        #: (session id, goal id, when) of the goal reviews, found while generating sessions.
        self.reviews: list[tuple[int, int, datetime]] = []

    # -- helpers

    def load(self, table, rows) -> None:
        """Insert `rows` (an iterable of dicts) into `table` in chunks, then commit; time it."""
        from sqlalchemy import insert

        from pdplanner.extensions import db

        table = getattr(table, "__table__", table)
        start, count, chunk = time.perf_counter(), 0, []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                db.session.execute(insert(table), chunk)
                count, chunk = count + len(chunk), []
        if chunk:
            db.session.execute(insert(table), chunk)
            count += len(chunk)
        db.session.commit()
        self.timings.append((table.name, count, time.perf_counter() - start))

    def day(self, offset: int) -> date:
        """Return today plus `offset` days."""
        return self.today + timedelta(days=offset)

    def moment(self, offset: int, hour: int | None = None) -> datetime:
        """Return an aware UTC datetime `offset` days from today, at `hour` (random if None)."""
        hour = self.rng.randint(7, 17) if hour is None else hour
        return datetime.combine(self.day(offset), clock(hour, self.rng.choice((0, 15, 30, 45))),
                                tzinfo=UTC)

    # -- the whole organisation

    def run(self) -> None:
        """Generate every table, parents first (foreign keys are enforced on SQLite)."""
        from pdplanner.accounts.models import Level, Organisation, Team, User
        from pdplanner.catalog.models import Alignment, Skill, SkillArea
        from pdplanner.learning.models import (
            Activity,
            Goal,
            Occurrence,
            SkillAssessment,
            goal_alignment,
        )
        from pdplanner.supervision.models import GoalReview, Session

        self.load(Organisation, [{"id": 1, "name": "Bench health NGO", "default_language": "en",
                                  "timezone": "UTC", "default_cadence": "monthly",
                                  "participation_target": 60, "updated_at": self.now}])
        self.load(Level, ({"id": i + 1, "name": name, "rank": i}
                          for i, name in enumerate(LEVELS)))
        self.load(Team, self.teams())
        self.plan_people()
        self.load(User, self.users())
        self.load(SkillArea, ({"id": i + 1, "name_en": name, "name_fr": name, "archived": False,
                               "position": i} for i, name in enumerate(AREAS)))
        self.load(Skill, self.skills())
        self.load(Alignment, ({"id": i + 1, "kind": kind, "name_en": name, "name_fr": name,
                               "archived": False, "position": i, "created_at": self.now}
                              for i, (kind, name) in enumerate(ALIGNMENTS)))
        self.load(Goal, self.goals())
        self.load(goal_alignment, self.goal_alignments())
        self.load(Activity, self.activities())
        self.load(Occurrence, self.occurrences())
        self.load(Session, self.sessions())
        self.load(GoalReview, ({"id": i + 1, "session_id": s, "goal_id": g, "progress_note": "",
                                "agreed": i % 3 == 0, "created_at": at}
                               for i, (s, g, at) in enumerate(self.reviews)))
        self.load(SkillAssessment, self.assessments())

    def teams(self):
        """Teams, with every tenth one a site (some of them partners)."""
        for i in range(1, self.size["teams"] + 1):
            site = i % 10 == 0
            yield {"id": i, "name": f"{'Site' if site else 'Team'} {i:04d}",
                   "kind": "site" if site else "team", "is_partner": site and i % 20 == 0,
                   "description": "", "archived": False}

    def plan_people(self) -> None:
        """Lay out the supervision tree breadth-first: each supervisor has 5 to 10 reports.

        The reports of one supervisor share a team; groups go round the teams in turn, so the
        ~1,300 groups of the full organisation fill 500 teams of about 20 people.
        """
        rng, n, teams = self.rng, self.size["users"], self.size["teams"]
        self.supervisor = [None] * (n + 1)
        self.team = [1] * (n + 1)
        self.level = [1] * (n + 1)
        quota, queue, group_team = {1: rng.randint(5, 10)}, deque([1]), {}
        for uid in range(2, n + 1):
            parent = queue[0]
            if parent not in group_team:
                group_team[parent] = len(group_team) % teams + 1
            self.supervisor[uid] = parent
            self.team[uid] = group_team[parent]
            self.level[uid] = min(self.level[parent] + 1, len(LEVELS))
            quota[parent] -= 1
            if quota[parent] == 0:
                queue.popleft()
            queue.append(uid)
            quota[uid] = rng.randint(5, 10)
        self.hr_id = 2  # the director's first report runs HR
        self.active = [True] * (n + 1)
        for uid in range(3, n + 1):
            self.active[uid] = rng.random() >= 0.03
        #: 90 % of people take part (own goals); the rest show up under "needs attention".
        self.participants = [u for u in range(1, n + 1) if u == 1 or rng.random() < 0.9]

    def users(self):
        """Staff rows; only the HR person can sign in."""
        from pdplanner.security import hash_password

        rng = self.rng
        for uid in range(1, self.size["users"] + 1):
            hr = uid == self.hr_id
            yield {"id": uid, "email": HR_EMAIL if hr else f"person{uid}@example.org",
                   "name": f"{FIRST[uid % len(FIRST)]} {LAST[(uid // 16) % len(LAST)]} {uid}",
                   "password_hash": hash_password(HR_PASSWORD) if hr else None,
                   "is_hr": hr, "is_admin": False, "active": self.active[uid], "language": None,
                   "timezone": None, "supervisor_id": self.supervisor[uid],
                   "team_id": self.team[uid], "level_id": self.level[uid],
                   "session_version": 1, "failed_logins": 0, "locked_until": None,
                   "password_changed_at": None, "last_login_at": None,
                   "created_at": self.moment(-rng.randint(400, 2000), 9), "version": 1}

    def skills(self):
        """The catalogue, then a few topics named by staff."""
        self.catalogue = list(range(1, CATALOGUE_SKILLS + 1))
        for sid in self.catalogue:
            yield {"id": sid, "area_id": (sid - 1) % len(AREAS) + 1, "name_en": f"Skill {sid:02d}",
                   "name_fr": f"Compétence {sid:02d}", "description_en": "",
                   "description_fr": "", "status": "catalogue", "proposed_by_id": None,
                   "merged_into_id": None, "archived": False, "created_at": self.moment(-700, 9),
                   "decided_at": None}
        sid = CATALOGUE_SKILLS
        for status, count in TOPICS:
            for _ in range(count):
                sid += 1
                yield {"id": sid, "area_id": None, "name_en": f"Topic {sid}",
                       "name_fr": f"Sujet {sid}", "description_en": "", "description_fr": "",
                       "status": status, "proposed_by_id": self.rng.choice(self.participants),
                       "merged_into_id": 1 if status == "merged" else None, "archived": False,
                       "created_at": self.moment(-self.rng.randint(1, 300)),
                       "decided_at": None if status == "proposed" else self.now}

    def goals(self):
        """About 20 goals per participant: mostly shared, a realistic spread of statuses."""
        rng, now = self.rng, self.now
        statuses = ("active", "achieved", "draft", "paused", "dropped", "suggested", "declined")
        weights = (40, 20, 10, 6, 8, 10, 6)
        #: Goals that can carry activities (gid, created offset), and shared goals per owner.
        self.working: list[tuple[int, int]] = []
        self.shared: dict[int, list[int]] = defaultdict(list)
        for gid in range(1, self.size["goals"] + 1):
            owner = rng.choice(self.participants)
            status = rng.choices(statuses, weights)[0]
            offset = -rng.randint(0, 540)
            created = self.moment(offset)
            offered = status in ("suggested", "declined")
            chosen = "suggested" if offered or rng.random() < 0.2 else "self"
            visibility = "shared" if offered or rng.random() < 0.85 else "private"
            deleted = rng.random() < 0.03
            supervisor = self.supervisor[owner]
            agreed = status in ("active", "paused", "achieved") and visibility == "shared"
            achieved = created + (now - created) * rng.random() if status == "achieved" else None
            if not deleted and status in ("active", "achieved", "paused", "dropped"):
                self.working.append((gid, offset))
            if not deleted and visibility == "shared" and not offered:
                self.shared[owner].append(gid)
            yield {"id": gid, "owner_id": owner, "title": f"Goal {gid}", "why": "",
                   "success": "", "target_date": self.day(offset + rng.randint(90, 365)),
                   "visibility": visibility, "status": status, "chosen_by": chosen,
                   "suggested_by_id": supervisor if chosen == "suggested" else None,
                   "personal_interest": rng.random() < 0.2, "decline_reason": "",
                   "drop_reason": "",
                   "agreed_at": min(created + timedelta(days=3), now) if agreed else None,
                   "agreed_by_id": supervisor if agreed else None, "achieved_at": achieved,
                   "created_at": created, "updated_at": max(created, achieved or created),
                   "deleted_at": created + (now - created) / 2 if deleted else None,
                   "version": 1}

    def goal_alignments(self):
        """About half the goals serve a value or priority; some serve two."""
        rng = self.rng
        for gid in range(1, self.size["goals"] + 1):
            if rng.random() < 0.55:
                picked = rng.sample(range(1, len(ALIGNMENTS) + 1), 2 if rng.random() < 0.25
                                    else 1)
                for alignment_id in picked:
                    yield {"goal_id": gid, "alignment_id": alignment_id}

    def activities(self):
        """One activity per 1-3 occurrences, until the occurrence total is reached."""
        rng = self.rng
        kinds = ("course", "mentoring", "job_shadowing", "peer_learning", "reading",
                 "workshop", "on_the_job", "qi_meeting")
        steps = {"weekly": 7, "fortnightly": 14, "monthly": 30}
        #: (activity id, first day offset, step in days, number of occurrences)
        self.plan: list[tuple[int, int, int, int]] = []
        left, aid = self.size["occurrences"], 0
        while left > 0:
            aid += 1
            gid, _created = rng.choice(self.working)
            count = min(left, rng.choice((1, 2, 2, 3)))
            left -= count
            recurrence = "none" if count == 1 else rng.choice(tuple(steps))
            step = steps.get(recurrence, 0)
            first = rng.randint(-364, 20)
            self.plan.append((aid, first, step, count))
            yield {"id": aid, "goal_id": gid, "kind": rng.choice(kinds), "title": f"Activity {aid}",
                   "with_whom": "", "starts_on": self.day(first), "start_time": None,
                   "duration_minutes": 60, "recurrence": recurrence,
                   "until": self.day(first + step * (count - 1)) if count > 1 else None,
                   "created_at": self.moment(first - 7),
                   "deleted_at": self.now if rng.random() < 0.02 else None, "version": 1}

    def occurrences(self):
        """Dated occurrences over the last 12 months (and a few weeks ahead)."""
        rng = self.rng
        statuses, weights = ("done", "missed", "cancelled", "planned"), (62, 16, 7, 15)
        oid = 0
        for aid, first, step, count in self.plan:
            for k in range(count):
                oid += 1
                offset = first + k * step
                status = "planned" if offset > 0 else rng.choices(statuses, weights)[0]
                resolved = status in ("done", "missed", "cancelled")
                yield {"id": oid, "activity_id": aid, "planned_on": self.day(offset),
                       "status": status,
                       "happened_on": self.day(offset) if status == "done" else None,
                       "missed_reason": "", "rescheduled_from_id": None,
                       "resolved_at": self.moment(min(offset + 1, 0), 18) if resolved else None}

    def sessions(self):
        """Regular sessions for every report over 12 months (and a month ahead)."""
        rng, n = self.rng, self.size["users"]
        base, extra = divmod(self.size["sessions"], n - 1)
        statuses, weights = ("held", "missed", "cancelled", "planned"), (78, 9, 5, 8)
        sid = 0
        for report in range(2, n + 1):
            count = base + (1 if report - 2 < extra else 0)
            interval = 395 / max(count, 1)
            for j in range(count):
                sid += 1
                offset = -364 + int(j * interval + rng.random() * interval * 0.5)
                starts = self.moment(offset)
                status = "planned" if starts > self.now else rng.choices(statuses, weights)[0]
                if status == "held" and self.shared[report] and rng.random() < 0.4:
                    self.reviews.append((sid, rng.choice(self.shared[report]), starts))
                yield {"id": sid, "supervisor_id": self.supervisor[report], "report_id": report,
                       "schedule_id": None, "starts_at": starts, "duration_minutes": 60,
                       "status": status,
                       "held_on": starts.date() if status == "held" else None,
                       "missed_reason": "", "shared_notes": "",
                       "created_at": starts - timedelta(days=30),
                       "deleted_at": self.now if rng.random() < 0.01 else None, "version": 1}

    def assessments(self):
        """Skill ratings by people themselves (60 %) and their supervisors, oldest id first."""
        rng = self.rng
        rows = []
        for _ in range(self.size["assessments"]):
            person = rng.choice(self.participants)
            by = person if rng.random() < 0.6 else (self.supervisor[person] or person)
            rows.append((-rng.randint(0, 364), person, rng.choice(self.catalogue), by,
                         rng.randint(1, 4)))
        rows.sort()
        for i, (offset, person, skill, by, level) in enumerate(rows, start=1):
            yield {"id": i, "person_id": person, "skill_id": skill, "level": level,
                   "assessed_by_id": by, "note": "", "at": self.moment(offset)}


def build(url: str, scale: float, seed: int, analyze: bool):
    """Create the app on `url`, drop and create the tables, generate; return (app, gen)."""
    from sqlalchemy import text

    from pdplanner import create_app
    from pdplanner.extensions import db

    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        gen = Generator(scale, seed, datetime.now(UTC).date())
        gen.run()
        if db.engine.dialect.name == "postgresql":
            # Explicit ids leave the sequences behind; the app's own inserts need them moved.
            for table in db.metadata.sorted_tables:
                if "id" in table.c and table.c.id.primary_key:
                    db.session.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table.name}), 1))"))
            db.session.commit()
        if analyze:
            start = time.perf_counter()
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            gen.timings.append(("(ANALYZE)", 0, time.perf_counter() - start))
        db.session.remove()
    return app, gen


def time_refresh(app, runs: int) -> dict:
    """Rebuild the dashboard's snapshot `runs` times: the first from empty, then unchanged.

    Times the whole refresh and, alone, the swap (the short transaction replacing the
    snapshot, the only part holding SQLite's write lock). The first swap writes every row;
    the later ones write only what changed, which is nothing here.
    """
    from sqlalchemy import func, select

    from pdplanner.extensions import db
    from pdplanner.insights import snapshot

    swaps: list[float] = []
    swap = snapshot._swap

    def timed_swap(*args, **kwargs):
        start = time.perf_counter()
        swap(*args, **kwargs)
        swaps.append(time.perf_counter() - start)

    totals = []
    snapshot._swap = timed_swap  # measuring only: the function itself is unchanged
    try:
        with app.app_context():
            for _ in range(runs):
                start = time.perf_counter()
                snapshot.refresh()
                totals.append(time.perf_counter() - start)
            rows = sum(db.session.scalar(select(func.count()).select_from(model))
                       for model in snapshot.TABLES)
            db.session.remove()
    finally:
        snapshot._swap = swap
    return {"first": totals[0], "first_swap": swaps[0], "again": statistics.median(totals[1:]),
            "again_swap": statistics.median(swaps[1:]), "rows": rows,
            "swap": max(swaps)}


def dispose(app) -> None:
    """Close the app's connections."""
    from pdplanner.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# --------------------------------------------------------------------------- measuring


def signed_in_client(app):
    """Return a test client signed in as the bench's HR person."""
    client = app.test_client()
    sign_in(client, HR_EMAIL, HR_PASSWORD)
    return client


def fetch(client, url: str):
    """GET `url`, read the whole body; return (status, text)."""
    response = client.get(url)
    body = response.get_data(as_text=True)
    response.close()
    return response.status_code, body


def time_page(client, url: str, requests: int, warmup: int) -> dict:
    """Median and p95 of `requests` GETs after `warmup` untimed ones."""
    for _ in range(warmup):
        fetch(client, url)
    gc.collect()
    samples, cpu, statuses, body = [], [], set(), ""
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        status, body = fetch(client, url)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        statuses.add(status)
    samples.sort()
    return {"status": ",".join(str(s) for s in sorted(statuses)),
            "median": statistics.median(samples),
            "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
            "cpu": statistics.median(cpu), "body": body}


def trace_sql(app, client, url: str) -> list[tuple[str, object]]:
    """Run one GET of `url`; return (statement, DBAPI parameters) of every SQL statement."""
    from sqlalchemy import event

    from pdplanner.extensions import db

    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, *_args):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        fetch(client, url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def replay(app, statements, explain: int = 0) -> list[dict]:
    """Run each statement again on a raw DBAPI connection: best of 2 (execute + fetch all).

    This is the database's full share of a statement, rows included (the execute-only time
    an event listener sees leaves out most of the fetching on SQLite), without the ORM.
    With `explain`, the query plans of that many slowest statements are added.
    """
    from pdplanner.extensions import db

    with app.app_context():
        connection = db.engine.raw_connection()
        sqlite = db.engine.dialect.name == "sqlite"
    found = []
    try:
        cursor = connection.cursor()
        for statement, parameters in statements:
            best, rows = float("inf"), 0
            for _ in range(2):
                start = time.perf_counter()
                cursor.execute(statement, parameters)
                rows = len(cursor.fetchall()) if cursor.description else 0
                best = min(best, (time.perf_counter() - start) * 1000)
            found.append({"ms": best, "rows": rows, "sql": statement, "params": parameters})
        found.sort(key=lambda f: -f["ms"])
        for entry in found[:explain]:
            cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + entry["sql"],
                           entry["params"])
            entry["plan"] = [str(row[-1] if sqlite else row[0]) for row in cursor.fetchall()]
        connection.rollback()
    finally:
        connection.close()
    return found


def largest_table(html: str) -> tuple[int, int]:
    """Return (body rows, tables) of the page's largest <table> and its number of tables."""
    tables = TABLE_RE.findall(html)
    rows = [max(t.count("<tr") - t.count("<thead"), 0) for t in tables]
    return (max(rows) if rows else 0), len(tables)


def figure_breakdown(app, team_id: int | None, runs: int) -> list[tuple[str, float, int]]:
    """Time each figure of the dashboard on its own (median ms of `runs`) and count its SQL."""
    from flask_login import login_user
    from sqlalchemy import event, select

    from pdplanner.accounts import queries as people_queries
    from pdplanner.accounts.models import User
    from pdplanner.accounts.queries import today_for
    from pdplanner.catalog import queries as catalog_queries
    from pdplanner.extensions import db
    from pdplanner.insights import queries
    from pdplanner.insights.scope import scope_for

    results = []
    with app.test_request_context("/insights"):
        viewer = db.session.scalar(select(User).where(User.email == HR_EMAIL))
        login_user(viewer)
        scope = scope_for(viewer, today_for(viewer), team_id)
        monthly = queries.monthly(scope)
        figures = {
            "participation (staff and 3 metrics by level)": lambda: queries.participation(scope),
            "monthly: protocol, choice, achieved, per team": lambda: queries.monthly(scope),
            "topics proposed by staff": lambda: queries.topics(scope),
            "teams compared": lambda: queries.teams(scope, monthly["by_team"]),
            "supervision routine": lambda: queries.supervision(scope),
            "growth (first/latest ratings)": lambda: queries.growth(scope, monthly["achieved"]),
            "skills matrix (latest ratings, top 300)": lambda: queries.skills_matrix(scope, None),
            "needs attention (totals + 3 lists of 30)": lambda: queries.needs_attention(scope),
            "filter lists (teams, levels, skills)": lambda: (people_queries.teams(),
                                                             people_queries.levels(),
                                                             catalog_queries.catalogue_skills()),
        }
        count = [0]

        def record(*_args):
            count[0] += 1

        for label, compute in figures.items():
            compute()  # warm caches
            count[0] = 0
            event.listen(db.engine, "before_cursor_execute", record)
            compute()
            event.remove(db.engine, "before_cursor_execute", record)
            statements = count[0]
            samples = []
            for _ in range(runs):
                start = time.perf_counter()
                compute()
                samples.append((time.perf_counter() - start) * 1000)
                db.session.expire_all()
            results.append((label, statistics.median(samples), statements))
    return results


def pick_team(app) -> tuple[int, int]:
    """Return (team id, staff) of a team of median size (a typical team)."""
    from sqlalchemy import func, select

    from pdplanner.accounts.models import User
    from pdplanner.extensions import db

    with app.app_context():
        sizes = sorted(db.session.execute(
            select(func.count(), User.team_id).where(User.active.is_(True))
            .group_by(User.team_id)).all())
        db.session.remove()
    staff, team_id = sizes[len(sizes) // 2]
    return team_id, staff


def count_pages(app, team_id: int) -> dict[str, int]:
    """Count the SQL statements of the two dashboard pages (after one warm-up each)."""
    client = signed_in_client(app)
    counts = {}
    for key, url in (("whole", "/insights"), ("team", f"/insights?team={team_id}")):
        fetch(client, url)
        counts[key] = len(trace_sql(app, client, url))
    return counts


def build_baseline(rows: int):
    """A bare Flask app rendering a five-column table of `rows` rows; no database."""
    from flask import Flask, render_template
    from jinja2 import DictLoader

    app = Flask("baseline")
    app.jinja_loader = DictLoader({"page.html": BASELINE_TEMPLATE})
    data = [{"id": i, "name": f"Person {i}", "team": f"Team {i % 500:04d}", "held": i % 13,
             "due": i % 13 + 2, "gap": None if i % 7 == 0 else 20 + i % 30}
            for i in range(rows)]

    @app.route("/")
    def page():
        return render_template("page.html", rows=data)

    return app


def profile(client, url: str, top: int) -> str:
    """Profile one GET of `url` with cProfile; return the top functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    fetch(client, url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# --------------------------------------------------------------------------- output




def shorten(statement: str, width: int = 150) -> str:
    """Collapse a SQL statement's whitespace and cut it to `width` characters."""
    flat = " ".join(statement.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def redacted(url: str) -> str:
    """Hide a password in a database URL."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


# --------------------------------------------------------------------------- main


def parse_args(argv=None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=None,
                        help="organisation size; 1.0 = 10,000 people and 500 teams (default)")
    parser.add_argument("--quick", action="store_true", help="scale 0.05: a smoke run")
    parser.add_argument("--database-url", default=None,
                        help="database to fill (EMPTIED FIRST); default a temporary SQLite file")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests first")
    parser.add_argument("--small-scale", type=float, default=0.02,
                        help="scale of the second, small organisation for the SQL counts")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generator")
    parser.add_argument("--analyze", choices=("auto", "yes", "no"), default="auto",
                        help="run ANALYZE after loading (auto: on PostgreSQL, as autovacuum "
                             "would; not on SQLite, which the app never analyzes)")
    parser.add_argument("--explain", type=int, default=0, metavar="N",
                        help="print the query plans of the N slowest statements of each page")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile of one whole-organisation request")
    args = parser.parse_args(argv)
    if args.scale is None:
        args.scale = 0.05 if args.quick else 1.0
    args.requests = max(1, args.requests)
    return args


def main(argv=None) -> int:
    """Generate, measure, print; exit 0 unless the dashboard does not answer 200."""
    args = parse_args(argv)
    workdir = tempfile.TemporaryDirectory(prefix="pdplanner-insights-")
    os.environ["PDPLANNER_INSTANCE"] = workdir.name  # keep the repository's instance/ untouched
    url = args.database_url or f"sqlite:///{workdir.name}/insights.db"
    dialect = "postgresql" if url.startswith("postgres") else url.split(":", 1)[0]
    analyze = args.analyze == "yes" or (args.analyze == "auto" and dialect == "postgresql")
    print(f"pdplanner insights benchmark: scale {args.scale:g} on {redacted(url)}, "
          f"{args.requests} timed requests per page after {args.warmup} warm-up, "
          f"Python {sys.version.split()[0]}, ANALYZE {'on' if analyze else 'off'}")

    # 1. A small organisation first, only to count the SQL statements of each page.
    small_app, small = build(url, args.small_scale, args.seed, analyze)
    small_team, _ = pick_team(small_app)
    small_counts = count_pages(small_app, small_team)
    small_size = dict(small.size)
    dispose(small_app)

    # 2. The organisation at the chosen scale (this drops the small one).
    start = time.perf_counter()
    app, gen = build(url, args.scale, args.seed, analyze)
    generation = time.perf_counter() - start
    rows = [[name, f"{count:,}", f"{seconds:.2f}",
             f"{count / seconds:,.0f}" if count and seconds else "—"]
            for name, count, seconds in gen.timings]
    rows.append(["total (with create_all and hashing)",
                 f"{sum(c for _n, c, _s in gen.timings):,}", f"{generation:.2f}", ""])
    table(f"Generation at scale {args.scale:g} ({gen.size['users']:,} people, "
          f"{gen.size['teams']} teams)", ["table", "rows", "seconds", "rows/s"], rows)

    refreshed = time_refresh(app, 3)
    team_id, team_staff = pick_team(app)
    client = signed_in_client(app)
    pages = {"whole": ("whole organisation", "/insights"),
             "team": (f"one team (id {team_id}, {team_staff} people)",
                      f"/insights?team={team_id}")}
    results, traces, replayed = {}, {}, {}
    for key, (_label, page_url) in pages.items():
        results[key] = time_page(client, page_url, args.requests, args.warmup)
        traces[key] = trace_sql(app, client, page_url)
        replayed[key] = replay(app, traces[key], args.explain)
    broken = [f"{pages[k][1]} answered HTTP {r['status']}" for k, r in results.items()
              if r["status"] != "200"]

    rows_needed, table_count = largest_table(results["whole"]["body"])
    baseline = time_page(build_baseline(rows_needed).test_client(), "/", args.requests,
                         args.warmup)
    base_rows, _ = largest_table(baseline["body"])

    breakdown = {key: figure_breakdown(app, team_id if key == "team" else None,
                                       max(3, min(args.requests, 7)))
                 for key in pages}
    profiled = profile(client, "/insights", 30) if args.profile else ""
    dispose(app)

    # ---- report
    table(f"Snapshot refresh on {dialect} (the scheduler's job, every 10 minutes; seconds)",
          ["refresh", "whole", "swap alone (the write transaction)"],
          [[f"first: every one of {refreshed['rows']:,} rows written",
            f"{refreshed['first']:.2f}", f"{refreshed['first_swap']:.2f}"],
           ["again, nothing changed (median of 2): no row written",
            f"{refreshed['again']:.2f}", f"{refreshed['again_swap']:.2f}"]])
    rows = [[f"bare Flask, {base_rows}-row table", "/", baseline["status"], "0",
             f"{len(baseline['body']) / 1000:.0f} KB", f"{baseline['median']:.1f}",
             f"{baseline['p95']:.1f}", f"{baseline['cpu']:.1f}", "1.0x"]]
    for key, (label, page_url) in pages.items():
        r = results[key]
        rows.append([label, page_url, r["status"], str(len(traces[key])),
                     f"{len(r['body']) / 1000:.0f} KB", f"{r['median']:.1f}", f"{r['p95']:.1f}",
                     f"{r['cpu']:.1f}", f"{r['median'] / baseline['median']:.1f}x"])
    table(f"Dashboard server time on {dialect} (Flask test client, in-process; ms)",
          ["page", "url", "HTTP", "SQL", "HTML", "median", "p95", "CPU median", "vs baseline"],
          rows)
    print("(CPU median: this process's CPU time per request; it is less disturbed by a busy "
          "machine than wall time, but leaves out the work of a PostgreSQL server)")
    print(f"(the dashboard's largest table has {rows_needed} body rows, among {table_count} "
          f"tables; the baseline renders one of {base_rows})")

    for key, (label, _url) in pages.items():
        figures = breakdown[key]
        total = results[key]["median"]
        spent = sum(ms for _l, ms, _n in figures)
        rows = [[name, str(n), f"{ms:.1f}", f"{100 * ms / total:.0f} %"]
                for name, ms, n in sorted(figures, key=lambda f: -f[1])]
        rest = total - spent
        rows.append(["rest: sign-in check, template, HTTP", "",
                     f"{rest:.1f}" if rest > 0 else "(noise)",
                     f"{100 * rest / total:.0f} %" if rest > 0 else ""])
        table(f"Where the time goes: {label} (each figure alone, median ms)",
              ["figure", "SQL", "ms", "of page"], rows)

    for key, (label, _url) in pages.items():
        found = replayed[key]
        print(f"\nSlowest SQL statements, {label} (replayed alone, execute + fetch; "
              f"{sum(f['ms'] for f in found):.1f} ms in {len(found)} statements):")
        for entry in found[:max(5, args.explain)]:
            print(f"  {entry['ms']:8.1f} ms {entry['rows']:>8,} rows  {shorten(entry['sql'])}")
            for step in entry.get("plan", []):
                print(f"  {'':>25}  plan: {step}")

    big = {"whole": len(traces["whole"]), "team": len(traces["team"])}
    steady = small_counts == big  # each page: the same count at both sizes
    table(f"SQL statements per page: scale {args.scale:g} ({gen.size['users']:,} people, "
          f"{gen.size['teams']} teams) against scale {args.small_scale:g} "
          f"({small_size['users']:,} people, {small_size['teams']} teams)",
          ["page", "small", "chosen scale"],
          [["whole organisation", small_counts["whole"], big["whole"]],
           ["one team", small_counts["team"], big["team"]]])

    sqlite = dialect == "sqlite"
    note = "" if sqlite else " (set for SQLite)"
    checks = [target(f"{label}, {stat}{note}", f"<= {TARGETS[key]:.0f} ms",
                     f"{results[key][stat]:.1f} ms", results[key][stat] <= TARGETS[key])
              for key, label in (("whole", "whole organisation"), ("team", "one team"))
              for stat in ("median", "p95")]
    checks.append(target("SQL count independent of size (no N+1)", "same at both scales",
                         f"{small_counts['whole']}/{small_counts['team']} -> "
                         f"{big['whole']}/{big['team']}", steady))
    checks.append(target(f"longest snapshot swap (holds SQLite's write lock){note}",
                         f"< {SWAP_TARGET:.0f} s", f"{refreshed['swap']:.2f} s",
                         refreshed["swap"] < SWAP_TARGET))
    if sqlite and args.scale >= 1:
        checks.append(target("generation at full scale", f"< {GENERATION_TARGET:.0f} s",
                             f"{generation:.1f} s", generation < GENERATION_TARGET))
    elif args.scale < 1:
        checks.append(["(scale below 1: the time targets are for 10,000 people)", "", "", ""])
    table(f"Targets (scale {args.scale:g}, {dialect})", ["target", "goal", "measured", "result"],
          checks)
    print(f"ratio whole organisation / bare Flask table: "
          f"{results['whole']['median'] / baseline['median']:.1f}x; "
          f"one team / bare Flask table: {results['team']['median'] / baseline['median']:.1f}x")

    if profiled:
        print("\ncProfile of one whole-organisation request (top 30 by cumulative time):")
        print(profiled)
    for problem in broken:
        print(f"\nWARNING: {problem}; its timings are not meaningful.")
    workdir.cleanup()
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
