"""Reminders: what is due, the outbox, delivery by e-mail and in-app, calendar feeds."""
