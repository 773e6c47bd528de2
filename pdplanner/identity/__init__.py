"""Identity: who may sign in and how — passwords, sessions, reset and invitation links."""
