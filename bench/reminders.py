"""Benchmark the reminder sweep: plan and deliver N mails to a local SMTP server vs bare smtplib.

Run from the repository root:

    python bench/reminders.py [--people N] [--quick] [--profile]

One aiosmtpd server, started by this script on 127.0.0.1, counts what it receives. Each
measured step runs in a fresh child process (this same script, with --probe), so the figures
of one do not leak into another's and the SMTP server never competes with a client for the GIL:

1. seed:  a file SQLite database with N people, each with one active shared goal, one
          activity and one planned occurrence tomorrow (timed, but not a target);
2. sweep: `planner.plan(now)` then `delivery.deliver(now)`, timed separately, with the peak
          RSS of that process (import, app, plan and delivery; seeding excluded);
3. bare:  a bare `smtplib` loop sending N pre-built messages over ONE connection, each a copy
          (text + HTML alternative) of the first mail pdplanner sent, to the same server;
4. raw:   the same, flattened to bytes beforehand and sent with `sendmail`: the transport
          alone, printed for reference (the target compares with step 3).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from report import table  # bench/report.py: the script's own folder is on the path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # config.py and pdplanner/ live at the repository root

#: The sweep runs "now": the day before every occurrence, at 09:00 UTC, one hour after the
#: 08:00 "activity_upcoming" reminder fell due. A Tuesday, not the first of the month.
NOW = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)
TOMORROW = NOW.date() + timedelta(days=1)
SENDER = "pdplanner <pd@example.org>"

PLAN_TARGET = 2.0  # seconds
RATIO_TARGET = 0.5  # pdplanner mails/s ÷ bare smtplib mails/s
MEMORY_TARGET = 300 * 1_048_576  # bytes of peak RSS in the sweep process

TITLES = ("Infection prevention refresher", "Mentoring session with the ward lead",
          "Job shadowing at the district pharmacy", "Reading: WHO guidelines, chapter 3",
          "Peer learning: data quality review", "Workshop on supportive supervision")


# --------------------------------------------------------------------------- the SMTP server


class Counter:
    """An aiosmtpd handler that only counts: connections, messages and bytes."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        """Forget what was counted so far (and the sample)."""
        self.connections = self.messages = self.bytes = 0
        #: The first message received, raw: the bare loop sends copies of it.
        self.sample: bytes | None = None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        """Count one EHLO per connection (smtplib greets once per connection)."""
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        """Accept the message without parsing it; keep only the first one."""
        if self.sample is None:
            self.sample = envelope.content
        self.messages += 1
        self.bytes += len(envelope.content)
        return "250 Message accepted for delivery"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server():
    """Start aiosmtpd on 127.0.0.1 with a counting handler; return (controller, counter)."""
    from aiosmtpd.controller import Controller

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    counter.reset()  # the controller's own readiness probe is not a client
    return controller, counter


# --------------------------------------------------------------------------- probes (children)


def build_app(workdir: str, port: int = 0):
    """Build pdplanner (test configuration) on the benchmark's SQLite file."""
    os.environ["PDPLANNER_INSTANCE"] = workdir  # keep the repository's instance/ untouched
    from pdplanner import create_app

    return create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir}/bench.db",
                      MAIL_SERVER="127.0.0.1" if port else None, MAIL_PORT=port,
                      MAIL_DEFAULT_SENDER=SENDER)


def probe_seed(workdir: str, people: int) -> dict:
    """Create the schema and bulk-insert `people` people with one due item each."""
    from sqlalchemy import insert

    from pdplanner.accounts.models import Organisation, User
    from pdplanner.extensions import db
    from pdplanner.learning.models import Activity, Goal, Occurrence

    app = build_app(workdir)
    start = time.perf_counter()
    with app.app_context():
        db.create_all()
        db.session.add(Organisation(name="Bench org", default_language="en", timezone="UTC",
                                    default_cadence="monthly"))
        created = NOW - timedelta(days=1)  # recent: no "goal_stale" reminder
        for first in range(1, people + 1, 2000):
            ids = range(first, min(first + 2000, people + 1))
            db.session.execute(insert(User), [
                {"id": i, "email": f"person{i}@example.org", "name": f"Person {i:05d}",
                 "active": True, "is_hr": False, "is_admin": False, "supervisor_id": None,
                 "created_at": created} for i in ids])
            db.session.execute(insert(Goal), [
                {"id": i, "owner_id": i, "title": f"Goal {i}: {TITLES[i % len(TITLES)]}",
                 "status": "active", "visibility": "shared", "chosen_by": "self",
                 "created_at": created, "updated_at": created} for i in ids])
            db.session.execute(insert(Activity), [
                {"id": i, "goal_id": i, "kind": "course", "title": TITLES[i % len(TITLES)],
                 "starts_on": TOMORROW, "recurrence": "none", "duration_minutes": 60,
                 "created_at": created} for i in ids])
            db.session.execute(insert(Occurrence), [
                {"id": i, "activity_id": i, "planned_on": TOMORROW, "status": "planned"}
                for i in ids])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return {"seconds": time.perf_counter() - start}


def sql_counter(engine) -> dict:
    """Count SQL statements and commits on `engine` from now on (into the returned dict)."""
    from sqlalchemy import event

    counts = {"statements": 0, "commits": 0}

    def statement(*_args):
        counts["statements"] += 1

    def commit(*_args):
        counts["commits"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    return counts


def timed(function, profile: bool, label: str):
    """Call `function()`; return (its result, wall seconds, CPU seconds of this process).

    With `profile`, print a cProfile of the call to stderr.
    """
    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        result = profiler.runcall(function)
    else:
        result = function()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(30)
        print(f"\n===== cProfile: {label} (profiled run: {seconds:.2f} s) =====\n"
              f"{out.getvalue()}", file=sys.stderr)
    return result, seconds, cpu


def probe_sweep(workdir: str, port: int, profile: bool) -> dict:
    """Plan and deliver in this fresh process; report times, SQL, outcome and peak RSS."""
    from sqlalchemy import func, select

    from pdplanner.extensions import db
    from pdplanner.reminders import delivery, planner
    from pdplanner.reminders.models import OutboxMessage

    app = build_app(workdir, port)
    with app.app_context():
        engine = db.engine
        rss_before = max_rss_bytes()
        counts = sql_counter(engine)
        planned, plan_seconds, plan_cpu = timed(lambda: planner.plan(NOW), profile, "plan")
        plan_sql = dict(counts)
        counts.update(statements=0, commits=0)
        delivered, deliver_seconds, deliver_cpu = timed(lambda: delivery.deliver(NOW), profile,
                                                        "deliver")
        deliver_sql = dict(counts)
        rss_after = max_rss_bytes()
        hwm = vm_hwm_bytes()
        outbox = dict(db.session.execute(select(OutboxMessage.status, func.count())
                                         .group_by(OutboxMessage.status)).all())
        kinds = dict(db.session.execute(select(OutboxMessage.kind, func.count())
                                        .group_by(OutboxMessage.kind)).all())
        db.session.remove()
        db.engine.dispose()
    return {"planned": planned, "plan_seconds": plan_seconds, "plan_cpu": plan_cpu,
            "plan_sql": plan_sql, "delivered": delivered, "deliver_seconds": deliver_seconds,
            "deliver_cpu": deliver_cpu,
            "deliver_sql": deliver_sql, "outbox": outbox, "kinds": kinds,
            "rss_before": rss_before, "rss": rss_after, "hwm": hwm}


def probe_bare(workdir: str, port: int, count: int, raw: bool = False) -> dict:
    """Send `count` pre-built copies of pdplanner's sample mail over one smtplib connection.

    With `raw`, the messages are flattened to bytes beforehand and sent with `sendmail`: the
    SMTP transport alone, a floor no sender that builds MIME can reach.
    """
    from email import message_from_bytes, policy
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    received = message_from_bytes(Path(workdir, "sample.eml").read_bytes(), policy=policy.default)
    sample = {"subject": str(received["Subject"]),
              "text": received.get_body(("plain",)).get_content(),
              "html": received.get_body(("html",)).get_content()}
    messages = []
    for i in range(1, count + 1):
        email = EmailMessage()
        email["From"] = SENDER
        email["To"] = f"person{i}@example.org"
        email["Subject"] = sample["subject"]
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = make_msgid(domain="pdplanner")
        email["Auto-Submitted"] = "auto-generated"
        email.set_content(sample["text"])
        email.add_alternative(sample["html"], subtype="html")
        messages.append((email["To"], email.as_bytes(policy=policy.SMTP)) if raw else email)
    start, cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        for message in messages:
            if raw:
                smtp.sendmail(SENDER, [message[0]], message[1])
            else:
                smtp.send_message(message)
    return {"sent": count, "seconds": time.perf_counter() - start,
            "cpu": time.process_time() - cpu}


# --------------------------------------------------------------------------- memory


def max_rss_bytes() -> int:
    """Peak resident set size of this process so far, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def vm_hwm_bytes() -> int | None:
    """Linux only: the peak RSS of this process's own memory (VmHWM), in bytes."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


# --------------------------------------------------------------------------- parent


def run_probe(probe: str, args: argparse.Namespace, workdir: str, port: int = 0) -> dict:
    """Run one probe in a child interpreter and return its JSON figures."""
    command = [sys.executable, __file__, "--probe", probe, "--workdir", workdir,
               "--port", str(port), "--people", str(args.people)]
    if args.profile:
        command.append("--profile")
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if args.profile and done.stderr:
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"bench: the {probe} probe failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])




def mb(value: float | None) -> str:
    """Format bytes as megabytes (MiB)."""
    return "n/a" if value is None else f"{value / 1_048_576:.1f} MB"


def met(ok: bool) -> str:
    """Say whether a target is met."""
    return "met" if ok else "MISSED"


def parse_args(argv=None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=None,
                        help="people, each with one due reminder (default 10000, "
                             "or 1000 with --quick)")
    parser.add_argument("--quick", action="store_true", help="1000 people: a smoke run")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of plan() and deliver() to stderr "
                             "(slows them down: the timings then include the profiler)")
    parser.add_argument("--probe", choices=["seed", "sweep", "bare", "raw"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.people is None:
        args.people = 1000 if args.quick else 10_000
    args.people = max(1, args.people)
    return args


def main(argv=None) -> int:
    """Seed, sweep, run the bare loop, and print the figures against their targets."""
    args = parse_args(argv)
    if args.probe == "seed":
        print(json.dumps(probe_seed(args.workdir, args.people)))
        return 0
    if args.probe == "sweep":
        print(json.dumps(probe_sweep(args.workdir, args.port, args.profile)))
        return 0
    if args.probe in ("bare", "raw"):
        print(json.dumps(probe_bare(args.workdir, args.port, args.people,
                                    raw=args.probe == "raw")))
        return 0

    n = args.people
    print(f"pdplanner reminder benchmark: {n} people, one due reminder each, SQLite file, "
          f"local aiosmtpd, Python {sys.version.split()[0]}")
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    print(f"(load average {load:.1f} on {cpus} CPU(s)"
          + ("; a busy machine slows both sides unevenly: rerun when quiet)" if load > cpus
             else ")"))
    if args.profile:
        print("(--profile: cProfile is on, so the times below include its overhead)")
    problems = []
    controller, counter = start_server()
    try:
        with tempfile.TemporaryDirectory(prefix="pdplanner-bench-") as workdir:
            seed = run_probe("seed", args, workdir)
            sweep = run_probe("sweep", args, workdir, controller.port)
            received = (counter.messages, counter.bytes, counter.connections)
            if counter.sample is None:
                raise SystemExit("bench: pdplanner sent nothing; no sample for the bare loop")
            Path(workdir, "sample.eml").write_bytes(counter.sample)
            counter.reset()
            bare = run_probe("bare", args, workdir, controller.port)
            bare_received = (counter.messages, counter.bytes, counter.connections)
            counter.reset()
            raw = run_probe("raw", args, workdir, controller.port)
            raw_received = (counter.messages, counter.bytes, counter.connections)
    finally:
        controller.stop()

    sent = sweep["delivered"].get("sent", 0)
    for label, value in (("planned", sweep["planned"]), ("sent", sent),
                         ("received by the SMTP server", received[0]),
                         ("received from the bare loop", bare_received[0]),
                         ("received from the transport-only loop", raw_received[0])):
        if value != n:
            problems.append(f"{label}: {value}, expected {n}")
    if set(sweep["kinds"]) != {"activity_upcoming"}:
        problems.append(f"unexpected kinds of reminder queued: {sweep['kinds']}")

    plan_s, deliver_s = sweep["plan_seconds"], sweep["deliver_seconds"]
    pd_rate = sent / deliver_s if deliver_s else 0.0
    bare_rate = bare["sent"] / bare["seconds"] if bare["seconds"] else 0.0
    ratio = pd_rate / bare_rate if bare_rate else 0.0
    raw_rate = raw["sent"] / raw["seconds"] if raw["seconds"] else 0.0
    rss = sweep["rss"]

    table("Sweep and baselines (one fresh process each; the SMTP server runs in the parent)",
          ["step", "count", "seconds", "client CPU s", "mails/s", "SQL statements", "commits"],
          [["plan(now)", str(sweep["planned"]), f"{plan_s:.2f}", f"{sweep['plan_cpu']:.2f}",
            f"{sweep['planned'] / plan_s:.0f}" if plan_s else "-",
            str(sweep["plan_sql"]["statements"]), str(sweep["plan_sql"]["commits"])],
           ["deliver(now)", str(sent), f"{deliver_s:.2f}", f"{sweep['deliver_cpu']:.2f}",
            f"{pd_rate:.0f}", str(sweep["deliver_sql"]["statements"]),
            str(sweep["deliver_sql"]["commits"])],
           ["bare smtplib loop (send_message)", str(bare["sent"]), f"{bare['seconds']:.2f}",
            f"{bare['cpu']:.2f}", f"{bare_rate:.0f}", "0", "0"],
           ["transport only (sendmail of bytes)", str(raw["sent"]), f"{raw['seconds']:.2f}",
            f"{raw['cpu']:.2f}", f"{raw_rate:.0f}", "0", "0"]])
    print(f"(pdplanner reaches {pd_rate / raw_rate:.0%} of the transport-only rate; "
          "the target compares it with the send_message loop)" if raw_rate else "")
    print(f"(seeding {n} people took {seed['seconds']:.2f} s; delivery outcome "
          f"{sweep['delivered']}; outbox now {sweep['outbox']})")

    table("SMTP server side",
          ["sender", "messages", "connections", "mean size"],
          [["pdplanner deliver()", str(received[0]), str(received[2]),
            f"{received[1] / max(received[0], 1) / 1000:.2f} KB"],
           ["bare smtplib loop", str(bare_received[0]), str(bare_received[2]),
            f"{bare_received[1] / max(bare_received[0], 1) / 1000:.2f} KB"],
           ["transport only", str(raw_received[0]), str(raw_received[2]),
            f"{raw_received[1] / max(raw_received[0], 1) / 1000:.2f} KB"]])

    table("Memory of the sweep process (peak RSS, interpreter included)",
          ["figure", "value"],
          [["ru_maxrss after app build, before plan", mb(sweep["rss_before"])],
           ["ru_maxrss after plan + deliver", mb(rss)],
           ["VmHWM (Linux: this process's own pages)", mb(sweep["hwm"])]])

    table("Targets",
          ["target", "measured", "goal", "result"],
          [["planning time", f"{plan_s:.2f} s", f"<= {PLAN_TARGET:.0f} s",
            met(plan_s <= PLAN_TARGET)],
           ["delivery vs bare smtplib", f"{ratio:.0%} ({pd_rate:.0f} / {bare_rate:.0f} mails/s)",
            f">= {RATIO_TARGET:.0%}", met(ratio >= RATIO_TARGET)],
           ["sweep process peak RSS", mb(rss), f"< {mb(MEMORY_TARGET)}",
            met(rss < MEMORY_TARGET)]])

    for problem in problems:
        print(f"\nWARNING: {problem}; the figures are not meaningful.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
