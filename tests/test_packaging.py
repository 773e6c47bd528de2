"""A built wheel and the editable install both find templates, migrations and translations."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pdplanner import paths

ROOT = Path(__file__).resolve().parent.parent


def test_source_install_finds_top_level_folders():
    """From a clone (editable install) the top-level folders are used."""
    for name, marker in [("templates", "base.html"), ("migrations", "env.py"),
                         ("static", "app.css"), ("translations", "fr")]:
        assert (paths.resource_dir(name) / marker).exists(), name


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel once for this module."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True)
    (built,) = out.glob("pdplanner-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_templates_migrations_and_compiled_translations(wheel):
    """The wheel carries everything the app reads at run time."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ["pdplanner/templates/base.html", "pdplanner/migrations/env.py",
                   "pdplanner/migrations/alembic.ini", "pdplanner/static/app.css",
                   "pdplanner/translations/fr/LC_MESSAGES/messages.mo", "pdplanner/config.py"]:
        assert needed in names, needed
    assert any(n.startswith("pdplanner/migrations/versions/") for n in names)


@pytest.mark.slow
def test_installed_wheel_serves_french_pages(wheel, tmp_path):
    """Installed from the wheel (away from the clone), the app renders French pages."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True)
    script = (
        "import pdplanner, sys\n"
        "from pdplanner import create_app\n"
        "from pdplanner.extensions import db\n"
        f"assert pdplanner.__file__.startswith({str(target)!r}), pdplanner.__file__\n"
        "app = create_app('test')\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        "html = app.test_client().get('/auth/login', headers={'Accept-Language': 'fr'})"
        ".get_data(as_text=True)\n"
        "assert 'Se connecter' in html, html[:500]\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "PDPLANNER_INSTANCE": str(tmp_path / "i")}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
