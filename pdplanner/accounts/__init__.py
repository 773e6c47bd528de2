"""People, teams and sites, levels, roles, staff import, and the authorization policy."""
