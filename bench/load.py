"""Pages under gunicorn (2 sync workers, production settings) with wrk, against a bare page.

wrk (Debian package `wrk`) is used when it is on PATH; otherwise a bounded Python client
(threads, one http.client connection per request like wrk's against sync workers) stands in,
and the script says so. Each measurement stops after `seconds` or `max_requests`.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

from report import CSRF_RE

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
WORKERS = 2
WARMUP = 4  # requests before measuring: both workers load their templates and caches
MAX_SECONDS = 60.0  # the longest a slow page is measured
#: Seconds a request may take: a slow page can queue behind the last load's requests (a sync
#: worker finishes a request whose client has gone); gunicorn's own 30 s limit still applies.
TIMEOUT = 120


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn serving `app` (a module:variable) on 127.0.0.1, stopped on exit."""

    def __init__(self, app: str, database_url: str, chdir: Path):
        self.port = free_port()
        self.instance = tempfile.TemporaryDirectory(prefix="pdplanner-load-")
        env = dict(os.environ, PDPLANNER_CONFIG="production", DATABASE_URL=database_url,
                   SECRET_KEY=secrets.token_urlsafe(48), PDPLANNER_INSTANCE=self.instance.name)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--worker-class",
             "sync", "--bind", f"127.0.0.1:{self.port}", "--chdir", str(chdir),
             "--log-level", "warning", app],
            env=env, cwd=chdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited:\n{self.process.stderr.read().decode()}")
            try:
                status, _headers, _body = request(self.port, "GET", "/health")
                if status < 500:
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("bench: gunicorn did not answer within 60 s")

    def __exit__(self, *_exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stderr.close()
        self.instance.cleanup()


def request(port: int, method: str, url: str, headers=None, body: str | None = None):
    """One request on a fresh connection: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, url, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the real form (CSRF included); return the Cookie header to reuse."""
    from urllib.parse import urlencode

    jar: dict[str, str] = {}

    def keep(headers):
        for name, value in headers:
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    jar[key] = morsel.value

    _status, headers, page = request(port, "GET", "/auth/login")
    keep(headers)
    match = CSRF_RE.search(page.decode())
    if not match:
        raise SystemExit("bench: no csrf_token on /auth/login under gunicorn")
    form = urlencode({"csrf_token": match.group(1), "email": email, "password": password})
    status, headers, _body = request(port, "POST", "/auth/login", {
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "Content-Type": "application/x-www-form-urlencoded"}, form)
    keep(headers)
    if status != 302:
        raise SystemExit(f"bench: sign-in as {email} under gunicorn failed (HTTP {status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def measure(port: int, url: str, cookie: str | None, seconds: float, max_requests: int,
            connections: int) -> dict:
    """Requests/s of `url`, after warm-up requests; wrk if installed, else Python."""
    headers = {"Cookie": cookie} if cookie else {}
    start = time.perf_counter()
    statuses = {request(port, "GET", url, headers)[0] for _ in range(WARMUP)}
    if statuses != {200}:
        return {"rps": 0.0, "requests": 0, "errors": WARMUP, "status": sorted(statuses)}
    # A slow page gets longer, so that each connection completes a few requests (wrk counts
    # only the requests that finish in time): up to MAX_SECONDS.
    each = (time.perf_counter() - start) / WARMUP
    seconds = max(seconds, min(MAX_SECONDS, 3 * each * connections / WORKERS))
    if shutil.which("wrk"):
        return _wrk(port, url, cookie, seconds, connections)
    return _python(port, url, headers, seconds, max_requests, connections)


def _wrk(port: int, url: str, cookie: str | None, seconds: float, connections: int) -> dict:
    """Run wrk for `seconds` with `connections` connections on one thread."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout",
               f"{TIMEOUT}s", f"http://127.0.0.1:{port}{url}"]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    done = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    return {"seconds": seconds, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": done, "errors": (int(bad.group(1)) if bad else 0)
            + (sum(int(g) for g in errors.groups()) if errors else 0), "status": [200]}


def _python(port, url, headers, seconds, max_requests, connections) -> dict:
    """A bounded client: `connections` threads until `seconds` or `max_requests` in all."""
    lock, counts = threading.Lock(), {"done": 0, "errors": 0}
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if counts["done"] + counts["errors"] >= max_requests:
                    return
            try:
                ok = request(port, "GET", url, headers)[0] == 200
            except OSError:
                ok = False
            with lock:
                counts["done" if ok else "errors"] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "rps": counts["done"] / elapsed, "requests": counts["done"],
            "errors": counts["errors"], "status": [200]}


def run(database_url: str, pages, logins: dict[str, tuple[str, str]], seconds: float,
        max_requests: int, connections: int, log) -> dict:
    """Measure the bare page, then each everyday page, then the bare page again."""
    if not shutil.which("wrk"):
        log("wrk is not installed (apt-get install wrk): using the bounded Python client "
            "instead; its own CPU use lowers every figure, so compare ratios, not req/s")
    bare = []
    with Server("bare_app:app", database_url, BENCH) as server:
        bare.append(measure(server.port, "/", None, seconds, max_requests, connections))
    results = {}
    with Server("pdplanner.wsgi:app", database_url, ROOT) as server:
        cookies = {role: sign_in(server.port, *login) for role, login in logins.items()}
        for label, role, url in pages:
            log(f"  load: {label} {url}")
            try:
                results[label] = measure(server.port, url, cookies[role], seconds,
                                         max_requests, connections)
            except OSError as error:  # a timeout: the page is too slow to be measured
                log(f"  load: {label} failed: {error!r}")
                results[label] = {"seconds": 0, "rps": 0.0, "requests": 0, "errors": 1,
                                  "status": [str(error)]}
    with Server("bare_app:app", database_url, BENCH) as server:
        bare.append(measure(server.port, "/", None, seconds, max_requests, connections))
    return {"bare": bare, "pages": results,
            "client": "wrk" if shutil.which("wrk") else "python"}
