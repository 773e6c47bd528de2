"""Benchmark pdplanner against a bare Flask baseline: latency, throughput, memory, page weight.

Run from the repository root:

    python bench/run.py [--requests N] [--quick]

Everything runs in-process through Flask's test client (no network, no server). Memory is
measured in fresh child processes (this same script, with --memory-probe) so that the peak RSS
of one app does not leak into the other's figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import who  # bench/who.py: who opens which page
from report import sign_in, table  # bench/report.py: the script's own folder is on the path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # config.py and pdplanner/ live at the repository root

LINK_RE = re.compile(r'<link[^>]+href="(/[^"]+)"')
BUDGET = 100_000  # page-weight budget in bytes (HTML + linked CSS and favicon)
RATIO_TARGET = 8.0  # every page's median at most this many times the baseline's (issue 12)

#: Pages beyond bench/who.py's list of every page a signed-in person opens:
#: (label, role or None for anonymous, url).
EXTRA_PAGES = [
    ("people?q=diallo", "hr", "/people?q=diallo"),
    ("settings/teams", "hr", "/settings/teams"),
]


def pages_for(app) -> list[tuple[str, str | None, str]]:
    """Every page, each as the demo person who opens it: (label, role, url)."""
    info = who.describe(app, who.DEMO_ROLES)
    return [("sign-in (anonymous)", None, "/auth/login"),
            *[(label, role, url) for label, role, url, _everyday in who.urls(info)],
            *EXTRA_PAGES]


BASELINE_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }} · baseline</title>
</head>
<body>
  <header><a href="/">baseline</a>
    <nav><ul>
      {% for item in nav %}<li><a href="/{{ item }}">{{ item }}</a></li>{% endfor %}
    </ul></nav>
  </header>
  <main>
    <h1>{{ title }}</h1>
    <table>
      <thead><tr><th>Name</th><th>E-mail</th><th>Team</th><th>Level</th></tr></thead>
      <tbody>
      {% for row in rows %}
        <tr><td><a href="/people/{{ loop.index }}">{{ row.name }}</a></td><td>{{ row.email }}</td>
            <td>{{ row.team }}</td><td>{{ row.level }}</td></tr>
      {% endfor %}
      </tbody>
    </table>
  </main>
</body>
</html>
"""


# --------------------------------------------------------------------------- apps


def build_baseline():
    """Build a bare Flask app: one route rendering a small Jinja template, no database."""
    from flask import Flask, render_template
    from jinja2 import DictLoader

    app = Flask("baseline")
    app.jinja_loader = DictLoader({"page.html": BASELINE_TEMPLATE})
    rows = [{"name": f"Person {i}", "email": f"person{i}@example.org",
             "team": f"Team {i % 5}", "level": f"Level {i % 4}"} for i in range(31)]
    nav = ["home", "people", "values", "settings", "profile"]

    @app.route("/")
    def page():
        return render_template("page.html", title="People", rows=rows, nav=nav)

    return app


def build_pdplanner(workdir: str):
    """Build pdplanner on a fresh SQLite file in `workdir`, seeded with the demo organisation."""
    os.environ["PDPLANNER_INSTANCE"] = workdir  # keep the repository's instance/ untouched
    from pdplanner import create_app, demo
    from pdplanner.extensions import db

    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir}/bench.db")
    with app.app_context():
        db.create_all()
        demo.seed()
    return app


def dispose_pdplanner(app) -> None:
    """Close pdplanner's database connections so the temporary folder can go."""
    from pdplanner.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def pdplanner_clients(app) -> dict:
    """Return a test client per demo role, signed in, and an anonymous one (key None)."""
    clients = {None: app.test_client()}
    for role, email in who.DEMO_ROLES.items():
        clients[role] = app.test_client()
        sign_in(clients[role], email, who.DEMO_PASSWORD)
    return clients


# --------------------------------------------------------------------------- timing


def fetch(client, url: str):
    """GET `url`, read the whole body, and return (status, body bytes)."""
    response = client.get(url)
    body = response.get_data()
    response.close()
    return response.status_code, body


def time_page(client, url: str, requests: int, warmup: int) -> dict:
    """Time `requests` GETs of `url` after `warmup` untimed ones; return the summary."""
    for _ in range(warmup):
        fetch(client, url)
    gc.collect()  # start every page from the same garbage-collector state
    samples, statuses = [], set()
    for _ in range(requests):
        start = time.perf_counter()
        status, _body = fetch(client, url)
        samples.append(time.perf_counter() - start)
        statuses.add(status)
    samples.sort()
    return {
        "status": ",".join(str(s) for s in sorted(statuses)),
        "median": statistics.median(samples) * 1000,
        "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))] * 1000,
        "rps": len(samples) / sum(samples),
    }


def count_queries(app, client, url: str) -> int:
    """Count the SQL statements one GET of `url` runs."""
    from sqlalchemy import event

    from pdplanner.extensions import db

    with app.app_context():
        engine = db.engine
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", record)
    try:
        fetch(client, url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def page_weight(client, url: str) -> tuple[int, int]:
    """Return (HTML bytes, bytes of the stylesheets and icons it links) for one page."""
    _status, html = fetch(client, url)
    assets = sum(len(fetch(client, href)[1])
                 for href in dict.fromkeys(LINK_RE.findall(html.decode("utf-8", "replace"))))
    return len(html), assets


# --------------------------------------------------------------------------- memory


def memory_probe(target: str, requests: int, trace: bool) -> dict:
    """In a fresh process: build `target`, serve requests, and report its memory peaks."""
    if trace:
        tracemalloc.start()
    start_rss = max_rss_bytes()
    with tempfile.TemporaryDirectory(prefix="pdplanner-bench-") as workdir:
        if target == "baseline":
            app = build_baseline()
            client = app.test_client()
            for _ in range(requests):
                fetch(client, "/")
        else:
            app = build_pdplanner(workdir)
            clients, pages = pdplanner_clients(app), pages_for(app)
            for i in range(requests):
                _label, role, url = pages[i % len(pages)]
                fetch(clients[role], url)
            dispose_pdplanner(app)
    result = {"rss": max_rss_bytes(), "rss_growth": max_rss_bytes() - start_rss}
    if trace:
        result["traced"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result


def max_rss_bytes() -> int:
    """Peak resident set size of this process so far, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def run_probe(target: str, requests: int, trace: bool) -> dict:
    """Run memory_probe in a child interpreter and return its figures."""
    command = [sys.executable, __file__, "--memory-probe", target, "--requests", str(requests)]
    if trace:
        command.append("--tracemalloc")
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"bench: memory probe {target} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_memory(requests: int) -> dict[str, dict]:
    """Peak RSS (plain child) and tracemalloc peak (traced child) for both apps."""
    figures = {}
    for target in ("baseline", "pdplanner"):
        figures[target] = run_probe(target, requests, trace=False)
        figures[target]["traced"] = run_probe(target, requests, trace=True)["traced"]
    return figures


# --------------------------------------------------------------------------- output




def mb(value: float) -> str:
    """Format bytes as megabytes."""
    return f"{value / 1_048_576:.1f} MB"


def kb(value: float) -> str:
    """Format bytes as kilobytes."""
    return f"{value / 1000:.1f} KB"


# --------------------------------------------------------------------------- main


def parse_args(argv=None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=None,
                        help="timed requests per page (default 300, or 30 with --quick)")
    parser.add_argument("--quick", action="store_true", help="few requests: a smoke run")
    parser.add_argument("--memory-probe", choices=["baseline", "pdplanner"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.requests is None:
        args.requests = 30 if args.quick else 300
    args.requests = max(1, args.requests)
    args.warmup = 3 if args.quick else 20
    return args


def main(argv=None) -> int:
    """Measure both apps and print the latency, memory and page-weight tables."""
    args = parse_args(argv)
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe, args.requests, args.tracemalloc)))
        return 0

    print(f"pdplanner benchmark: {args.requests} timed requests per page "
          f"after {args.warmup} warm-up, Flask test client, Python {sys.version.split()[0]}")

    # Memory first, while this process is still small: Linux carries the parent's peak RSS
    # over into a child's ru_maxrss, so probing after the apps are built would hide the figures.
    memory = measure_memory(args.requests)

    baseline_client = build_baseline().test_client()
    base = time_page(baseline_client, "/", args.requests, args.warmup)

    broken = []
    with tempfile.TemporaryDirectory(prefix="pdplanner-bench-") as workdir:
        start = time.perf_counter()
        app = build_pdplanner(workdir)
        build_seconds = time.perf_counter() - start
        clients = pdplanner_clients(app)
        timings, weights = [], []
        for label, role, url in pages_for(app):
            client = clients[role]
            result = time_page(client, url, args.requests, args.warmup)
            if result["status"] != "200":
                broken.append(f"{url} answered HTTP {result['status']}")
            result["sql"] = count_queries(app, client, url)
            timings.append((label, url, result))
            weights.append((label, *page_weight(client, url)))
        base_html, base_assets = page_weight(baseline_client, "/")
        dispose_pdplanner(app)

    rows = [["bare Flask baseline", "/", base["status"], "0", f"{base['median']:.2f}",
             f"{base['p95']:.2f}", f"{base['rps']:.0f}", "1.0x", ""]]
    for label, url, r in timings:
        ratio = r["median"] / base["median"]
        rows.append([label, url, r["status"], str(r["sql"]), f"{r['median']:.2f}",
                     f"{r['p95']:.2f}", f"{r['rps']:.0f}", f"{ratio:.1f}x",
                     "met" if ratio <= RATIO_TARGET else "MISSED"])
    table("Latency and throughput (in-process)",
          ["page", "url", "HTTP", "SQL", "median ms", "p95 ms", "req/s", "vs baseline",
           f"<= {RATIO_TARGET:.0f}x"], rows)
    met = sum(1 for row in rows[1:] if row[-1] == "met")
    print(f"target: every page <= {RATIO_TARGET:.0f}x the baseline's median; met by {met} of "
          f"{len(rows) - 1} pages")
    print(f"(building pdplanner and seeding the demo organisation took {build_seconds:.2f} s)")

    b, p = memory["baseline"], memory["pdplanner"]
    table("Memory (fresh process each: import, build, serve requests)",
          ["app", "peak RSS", "RSS growth", "tracemalloc peak"],
          [["bare Flask baseline", mb(b["rss"]), mb(b["rss_growth"]), mb(b["traced"])],
           ["pdplanner", mb(p["rss"]), mb(p["rss_growth"]), mb(p["traced"])],
           ["ratio pdplanner/baseline", f"{p['rss'] / b['rss']:.1f}x",
            f"{p['rss_growth'] / max(b['rss_growth'], 1):.1f}x",
            f"{p['traced'] / max(b['traced'], 1):.1f}x"]])


    rows = [["bare Flask baseline", kb(base_html), kb(base_assets), kb(base_html + base_assets),
             "under" if base_html + base_assets <= BUDGET else "OVER"]]
    for label, html, assets in weights:
        rows.append([label, kb(html), kb(assets), kb(html + assets),
                     "under" if html + assets <= BUDGET else "OVER"])
    table(f"Page weight (budget {kb(BUDGET)}; uncompressed)",
          ["page", "HTML", "CSS + icon", "total", "budget"], rows)

    for problem in broken:
        print(f"\nWARNING: {problem}; its timings are not meaningful.")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
