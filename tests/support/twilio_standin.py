"""A stand-in for Twilio's REST API: a small HTTP server the tests start.

Serves what our code calls: message create and list, media download and
delete (with basic auth), the Content API's template create (JSON, as
content.twilio.com takes it), and can post signed status callbacks back to us.
A message naming a template made here (ContentSid) must give ContentVariables
as a JSON object with exactly that template's variables, as Twilio requires.
`fail_next` queues error responses (e.g. 500, 429, 400) for message create;
`delay` slows every create down (for crash tests); `slow_replies` accepts the
next messages but answers too late (a timeout after Twilio took the message).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

import httpx
from twilio.request_validator import RequestValidator

MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")
CONTENT = re.compile(r"^/v1/Content$")
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
MEDIA = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages/(\w+)/Media/(\w+?)(\.json)?$")


@dataclass
class StandIn:
    account_sid: str
    auth_token: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    deleted_media: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    delay: float = 0.0
    slow_replies: int = 0  # the next N accepted messages are answered after `slow_seconds`
    slow_seconds: float = 1.0
    contents: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def add_media(self, data: bytes, content_type: str, *, message_sid: str | None = None
                  ) -> str:
        """Host a file as Twilio would; returns its MediaUrl."""
        message_sid = message_sid or "MM" + uuid.uuid4().hex
        media_sid = "ME" + uuid.uuid4().hex
        with self.lock:
            self.media[media_sid] = (data, content_type)
        return (f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages/"
                f"{message_sid}/Media/{media_sid}")

    def sent_to(self, phone: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["To"] == f"whatsapp:{phone}"]

    def post_status(self, message: dict[str, Any], status: str, *, server: str
                    ) -> httpx.Response:
        """A signed delivery-status callback, as Twilio sends it to the StatusCallback URL
        (delivered to `server`, as a proxy in front of the app would)."""
        params = {"MessageSid": message["sid"], "MessageStatus": status,
                  "AccountSid": self.account_sid, "To": message["To"], "From": message["From"]}
        url = message["StatusCallback"]
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        target = server.rstrip("/") + urlparse(url).path
        return httpx.post(target, data=params, headers={"X-Twilio-Signature": signature})


def make_handler(state: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def authorised(self) -> bool:
            expected = base64.b64encode(
                f"{state.account_sid}:{state.auth_token}".encode()).decode()
            if self.headers.get("Authorization") == f"Basic {expected}":
                return True
            self.reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
            return False

        def reply(self, status: int, payload: Any = None, *, raw: bytes | None = None,
                  content_type: str = "application/json") -> None:
            body = raw if raw is not None else (
                b"" if payload is None else json.dumps(payload).encode())
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def create_content(self) -> None:
            if not self.authorised():
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                payload = json.loads(self.rfile.read(length))
            except ValueError:
                payload = None
            types = {k: v for k, v in (payload or {}).get("types", {}).items() if v is not None} \
                if isinstance(payload, dict) and isinstance(payload.get("types"), dict) else {}
            if (self.headers.get("Content-Type") != "application/json" or not types
                    or not payload.get("friendly_name") or not payload.get("language")):
                self.reply(400, {"code": 20001, "message": "friendly_name, language and types"
                                 " are required", "status": 400})
                return
            sid = "HX" + uuid.uuid4().hex
            content = {"sid": sid, "friendly_name": payload["friendly_name"],
                       "language": payload["language"], "types": types,
                       "variables": payload.get("variables") or {}}
            with state.lock:
                state.contents[sid] = content
            self.reply(201, {**content, "account_sid": state.account_sid})

        def content_problem(self, form: dict[str, str]) -> str | None:
            """Why a ContentSid message is malformed (for templates made here)."""
            content = state.contents.get(form.get("ContentSid", ""))
            if content is None:
                return None
            try:
                variables = json.loads(form.get("ContentVariables") or "{}")
            except ValueError:
                return "ContentVariables is not JSON"
            wanted = set(PLACEHOLDER.findall(json.dumps(content["types"])))
            if not isinstance(variables, dict) or set(variables) != wanted or not all(
                    isinstance(v, str) and v for v in variables.values()):
                return f"ContentVariables must give {sorted(wanted)} as strings"
            return None

        def do_POST(self) -> None:
            if CONTENT.match(urlparse(self.path).path):
                self.create_content()
                return
            if not MESSAGES.match(urlparse(self.path).path) or not self.authorised():
                if MESSAGES.match(urlparse(self.path).path) is None:
                    self.reply(404, {"message": "not found", "status": 404})
                return
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            form = dict(parse_qsl(raw.decode()))
            if len(raw) < length or not form.get("To") or not form.get("From") or not (
                    form.get("Body") or form.get("ContentSid")):
                self.reply(400, {"code": 21604, "message": "To, From and Body or ContentSid"
                                 " are required", "status": 400})
                return
            problem = self.content_problem(form) if form.get("ContentSid") else None
            if problem is not None:
                self.reply(400, {"code": 21656, "message": problem, "status": 400})
                return
            if state.delay:
                time.sleep(state.delay)
            with state.lock:
                failure = state.fail_next.pop(0) if state.fail_next else None
                if failure is None:
                    message = {**form, "sid": "SM" + uuid.uuid4().hex, "status": "queued",
                               "date_created": time.strftime("%a, %d %b %Y %H:%M:%S +0000",
                                                             time.gmtime())}
                    state.messages.append(message)
            if failure is not None:
                self.reply(failure, {"code": 20500, "message": f"stand-in {failure}",
                                     "status": failure})
                return
            with state.lock:
                slow = state.slow_replies > 0
                state.slow_replies -= 1 if slow else 0
            if slow:  # accepted, but the answer is late: the caller times out
                time.sleep(state.slow_seconds)
            self.reply(201, resource(message))

        def do_GET(self) -> None:
            parsed = urlparse(self.path)
            if not self.authorised():
                return
            if MESSAGES.match(parsed.path):
                query = dict(parse_qsl(parsed.query))
                with state.lock:
                    found = [resource(m) for m in state.messages
                             if m.get("To") == query.get("To", m.get("To"))
                             and m.get("From") == query.get("From", m.get("From"))]
                self.reply(200, {"messages": found, "next_page_uri": None, "page": 0,
                                 "page_size": 1000, "uri": parsed.path})
                return
            match = MEDIA.match(parsed.path)
            if match is None or match.group(3) not in state.media:
                self.reply(404, {"message": "not found", "status": 404})
                return
            data, content_type = state.media[match.group(3)]
            with state.lock:
                state.downloads.append(match.group(3))
            self.reply(200, raw=data, content_type=content_type)

        def do_DELETE(self) -> None:
            match = MEDIA.match(urlparse(self.path).path)
            if not self.authorised():
                return
            if match is None or match.group(3) not in state.media:
                self.reply(404, {"message": "not found", "status": 404})
                return
            with state.lock:
                state.media.pop(match.group(3))
                state.deleted_media.append(match.group(3))
            self.reply(204)

    return Handler


def resource(message: dict[str, Any]) -> dict[str, Any]:
    return {"sid": message["sid"], "status": message["status"], "to": message.get("To"),
            "from": message.get("From"), "body": message.get("Body"),
            "date_created": message["date_created"], "date_sent": message["date_created"],
            "account_sid": "AC", "num_media": "0"}


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away mid-response (the crash tests kill workers)


class TwilioStandIn:
    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.state = StandIn(account_sid=account_sid, auth_token=auth_token)
        self.server = QuietServer(("127.0.0.1", 0), make_handler(self.state))
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.state.base_url = self.base_url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> TwilioStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
