"""CSV export with formula injection neutralised (ASVS V1.2.10); knows no room."""

from __future__ import annotations

import csv
import io

#: A cell starting with one of these would run as a formula in a spreadsheet.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value) -> str:
    """Return the cell as text, prefixed with ' when a spreadsheet would treat it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS):
        return "'" + text
    return text


def to_csv(header: list[str], rows: list[list]) -> str:
    """Write rows as CSV (UTF-8 with BOM added by the caller, for spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()
