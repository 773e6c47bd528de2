"""Measure every page a signed-in person opens, at the demo size and at 10,000 people.

Run from the repository root:

    python bench/pages.py                  # SQLite and PostgreSQL; demo, 200 and 10,000 people
    python bench/pages.py --quick --db sqlite      # a fast pass
    python bench/pages.py --sizes demo,10000 --no-load
    python bench/pages.py --db postgresql --sizes 10000 --only team,people   # two pages

For each database and size: in-process server time (median, p95) and SQL statements per page,
each page opened by the right person (an employee with a long history, a supervisor with a
branch below, HR). Then, at the largest size, the everyday pages under gunicorn (2 sync workers,
production settings) with wrk, against a bare Flask + Flask-SQLAlchemy + Jinja page reading 50
people from the same database. Targets are printed, never asserted: the script exits 0, or 1
when a page does not answer HTTP 200.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time

import load
import org
import who
from report import sign_in, table
from run import count_queries, fetch  # bench/run.py: one GET, and its SQL statement count

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:55500/bench2"
TARGET_MS, INSIGHTS_TARGET_MS = 30.0, 150.0  # median at 10,000 people
RATIO_TARGET, RATIO_HOPE = 0.20, 0.40  # of the bare page's requests/s under gunicorn


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the tables."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def time_page(client, url: str, requests: int, warmup: int, budget: float) -> dict:
    """Median and p95 of up to `requests` GETs (fewer if `budget` seconds run out)."""
    statuses = {fetch(client, url)[0] for _ in range(warmup)}
    gc.collect()
    samples, cpu, spent = [], [], 0.0
    while len(samples) < requests and (spent < budget or len(samples) < 3):
        start, start_cpu = time.perf_counter(), time.process_time()
        status, _body = fetch(client, url)
        cpu.append(time.process_time() - start_cpu)
        samples.append(time.perf_counter() - start)
        spent += samples[-1]
        statuses.add(status)
    samples.sort()
    # CPU time of this process (the database's work included on SQLite, in-process): what a
    # request costs, much less inflated than wall time when other work shares the machine.
    return {"status": ",".join(str(s) for s in sorted(statuses)), "n": len(samples),
            "median": statistics.median(samples) * 1000, "cpu": statistics.median(cpu) * 1000,
            "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))] * 1000}


def measure_size(dialect: str, size: str, args, workdir: str) -> dict:
    """Build (or reuse) the organisation of `size` and time every page in-process."""
    from pdplanner import create_app
    from pdplanner.extensions import db

    demo = size == "demo"
    if demo:
        url = org.demo(dialect, args.pg_url, workdir, log)
        roles = who.DEMO_ROLES
    else:
        url = org.generated(dialect, args.pg_url, int(size), args.seed, log)
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    if not demo:
        with app.app_context():
            roles = who.generated_roles()
            db.session.remove()
    info = who.describe(app, roles)
    password = who.passwords(demo)
    clients = {}
    for role, email in roles.items():
        clients[role] = app.test_client()
        sign_in(clients[role], email, password)
    log(f"{dialect} {size}: {info['people']:,} people; employee {roles['employee']} "
        f"({info['employee_goals']} goals, {info['employee_dates']} dates); supervisor "
        f"{roles['supervisor']} ({info['direct']} reports, {info['branch']} in the branch)")
    pages = {}
    for label, role, page_url, _everyday in [] if args.load_only else who.urls(info):
        if not wanted(label, args):
            continue
        result = time_page(clients[role], page_url, args.requests, args.warmup, args.budget)
        result["sql"] = count_queries(app, clients[role], page_url)
        result["url"] = page_url
        pages[label] = result
        log(f"  {label:<30} {page_url:<26} {result['median']:8.1f} ms  {result['sql']:3} SQL")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return {"url": url, "roles": roles, "info": info, "pages": pages, "password": password}


def wanted(label: str, args) -> bool:
    """Tell whether --only (exact labels) and --pages (a word of the label) keep a page."""
    return (not args.only or label in args.only) and args.pages in label


def print_pages(dialect: str, sizes: list[str], measured: dict) -> list[str]:
    """Print the in-process table with the targets; return the pages that did not answer 200.

    The SQL count column compares the smallest and largest generated organisations (the demo
    has other people with other histories, so it is compared only when it is all there is).
    """
    generated = [s for s in sizes if s != "demo"]
    small = generated[0] if len(generated) > 1 else sizes[0]
    large = sizes[-1]
    at_target = large != "demo" and int(large) >= 10_000
    rows, broken = [], []
    for label, role, _pattern, _everyday in who.PAGES:
        if label not in measured[large]["pages"]:  # left out by --only or --pages
            continue
        cells = [label, role]
        counts = [measured[s]["pages"][label]["sql"] for s in sizes]
        cells += [str(c) for c in counts]
        grows = measured[large]["pages"][label]["sql"] > measured[small]["pages"][label]["sql"]
        cells.append("GROWS" if grows else "same" if small != large else "")
        for s in sizes:
            r = measured[s]["pages"][label]
            cells += [f"{r['median']:.1f}", f"{r['p95']:.1f}"]
            if r["status"] != "200":
                broken.append(f"{dialect} {s} {r['url']} answered HTTP {r['status']}")
        goal = INSIGHTS_TARGET_MS if label.startswith("insights, whole") else TARGET_MS
        median = measured[large]["pages"][label]["median"]
        cpu = measured[large]["pages"][label].get("cpu")
        cells.append(f"{cpu:.1f}" if cpu is not None else "")
        cells.append(f"<= {goal:.0f} ms")
        cells.append(("met" if median <= goal else "MISSED") if at_target else "(n/a < 10k)")
        cells.append(("met" if cpu is not None and cpu <= goal else "MISSED")
                     if at_target else "")
        rows.append(cells)
    headers = ["page", "who", *[f"SQL {s}" for s in sizes], f"{small}->{large}"]
    for s in sizes:
        headers += [f"median {s}", f"p95 {s}"]
    headers += [f"CPU {large}", f"target {large}", "wall", "CPU"]
    table(f"Server time in-process on {dialect} (Flask test client; ms; SQL statements "
          f"per request)", headers, rows)
    met = sum(1 for r in rows if r[-2] == "met")
    met_cpu = sum(1 for r in rows if r[-1] == "met")
    grows = sum(1 for r in rows if r[2 + len(sizes)] == "GROWS")
    print(f"time targets met: {met} of {len(rows)} pages by wall-clock median, {met_cpu} by "
          f"CPU median (the figure to trust on a busy machine); SQL count grows with size on "
          f"{grows} pages (target: none)")
    return broken


def print_load(dialect: str, size: str, figures: dict) -> None:
    """Print requests/s under gunicorn and the ratio to the bare page."""
    bare = statistics.mean(b["rps"] for b in figures["bare"])
    rows = [["bare Flask + SQLAlchemy + Jinja, 50 people",
             " + ".join(str(b["requests"]) for b in figures["bare"]),
             " / ".join(f"{b['rps']:.0f}" for b in figures["bare"]), "100 %", "", ""]]
    for label, r in figures["pages"].items():
        ratio = r["rps"] / bare if bare else 0.0
        gap = "reached" if ratio >= RATIO_HOPE else f"{(RATIO_HOPE - ratio) * 100:.0f} pts short"
        errors = f" ({r['errors']} errors)" if r["errors"] else ""
        rows.append([label, str(r["requests"]), f"{r['rps']:.1f}{errors}",
                     f"{ratio * 100:.1f} %", "met" if ratio >= RATIO_TARGET else "MISSED", gap])
    table(f"Under gunicorn ({load.WORKERS} sync workers, production settings) on {dialect} at "
          f"{size}, client {figures['client']}", ["page", "requests", "req/s", "of bare",
                                                   ">= 20 %", "to 40 %"], rows)
    print("(bare req/s measured before and after the pages; the ratio uses their mean)")


def parse_args(argv=None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--sizes", default="demo,200,10000",
                        help="comma-separated: 'demo' and/or a number of people (generated)")
    parser.add_argument("--quick", action="store_true",
                        help="5 requests per page, 2 s of load per page: a fast pass")
    parser.add_argument("--requests", type=int, default=None, help="timed GETs per page")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds of timed GETs per page before stopping early")
    parser.add_argument("--pg-url", default=PG_URL, help="PostgreSQL database to use "
                        "(its public schema holds the cached organisation)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generator")
    parser.add_argument("--no-load", dest="load", action="store_false",
                        help="skip the gunicorn part")
    parser.add_argument("--load-only", action="store_true",
                        help="only the gunicorn part (at the largest of --sizes)")
    parser.add_argument("--load-seconds", type=float, default=None,
                        help="seconds of load per page (default 5, 2 with --quick)")
    parser.add_argument("--load-requests", type=int, default=20_000,
                        help="requests per page at most (Python client only; wrk is bounded "
                             "by time)")
    parser.add_argument("--connections", type=int, default=4, help="load client connections")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--pages", default="",
                        help="only the pages whose label contains this, e.g. 'insights'")
    parser.add_argument("--only", help="comma-separated page labels to measure (e.g. "
                        "'team,people'); default: every page")
    args = parser.parse_args(argv)
    labels = [label for label, *_rest in who.PAGES]
    args.only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    for unknown in set(args.only or ()) - set(labels):
        parser.error(f"--only: no page labelled {unknown!r}; the labels: {', '.join(labels)}")
    if args.load_only and not args.load:
        parser.error("--load-only and --no-load exclude each other")
    args.sizes = sorted(dict.fromkeys(s.strip() for s in args.sizes.split(",") if s.strip()),
                        key=lambda s: -1 if s == "demo" else int(s))
    if args.load_only:
        args.sizes = args.sizes[-1:]
    args.requests = args.requests or (5 if args.quick else 20)
    args.warmup = 1 if args.quick else 2
    args.budget = args.budget or (3.0 if args.quick else 10.0)
    args.load_seconds = args.load_seconds or (2.0 if args.quick else 5.0)
    return args


def main(argv=None) -> int:
    """Measure, print, exit 1 only if a page did not answer 200."""
    args = parse_args(argv)
    dialects = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    workdir = tempfile.TemporaryDirectory(prefix="pdplanner-pages-")
    os.environ["PDPLANNER_INSTANCE"] = workdir.name  # keep the repository's instance/ untouched
    print(f"pdplanner pages benchmark: sizes {', '.join(args.sizes)}; up to {args.requests} "
          f"timed GETs per page ({args.budget:g} s budget) after {args.warmup} warm-up; "
          f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f} at start")
    everything, broken = {}, []
    for dialect in dialects:
        measured = {size: measure_size(dialect, size, args, workdir.name) for size in args.sizes}
        if not args.load_only:
            broken += print_pages(dialect, args.sizes, measured)
        everything[dialect] = {"in_process": measured}
        if args.load:
            largest = measured[args.sizes[-1]]
            pages = [(label, role, url) for label, role, url, everyday in who.urls(
                largest["info"]) if everyday and wanted(label, args)]
            logins = {role: (email, largest["password"])
                      for role, email in largest["roles"].items()}
            figures = load.run(largest["url"], pages, logins, args.load_seconds,
                               args.load_requests, args.connections, log)
            print_load(dialect, args.sizes[-1], figures)
            everything[dialect]["load"] = figures
        if args.json:  # after each database, so a later failure keeps these figures
            with open(args.json, "w", encoding="utf-8") as out:
                json.dump(everything, out, indent=1, default=str)
    for problem in broken:
        print(f"\nWARNING: {problem}; its timings are not meaningful.")
    workdir.cleanup()
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
