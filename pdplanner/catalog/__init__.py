"""Core values, strategic priorities, skills and employee-proposed topics."""
