"""People, teams, levels, roles, sign-in and the authorization policy."""
