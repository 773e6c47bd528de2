"""Input no form could have sent: numbers past the columns' range, NUL bytes; knows no room."""

from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from pdplanner.errors import BadInput

#: The largest id or count a column holds everywhere (PostgreSQL `integer` is 32-bit).
DB_INT_MAX = 2**31 - 1
_DIGITS = re.compile(r"\d{1,10}")


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to the columns' range, so a 20-digit id is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - Werkzeug's argument name
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def parse_int(value: str | None, *, minimum: int = 0) -> int | None:
    """Return a whole number in [minimum, DB_INT_MAX], None when empty; else raise BadInput."""
    if value is None or value == "":
        return None
    if not _DIGITS.fullmatch(value) or not minimum <= int(value) <= DB_INT_MAX:
        raise BadInput()
    return int(value)


def query_int(name: str, default: int | None = None, *, minimum: int = 0) -> int | None:
    """Read a whole-number query parameter; malformed or out of range answers 400."""
    value = parse_int(request.args.get(name, "").strip(), minimum=minimum)
    return default if value is None else value


def register_input_guards(app: Flask) -> None:
    """Bound every `<int:…>` route and refuse a NUL anywhere in the address."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_nul_in_address():
        if "\x00" in request.path or any(
                "\x00" in key or "\x00" in value
                for key, value in request.args.items(multi=True)):
            raise BadInput()
