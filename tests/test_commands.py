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


def _wait_for(url: str, process, seconds: float = 30) -> str:
    """Poll `url` until it answers 200 or the process dies; return the body."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds}s")


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
