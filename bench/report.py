"""Output and sign-in shared by the benchmark scripts (each adds bench/ to its path by being
run from it)."""

from __future__ import annotations

import re

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def sign_in(client, email: str, password: str) -> None:
    """Sign `client` in through the real form, CSRF token included; exit if that fails."""
    page = client.get("/auth/login").get_data(as_text=True)
    match = CSRF_RE.search(page)
    if not match:
        raise SystemExit("bench: no csrf_token on /auth/login")
    response = client.post("/auth/login", data={
        "csrf_token": match.group(1), "email": email, "password": password})
    if response.status_code != 302:
        raise SystemExit(f"bench: sign-in as {email} failed with HTTP {response.status_code}")


def table(title: str, headers: list[str], rows: list[list]) -> None:
    """Print an aligned table: first column left-aligned, the rest right-aligned."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    print(f"\n{title}")
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def target(name: str, goal: str, measured: str, met: bool) -> list[str]:
    """One row of a targets table."""
    return [name, goal, measured, "met" if met else "MISSED"]
