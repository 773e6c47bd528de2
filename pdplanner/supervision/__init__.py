"""Supervision: schedules, sessions, agendas, reviews of goals, agreed actions."""
