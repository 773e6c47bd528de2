"""The one-command start and the production server, run as a newcomer would run them."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

#: The console script installed beside this Python (the venv may not be on PATH).
_BESIDE = Path(sys.executable).with_name("pdplanner")
PDPLANNER = str(_BESIDE) if _BESIDE.exists() else shutil.which("pdplanner")
pytestmark = pytest.mark.skipif(PDPLANNER is None, reason="the pdplanner command is not "
                                "installed (pip install -e .)")


def _cpu_seconds(pid: int) -> float:
    """Return the processor time process `pid` and its living descendants have used (read
    from /proc: after the command's name, the 2nd field is the parent, the 12th and 13th
    user and system time)."""
    used, children = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # gone meanwhile
        process = int(stat.parent.name)
        used[process] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children.setdefault(int(fields[1]), []).append(process)
    total, pending = 0.0, [pid]
    while pending:
        process = pending.pop()
        total += used.get(process, 0.0)
        pending += children.get(process, [])
    return total


def _wait_for(url: str, process, cpu_seconds: float = 30, wall_seconds: float = 600) -> str:
    """Poll `url` until it answers 200 or the process dies; return the body. The process gets
    `cpu_seconds` of processor time to answer, however long a loaded machine takes to give it
    them (and `wall_seconds` at most, should it hang without working)."""
    started = time.monotonic()
    while (_cpu_seconds(process.pid) < cpu_seconds
           and time.monotonic() - started < wall_seconds):
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {cpu_seconds} s of processor time "
                         f"({time.monotonic() - started:.0f} s of wall time)")


def _stop(process) -> str:
    """Stop a server and return what it printed."""
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


@pytest.mark.slow
def test_demo_command_migrates_seeds_and_serves(tmp_path):
    """`pdplanner demo` creates the SQLite database, seeds it, prints sign-ins and serves."""
    port = free_port()
    env = {**os.environ, "PDPLANNER_INSTANCE": str(tmp_path / "instance")}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen([PDPLANNER, "demo", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        html = _wait_for(f"http://127.0.0.1:{port}/auth/login", process)
    finally:
        output = _stop(process)
    assert 'name="email"' in html
    assert "fatoumata.coulibaly@example.org" in output and "learning-together" in output
    assert (tmp_path / "instance" / "pdplanner.db").exists()
    assert (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.slow
def test_serve_runs_gunicorn_workers(tmp_path):
    """`pdplanner serve` answers through gunicorn with several workers."""
    port = free_port()
    env = {**os.environ, "PDPLANNER_CONFIG": "production",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
           "SECRET_KEY": "Zq9-" + "p" * 44, "PDPLANNER_INSTANCE": str(tmp_path / "i")}
    process = subprocess.Popen([PDPLANNER, "serve", "--workers", "2", "--bind",
                                f"127.0.0.1:{port}"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        body = _wait_for(f"http://127.0.0.1:{port}/health", process)
    finally:
        output = _stop(process)
    assert '"status":"ok"' in body.replace(" ", "")
    assert output.count("Booting worker") == 2


def _demo_base_url(app, monkeypatch, *args: str) -> str:
    """Run `pdplanner demo` without migrating, seeding or serving; return its BASE_URL."""
    import flask_migrate
    import werkzeug.serving

    from pdplanner import demo, scheduler
    from pdplanner.cli import main

    served = {}
    monkeypatch.setattr(flask_migrate, "upgrade", lambda: None)
    monkeypatch.setattr(demo, "is_empty", lambda: False)
    monkeypatch.setattr(scheduler, "start_background", lambda app: None)
    monkeypatch.setattr(werkzeug.serving, "run_simple",
                        lambda host, port, app, **kw: served.update(url=app.config["BASE_URL"]))
    result = app.test_cli_runner().invoke(main, ["demo", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return served["url"]


def test_demo_links_in_mail_point_at_the_port_it_serves(app, monkeypatch):
    """`pdplanner demo --port 5077` e-mails links to :5077, not the default :5000."""
    monkeypatch.delenv("BASE_URL", raising=False)
    assert _demo_base_url(app, monkeypatch, "--port", "5077") == "http://127.0.0.1:5077"
    assert _demo_base_url(app, monkeypatch, "--host", "0.0.0.0", "--port", "8080") \
        == "http://localhost:8080"  # noqa: S104 - the demo's own option, not a bind here


def test_demo_keeps_a_configured_base_url(app, monkeypatch):
    """A BASE_URL set by the person running the demo wins over the host and port."""
    monkeypatch.setenv("BASE_URL", "https://pd.example.org")
    app.config["BASE_URL"] = "https://pd.example.org"
    assert _demo_base_url(app, monkeypatch, "--port", "5077") == "https://pd.example.org"


def test_demo_base_url_for_ipv6_host():
    """An IPv6 host is bracketed in the address."""
    from pdplanner.demo import base_url

    assert base_url("::1", 5077) == "http://[::1]:5077"
