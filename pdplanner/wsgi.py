"""WSGI entry point for any server: `gunicorn 'pdplanner.wsgi:app'`."""

from pdplanner import create_app

app = create_app()
