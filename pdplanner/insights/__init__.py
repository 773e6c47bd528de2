"""Insights: HR's (and each supervisor's) read-only view of team-wide growth."""
