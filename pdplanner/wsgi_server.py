"""Run pdplanner under gunicorn from `pdplanner serve`; the scheduler is never started."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    """A gunicorn application that builds pdplanner in each worker."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        """Pass our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """Build the app (the production config unless PDPLANNER_CONFIG says otherwise)."""
        from pdplanner import create_app

        return create_app(os.environ.get("PDPLANNER_CONFIG", "production"))


def run(bind: str, workers: int) -> None:
    """Start gunicorn with `workers` worker processes on `bind`."""
    _Gunicorn({"bind": bind, "workers": workers, "accesslog": "-",
               "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")}).run()
