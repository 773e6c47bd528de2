"""Import staff from CSV: check every row first, then write all of them or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pdplanner.accounts.models import LANGUAGES, Level, Team, User
from pdplanner.accounts.people import normalise_email
from pdplanner.accounts.phones import default_region, e164
from pdplanner.errors import RuleViolation
from pdplanner.extensions import db

#: Accepted header spellings (English and French) for each column.
HEADERS = {
    "email": {"email", "e-mail", "courriel", "mail"},
    "name": {"name", "nom", "full name", "nom complet"},
    "team": {"team", "équipe", "equipe", "site"},
    "level": {"level", "niveau"},
    "supervisor_email": {"supervisor email", "supervisor_email", "supervisor",
                         "superviseur", "courriel superviseur", "superviseur e-mail"},
    "language": {"language", "langue"},
    "roles": {"roles", "rôles", "role", "rôle"},
    "phone": {"phone", "mobile", "téléphone", "telephone", "portable"},
    "reminder_channel": {"reminder channel", "reminder_channel", "channel", "canal",
                         "rappels", "canal des rappels"},
}
CHANNEL_WORDS = {"email": "email", "e-mail": "email", "courriel": "email", "sms": "sms",
                 "both": "both", "les deux": "both", "none": "none", "aucun": "none"}
ROLE_WORDS = {"employee": "employee", "employé": "employee", "employe": "employee",
              "hr": "hr", "rh": "hr", "admin": "admin"}
MAX_ROWS = 20000
#: No column holds more (an e-mail address is at most 254 characters).
MAX_CELL = 254


@dataclass
class Row:
    """One checked line of the file."""

    line: int
    email: str
    name: str
    team_id: int | None
    level_id: int | None
    supervisor_email: str | None
    language: str | None
    roles: set[str]
    #: E.164, or None when the cell is empty (the record keeps its number).
    phone: str | None = None
    #: email, sms, both or none; None when the cell is empty.
    reminder_channel: str | None = None


@dataclass
class ImportResult:
    """What an import did, or every reason it refused to."""

    created: int = 0
    updated: int = 0
    #: The people the import added (to invite them).
    new_people: list = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    """Decode UTF-8 with or without BOM."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleViolation("file", _l("Save the file as UTF-8 CSV and try again.")) from None


def _columns(header: list[str]) -> dict[str, int]:
    """Map our column names to their positions in the file's header."""
    found = {}
    for index, title in enumerate(header):
        key = title.strip().lower().replace("_", " ")
        for column, spellings in HEADERS.items():
            if key in spellings or key.replace(" ", "_") == column:
                found.setdefault(column, index)
    missing = [c for c in ("email", "name") if c not in found]
    if missing:
        raise RuleViolation("file", _l("The first line must name the columns; missing: %(c)s.",
                                       c=", ".join(missing)))
    return found


#: Why csv cannot read a line: a value past its field limit, or a quote left open.
UNREADABLE = _l("a value is far too long, or a quotation mark is not closed.")


def _lines(reader, errors: list[tuple[int, str]]):
    """Yield the reader's rows; a line csv cannot read becomes that line's error, and the end."""
    try:
        yield from reader
    except csv.Error:
        errors.append((reader.line_num, str(_l("This line cannot be read: %(reason)s",
                                                 reason=UNREADABLE))))


def _unfit_cell(values: list[str]) -> str | None:
    """Return why a row's cells cannot be stored (too long, a control character), or None."""
    if any(len(v) > MAX_CELL for v in values):
        return str(_l("A value is longer than %(n)d characters.", n=MAX_CELL))
    if any(ord(ch) < 32 and ch != "\t" for v in values for ch in v):
        return str(_l("A value holds an invisible control character (such as NUL or a line "
                      "break); remove it."))
    return None


def parse(raw: bytes) -> tuple[list[Row], list[tuple[int, str]]]:
    """Read and check every row; return the good rows and (line, reason) for each bad one."""
    text = _decode(raw)
    if not text.strip():
        raise RuleViolation("file", _l("The file is empty."))
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # newline=None reads CR-only (old Mac, some exports) and CRLF files like LF ones.
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    try:
        cols = _columns(next(reader))
    except csv.Error:
        raise RuleViolation("file", _l("Line 1 cannot be read: %(reason)s",
                                       reason=UNREADABLE)) from None
    teams = {t.name.lower(): t.id for t in db.session.scalars(select(Team))}
    levels = {lv.name.lower(): lv.id for lv in db.session.scalars(select(Level))}
    rows, errors, seen, seen_phones = [], [], {}, {}
    region = default_region()
    phones = dict(db.session.execute(select(User.phone, User.email).where(
        User.phone.is_not(None))).all()) if "phone" in cols else {}

    def cell(values: list[str], column: str) -> str:
        index = cols.get(column)
        return values[index].strip() if index is not None and index < len(values) else ""

    for values in _lines(reader, errors):
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append((line, str(_l("Too many rows (at most %(n)d).", n=MAX_ROWS))))
            break
        if problem := _unfit_cell(values):
            errors.append((line, problem))
            continue
        problems = []
        try:
            email = normalise_email(cell(values, "email"))
        except RuleViolation as exc:
            email, problems = "", [str(exc.message)]
        if email and email in seen:
            problems.append(str(_l("E-mail repeated from line %(n)d.", n=seen[email])))
        name = cell(values, "name")
        if not 1 <= len(name) <= 120:
            problems.append(str(_l("Name must be 1 to 120 characters.")))
        team, level = cell(values, "team"), cell(values, "level")
        if team and team.lower() not in teams:
            problems.append(str(_l("Unknown team or site “%(t)s”.", t=team)))
        if level and level.lower() not in levels:
            problems.append(str(_l("Unknown level “%(l)s”.", l=level)))
        supervisor = cell(values, "supervisor_email").lower() or None
        language = cell(values, "language").lower() or None
        if language and language not in LANGUAGES:
            problems.append(str(_l("Language must be en or fr.")))
        words = [w for w in cell(values, "roles").replace("|", " ").replace(",", " ").split() if w]
        roles = {ROLE_WORDS.get(w.lower(), "?") for w in words}
        if "?" in roles:
            problems.append(str(_l("Roles must be employee, hr or admin.")))
        phone, channel = _phone(cell(values, "phone"), region, problems), None
        if phone and (phone in seen_phones or phones.get(phone, email) != email):
            problems.append(str(_l("Mobile number %(p)s belongs to someone else.", p=phone)))
        if word := cell(values, "reminder_channel").lower():
            channel = CHANNEL_WORDS.get(word)
            if channel is None:
                problems.append(str(_l("Reminder channel must be email, sms, both or none.")))
        if problems:
            errors.append((line, " ".join(problems)))
            continue
        seen[email] = line
        if phone:
            seen_phones[phone] = line
        rows.append(Row(line, email, name, teams.get(team.lower()) if team else None,
                        levels.get(level.lower()) if level else None, supervisor, language, roles,
                        phone, channel))
    return rows, errors


def _phone(value: str, region: str, problems: list[str]) -> str | None:
    """Return a cell's mobile number in E.164 (None when empty), noting why it is refused."""
    try:
        return e164(value, region)
    except ValueError:
        problems.append(str(_l("“%(p)s” is not a mobile number.", p=value)))
        return None
