"""Goals, plan activities and their occurrences, outcomes, reflections, self-assessments."""
