"""Output shared by the benchmark scripts (each adds bench/ to its path by being run from it)."""

from __future__ import annotations


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
