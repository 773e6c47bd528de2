"""Load the configuration: the profile's class, then the environment, then keyword overrides."""

from __future__ import annotations

import importlib
import os
import secrets
from pathlib import Path

from flask import Flask

from pdplanner import paths

WEAK_SECRET_MARKERS = ("change", "secret", "dev", "test", "example")


def load_config_module():
    """Import config.py from the wheel (pdplanner.config) or the source tree (config)."""
    try:
        return importlib.import_module("pdplanner.config")
    except ModuleNotFoundError:
        return importlib.import_module("config")


def configure(app: Flask, config, overrides: dict) -> None:
    """Load the configuration class, then environment and keyword overrides."""
    module = load_config_module()
    name = config or os.environ.get("PDPLANNER_CONFIG", "development")
    app.config.from_object(module.CONFIGS[name] if isinstance(name, str) else name)
    # Tests read TEST_DATABASE_URL only, so a suite never runs against a real DATABASE_URL.
    url_variable = "TEST_DATABASE_URL" if app.config.get("TESTING") else "DATABASE_URL"
    if os.environ.get(url_variable):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ[url_variable]
    if os.environ.get("SECRET_KEY") and not app.config.get("TESTING"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config.update(overrides)
    production = name == "production" or getattr(name, "__name__", "") == "ProductionConfig"
    if production:
        check_production(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = Path(app.instance_path) / "pdplanner.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    translations = paths.resource_dir("translations")
    paths.compile_stale_translations(translations)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)


def check_production(app: Flask) -> None:
    """Refuse to start production without a database URL and a strong secret key."""
    key = app.config.get("SECRET_KEY") or ""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        raise RuntimeError("Production needs DATABASE_URL (e.g. postgresql+psycopg://…).")
    if len(key) < 32 or any(marker in key.lower() for marker in WEAK_SECRET_MARKERS):
        raise RuntimeError(
            "Production needs a strong SECRET_KEY: at least 32 random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
        )


def instance_secret_key(instance: Path) -> str:
    """Read the development secret key kept in instance/, creating it the first time."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
