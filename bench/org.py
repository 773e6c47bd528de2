"""The organisations bench/pages.py measures: the demo one, and generated ones cached between runs.

A generated organisation (bench/insights.py's Generator) is kept between runs: in a SQLite file
under bench/.cache/, or in the PostgreSQL database given (schema `public`, its key written as
the schema's comment). It is reused only when its key matches: the generator's source, this
file's ORG_VERSION, the size, the seed and the tables pdplanner's models create (so a new
column means a new organisation). Indexes are not in the key: on reuse they are made to match
the models (missing ones created, others dropped, then ANALYZE on PostgreSQL), so comparing
two branches that differ only by indexes does not regenerate 10,000 people each time.
"""

from __future__ import annotations

import hashlib
import inspect
import time
from pathlib import Path

from insights import Generator, build  # bench/insights.py: the 10,000-person generator

CACHE = Path(__file__).resolve().parent / ".cache"
ORG_VERSION = 1  # bump when what prepare() adds to the generated organisation changes
PASSWORD = "bench-password-123"  # the generated accounts the bench signs in as
DEMO_SCHEMA = "bench_demo"  # PostgreSQL: the demo lives beside the cached org, not over it
TARGET_GOALS, TARGET_DATES = 32, 112  # the employee with a long history


def schema_fingerprint(dialect_name: str) -> str:
    """Hash of the CREATE TABLE statements pdplanner's models emit on this dialect."""
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateTable

    from pdplanner import create_app
    from pdplanner.extensions import db

    create_app("test")  # registers every room's models, so the hash sees every table
    dialect = (postgresql if dialect_name == "postgresql" else sqlite).dialect()
    ddl = [str(CreateTable(table).compile(dialect=dialect)) for table in db.metadata.sorted_tables]
    return hashlib.sha256("\n".join(ddl).encode()).hexdigest()


def sync_indexes(url: str, log) -> None:
    """Make the reused organisation's tables (new ones, empty) and indexes those of the
    models; ANALYZE if any changed."""
    from sqlalchemy import create_engine, inspect, text

    from pdplanner.extensions import db

    engine = create_engine(url)
    changed = []
    with engine.begin() as connection:
        missing = [t for t in db.metadata.sorted_tables
                   if not inspect(connection).has_table(t.name)]
        db.metadata.create_all(connection, tables=missing)  # tables added since (empty)
        changed += [f"+table {t.name}" for t in missing]
        for table in db.metadata.sorted_tables:
            found = {i["name"] for i in inspect(connection).get_indexes(table.name)
                     if not i.get("duplicates_constraint")}
            wanted = {i.name: i for i in table.indexes}
            for name in sorted(found - set(wanted)):
                connection.execute(text(f'DROP INDEX "{name}"'))
                changed.append(f"-{name}")
            for name in sorted(set(wanted) - found):
                wanted[name].create(connection)
                changed.append(f"+{name}")
        if changed and engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
    engine.dispose()
    if changed:
        log(f"indexes made to match the models: {' '.join(changed)}")


def cache_key(dialect_name: str, people: int, seed: int) -> str:
    """The key a cached organisation must carry to be reused."""
    source = inspect.getsource(Generator) + inspect.getsource(build)
    parts = [source, str(ORG_VERSION), str(people), str(seed), schema_fingerprint(dialect_name)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def generated(dialect_name: str, pg_url: str | None, people: int, seed: int, log) -> str:
    """Return the URL of a generated organisation of `people`, building it unless cached."""
    from sqlalchemy import create_engine, text

    key = cache_key(dialect_name, people, seed)
    scale = people / 10_000
    if dialect_name == "sqlite":
        CACHE.mkdir(exist_ok=True)
        path = CACHE / f"org-{people}-{key}.db"
        url = f"sqlite:///{path}"
        if path.exists():
            log(f"reusing {path.name} (generator and tables unchanged)")
            sync_indexes(url, log)
            return url
        for old in CACHE.glob(f"org-{people}-*.db*"):
            old.unlink()  # an out-of-date organisation of this size
        fresh = CACHE / f"building-{people}.db"
        for leftover in CACHE.glob(f"building-{people}.db*"):
            leftover.unlink()
        _generate(f"sqlite:///{fresh}", scale, seed, analyze=False, log=log)
        for suffix in ("-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
        fresh.rename(path)  # only a complete organisation gets the key
        return url
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        found = connection.scalar(text(
            "SELECT obj_description('public'::regnamespace, 'pg_namespace')"))
    if found == f"pdplanner-bench {key}":
        engine.dispose()
        log(f"reusing the organisation in {engine.url.database} (generator and tables unchanged)")
        sync_indexes(pg_url, log)
        return pg_url
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    _generate(pg_url, scale, seed, analyze=True, log=log)
    with engine.begin() as connection:
        connection.execute(text(f"COMMENT ON SCHEMA public IS 'pdplanner-bench {key}'"))
    engine.dispose()
    return pg_url


def _generate(url: str, scale: float, seed: int, analyze: bool, log) -> None:
    """Generate the organisation, refresh the insights snapshot, set the bench passwords."""
    from who import generated_roles  # who.py imports this module's constants

    from pdplanner.extensions import db
    from pdplanner.insights import snapshot

    start = time.perf_counter()
    app, gen = build(url, scale, seed, analyze)
    with app.app_context():
        snapshot.refresh()
        roles = generated_roles()
        _set_passwords([roles["employee"], roles["supervisor"], roles["hr"]])
        db.session.remove()
        db.engine.dispose()
    log(f"generated {gen.size['users']:,} people in {time.perf_counter() - start:.0f} s")


def _set_passwords(emails: list[str]) -> None:
    """Give the accounts the bench signs in as a known password (cheap test hashing)."""
    from sqlalchemy import update

    from pdplanner.accounts.models import User
    from pdplanner.extensions import db
    from pdplanner.security import hash_password

    db.session.execute(update(User).where(User.email.in_(emails))
                       .values(password_hash=hash_password(PASSWORD)))
    db.session.commit()


def demo(dialect_name: str, pg_url: str | None, workdir: str, log) -> str:
    """Return the URL of a freshly seeded demo organisation (SQLite file or a PG schema)."""
    from sqlalchemy import create_engine, text

    from pdplanner import create_app
    from pdplanner import demo as demo_data
    from pdplanner.extensions import db

    if dialect_name == "sqlite":
        url = f"sqlite:///{workdir}/demo.db"
    else:
        engine = create_engine(pg_url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {DEMO_SCHEMA}"))
        engine.dispose()
        url = f"{pg_url}?options=-csearch_path%3D{DEMO_SCHEMA}"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        demo_data.seed()
        db.session.remove()
        db.engine.dispose()
    log("seeded the demo organisation")
    return url
