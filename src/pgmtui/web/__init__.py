"""`pgmtui serve`: the dashboard in a browser (needs the `web` extra; see web/server.py)."""
