"""Every route of app.url_map, fed the worst inputs, answers something other than 500."""
# ruff: noqa: F811

import re
from datetime import date
from html import unescape

import pytest

# `world` is the authorization matrix's fixture, taken below by that name (hence F811 off).
from tests.test_authorization import _fill, world  # noqa: F401

#: Tried as signed-in personas in this order; the first that may see a page walks its forms.
PERSONAS = ["anonymous", "owner", "supervisor", "hr", "admin"]
#: Pages that sign out whoever opens them (a reset or invitation link).
SIGNS_OUT = {"identity.reset_password", "identity.welcome"}
#: Numbers no id column holds: past 32-bit (PostgreSQL integer), past 64-bit, negative.
HUGE_INTS = ["2147483648", "99999999999999999999", "-1", "0"]
#: Query parameters the pages read, each given every bad number and a NUL.
QUERY_NAMES = ["page", "team", "level", "skill", "partner", "months", "q", "status", "kind",
               "metric", "present", "outcome", "next"]
QUERY_VALUES = [*HUGE_INTS, "abc", "1e5", "\x00", "x\x00y", "9" * 400]
#: Values every visible field is given, one field at a time.
ANY_FIELD = ["a\x00b", "x" * 5000]
NUMERIC = ["99999999999999999999", "-1", "1e5", "1.0"]
DATES = ["0000-01-01", "0001-01-01", "99999-12-31", "9999-12-31", "2026-02-30"]
TIMES = ["25:61", "24:00"]
CHOICES = ["Mars/Olympus"]

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
INPUT_RE = re.compile(r"<input\b([^>]*)>", re.I)
TEXTAREA_RE = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.S | re.I)
SELECT_RE = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S | re.I)
OPTION_RE = re.compile(r"<option\b([^>]*)>", re.I)


def _attr(attrs: str, name: str) -> str | None:
    """Return one attribute's unescaped value from a tag's attribute text."""
    found = re.search(rf'\b{name}="([^"]*)"', attrs)
    if found:
        return unescape(found.group(1))
    return name if re.search(rf"\b{name}\b", attrs) else None


def _baseline(kind: str, value: str | None) -> str:
    """Return a valid-looking value for an empty field of this kind."""
    if value:
        return value
    return {"email": "walker@example.org", "date": date.today().isoformat(), "time": "10:00",
            "number": "1", "password": "a long enough password", "hidden": "",
            "url": "https://example.org"}.get(kind, "Some text")


def _forms(html: str, page: str) -> list[dict]:
    """Parse each POST form: its action and fields as {name: (kind, baseline value)}."""
    forms = []
    for attrs, body in FORM_RE.findall(html):
        if (_attr(attrs, "method") or "get").lower() != "post" or "multipart" in attrs:
            continue
        fields: dict[str, tuple[str, str]] = {}
        for tag in INPUT_RE.findall(body):
            name, kind = _attr(tag, "name"), (_attr(tag, "type") or "text").lower()
            if not name or kind in ("submit", "button", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if name not in fields or _attr(tag, "checked"):
                    fields[name] = (kind, _attr(tag, "value") or "y")
                continue
            fields[name] = (kind, _baseline(kind, _attr(tag, "value")))
        for tag, text in TEXTAREA_RE.findall(body):
            fields[_attr(tag, "name")] = ("textarea", unescape(text).strip() or "Some text")
        for tag, options in SELECT_RE.findall(body):
            values = [(_attr(o, "value") or "", _attr(o, "selected")) for o in
                      OPTION_RE.findall(options)]
            chosen = [v for v, sel in values if sel] or [v for v, _ in values if v] or [""]
            fields[_attr(tag, "name")] = ("select", chosen[0])
        forms.append({"action": _attr(attrs, "action") or page, "fields": fields})
    return forms


def _bad_values(kind: str) -> list[str]:
    """Return the worst inputs for a field of this kind."""
    if kind == "date":
        return [*ANY_FIELD, *DATES]
    if kind == "time":
        return [*ANY_FIELD, *TIMES]
    if kind in ("hidden", "select", "number", "radio", "checkbox"):
        return [*ANY_FIELD, *NUMERIC, *CHOICES]
    return ANY_FIELD


def _status(call, *args, **kwargs) -> int | str:
    """Run one request; return its status, or the exception a 500 would have hidden."""
    try:
        response = call(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the walker reports every crash, then fails
        return f"500 {type(exc).__name__}: {str(exc)[:120]}"
    response.close()
    return response.status_code


def _client_as(make_client, world, persona):
    """Return a client signed in as `persona` (or anonymous)."""
    client = make_client()
    if persona != "anonymous":
        assert client.login(world["emails"][persona]).status_code == 302
    return client


def _get_urls(app, world):
    """Yield (endpoint, url) for every GET route, with the world's real ids."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" in rule.methods and rule.endpoint != "static":
            yield rule.endpoint, _fill(rule.rule, {**world["ids"],
                                                   **world["params"].get(rule.endpoint, {})})


def _discover(app, make_client, world):
    """Return each distinct form on every page with the persona who sees it."""
    clients = {p: _client_as(make_client, world, p) for p in PERSONAS}
    seen, found = set(), []
    for endpoint, url in _get_urls(app, world):
        for persona, client in clients.items():
            if endpoint in SIGNS_OUT and persona != "anonymous":
                continue
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            for form in _forms(response.get_data(as_text=True), url):
                key = (form["action"], tuple(sorted(form["fields"])))
                if key not in seen and form["action"] not in ("/auth/logout",):
                    seen.add(key)
                    found.append({**form, "persona": persona, "page": url})
    return found


def test_huge_and_negative_ids_in_paths_never_answer_500(app, make_client, world):
    """Each <int:…> part given numbers past the column's range answers 404, never 500."""
    clients = {p: _client_as(make_client, world, p) for p in PERSONAS[1:]}
    failures = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if "Integer" in type(conv).__name__]
        for name in ints:
            for bad in HUGE_INTS:
                ids = {**world["ids"], **world["params"].get(rule.endpoint, {}), name: bad}
                url = _fill(rule.rule, ids)
                for persona, client in clients.items():
                    status = _status(client.get if "GET" in rule.methods
                                     else client.post_form, url)
                    # Past the column's range no route matches; 0 is in range, and missing.
                    if status != 404 and not (bad == "0" and status in (403, 404)):
                        failures.append(f"{url} as {persona}: {status}")
    assert not failures, "\n".join(failures)


def test_bad_query_parameters_never_answer_500(app, make_client, world):
    """Every page, given huge, negative, non-numeric or NUL query parameters, is not a 500."""
    clients = {p: _client_as(make_client, world, p) for p in ("supervisor", "hr")}
    failures = []
    for endpoint, url in _get_urls(app, world):
        for value in QUERY_VALUES:
            for persona, client in clients.items():
                if endpoint in SIGNS_OUT:
                    continue
                status = _status(client.get, url,
                                 query_string=dict.fromkeys(QUERY_NAMES, value))
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"{url}?…={value[:20]!r} as {persona}: {status}")
    assert not failures, "\n".join(failures)


#: Names views read from request.form directly, besides the form classes' fields.
RAW_NAMES = ["decision", "kind", "action", "form", "language", "kinds", "adoption_id", "next"]


def _every_field_name() -> set[str]:
    """Return the name of every field of every form class, and the raw names views read."""
    from flask_wtf import FlaskForm
    from wtforms.fields.core import UnboundField

    names, classes = set(RAW_NAMES), [FlaskForm]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        names |= {n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField)}
    return names


@pytest.mark.parametrize("bad", ["a\x00b", "99999999999999999999", "x" * 5000],
                         ids=["nul", "huge", "long"])
def test_every_post_route_given_every_field_badly_never_answers_500(
        app, make_client, world, bad):
    """Each POST route, every known field name set to one bad value, answers no 500."""
    names = _every_field_name()
    assert {"title", "version", "token", "email"} <= names
    # The admin reaches HR's and the admin's routes; the owner and supervisor their own.
    clients = {p: _client_as(make_client, world, p) for p in ("owner", "supervisor", "admin")}
    tokens = {p: client.csrf_token() for p, client in clients.items()}
    failures = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods or rule.endpoint in ("identity.logout", *SIGNS_OUT):
            continue
        url = _fill(rule.rule, {**world["ids"], **world["params"].get(rule.endpoint, {})})
        for persona, client in clients.items():
            data = {**dict.fromkeys(names, bad), "csrf_token": tokens[persona]}
            status = _status(client.post, url, data=data)
            if not isinstance(status, int) or status >= 500:
                failures.append(f"POST {url} as {persona}: {status}")
    assert not failures, "\n".join(failures)


def test_worst_form_values_never_answer_500(app, make_client, world):
    """Every form on every page, one field at a time given the worst values, is not a 500."""
    failures = []
    forms = _discover(app, make_client, world)
    assert len(forms) > 40, "the walker found too few forms"
    for form in forms:
        client = _client_as(make_client, world, form["persona"])
        token = client.csrf_token()
        for name, (kind, _value) in form["fields"].items():
            if name == "csrf_token":
                continue
            for bad in _bad_values(kind):
                data = {n: v for n, (_k, v) in form["fields"].items()}
                data.update({name: bad, "csrf_token": token})
                status = _status(client.post_form, form["action"], data)
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"{form['action']} {name}={bad[:20]!r} as "
                                    f"{form['persona']}: {status}")
    assert not failures, "\n".join(failures)
