"""Local HTTP servers that speak each SMS provider's API, failures included, for the tests."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

USERNAME, PASSWORD = "AC0123456789abcdef0123456789abcdef", "secret-token-0123"


@dataclass
class Seen:
    """One request the imitation received: path, headers, raw body."""

    path: str
    headers: dict
    body: bytes
    status: int = 0

    def json(self) -> dict:
        """The body read as JSON."""
        return json.loads(self.body)

    def form(self) -> dict:
        """The body read as a form."""
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class Imitation:
    """A running imitation: what it received, and how it answers next ("ok", "timeout",
    "400", "401", "429", "500", "409")."""

    url: str
    seen: list[Seen] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    #: Message ids the gateway holds (a second POST of one answers 409).
    accepted: set = field(default_factory=set)
    server: ThreadingHTTPServer | None = None

    def next_answer(self) -> str:
        """Take the next scripted answer ("ok" once the script is spent)."""
        return self.answers.pop(0) if self.answers else "ok"


def _authorised(headers) -> bool:
    expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    return headers.get("Authorization") == expected


def _android_answer(imitation: Imitation, request: Seen, answer: str) -> tuple[int, dict]:
    """SMS Gateway for Android: POST /message, JSON in, 202 with the message's state."""
    if request.path != "/message":
        return 404, {"message": "not found"}
    if answer == "401" or not _authorised(request.headers):
        return 401, {"message": "Unauthorized"}
    data = request.json()
    if not data.get("phoneNumbers") or not data.get("textMessage", {}).get("text"):
        return 400, {"message": "phoneNumbers and textMessage.text are required"}
    if answer == "409" or data.get("id") in imitation.accepted:
        return 409, {"message": "message with such ID already exists"}
    codes = {"400": (400, {"message": "invalid phone number"}),
             "429": (429, {"message": "too many requests"}),
             "500": (500, {"message": "internal server error"})}
    if answer in codes:
        return codes[answer]
    imitation.accepted.add(data.get("id"))
    return 202, {"id": data.get("id") or "gw-1", "state": "Pending",
                 "recipients": [{"phoneNumber": data["phoneNumbers"][0], "state": "Pending"}]}


def _ok(seen: Seen) -> bool:
    return getattr(seen, "status", 0) == 202


def _twilio_answer(imitation: Imitation, request: Seen, answer: str) -> tuple[int, dict]:
    """Twilio: POST /2010-04-01/Accounts/{SID}/Messages.json, a form, 201 with the SID."""
    if request.path != f"/2010-04-01/Accounts/{USERNAME}/Messages.json":
        return 404, {"code": 20404, "message": "The requested resource was not found",
                     "status": 404}
    if answer == "401" or not _authorised(request.headers):
        return 401, {"code": 20003, "message": "Authenticate", "status": 401}
    form = request.form()
    if not form.get("To") or not form.get("Body") or not (form.get("From")
                                                          or form.get("MessagingServiceSid")):
        return 400, {"code": 21604, "message": "A 'To' phone number is required.",
                     "status": 400}
    codes = {"400": (400, {"code": 21211, "message": "The 'To' number is not a valid phone "
                                                    "number.", "status": 400}),
             "429": (429, {"code": 20429, "message": "Too Many Requests", "status": 429}),
             "500": (500, {"code": 20500, "message": "Internal Server Error", "status": 500})}
    if answer in codes:
        return codes[answer]
    number = len([s for s in imitation.seen if _ok(s)]) + 1
    return 201, {"sid": f"SM{number:032d}", "status": "queued", "to": form["To"],
                 "body": form["Body"], "num_segments": "1"}


def start(kind: str) -> Imitation:
    """Start an imitation of "android-gateway" or "twilio" on a free local port."""
    imitation = Imitation(url="")
    answer_for = _android_answer if kind == "android-gateway" else _twilio_answer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen = Seen(self.path, dict(self.headers), body)
            imitation.seen.append(seen)
            answer = imitation.next_answer()
            if answer == "timeout":
                time.sleep(3)  # longer than the tests' SMS_TIMEOUT
                return
            status, payload = answer_for(imitation, seen, answer)
            seen.status = status
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    imitation.server = server
    imitation.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return imitation


def stop(imitation: Imitation) -> None:
    """Stop the imitation and close its socket."""
    imitation.server.shutdown()
    imitation.server.server_close()
