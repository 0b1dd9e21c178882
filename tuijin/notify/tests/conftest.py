"""A fake group robot: a real HTTP server on 127.0.0.1 that records what the senders post."""

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

OK = {"errcode": 0, "errmsg": "ok"}
SIGN_NOT_MATCH = {"errcode": 310000, "errmsg": "sign not match"}
TOO_FAST = {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}


@dataclass
class Received:
    """One POST as the robot saw it."""

    path: str
    query: dict  # name -> value, URL-decoded (last value wins)
    headers: dict  # lower-case name -> value
    raw: bytes
    json: object = None
    at: float = 0.0  # time.time() when it arrived (pinned by time-machine in tests)


@dataclass
class Receiver:
    host: str
    port: int
    requests: list = field(default_factory=list)
    # Failures to serve before answering OK again: ("http", status) or ("errcode", body).
    _failures: list = field(default_factory=list)
    # Like the real robots: refuse what goes beyond this many a minute (None: no limit).
    per_minute: int | None = None
    refused: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/robot/send?access_token=abc") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def fail_next(
        self, count: int = 1, kind: str = "http", *, status: int = 500, body: dict | None = None
    ):
        """Fail the next ``count`` requests: kind "http" answers ``status`` (500), kind
        "errcode" answers 200 with ``body`` (default: DingTalk's 310000 sign not match)."""
        if kind not in {"http", "errcode"}:
            raise ValueError(kind)
        failure = (kind, status) if kind == "http" else (kind, body or SIGN_NOT_MATCH)
        with self._lock:
            self._failures.extend([failure] * count)

    @property
    def last(self) -> Received:
        assert self.requests, "the receiver got no request"
        return self.requests[-1]

    def _record_and_answer(self, received: Received) -> tuple[int, dict]:
        with self._lock:
            if self.per_minute is not None:
                recent = [r for r in self.requests if r.at > received.at - 60]
                if len(recent) >= self.per_minute:
                    self.refused.append(received)
                    return 200, TOO_FAST
            self.requests.append(received)
            failure = self._failures.pop(0) if self._failures else None
        if failure is None:
            return 200, OK
        kind, detail = failure
        if kind == "http":
            return detail, {"error": "internal error"}
        return 200, detail


def _handler_for(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        timeout = 5  # a stuck client cannot hold a handler thread for long

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                parsed = json.loads(raw.decode("utf-8"))
            except ValueError:
                parsed = None
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
            received = Received(
                path=parts.path,
                query=query,
                headers={k.lower(): v for k, v in self.headers.items()},
                raw=raw,
                json=parsed,
                at=time.time(),
            )
            status, answer = receiver._record_and_answer(received)
            self._reply(status, answer)

        def do_GET(self):
            self._reply(405, {"errcode": 405, "errmsg": "method not allowed"})

        def _reply(self, status: int, answer: dict):
            data = json.dumps(answer).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # keep test output quiet
            pass

    return Handler


@pytest.fixture
def receiver(monkeypatch):
    """A running fake robot on 127.0.0.1 (free port); shut down after the test."""
    # A developer's HTTP(S)_PROXY must not swallow requests to the local server.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    rec = Receiver(host="127.0.0.1", port=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(rec))
    server.daemon_threads = True
    rec.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run on-commit work (the queued sends) as a real commit would, inside a test
    transaction: ``with committed(): assign_item(...)``."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
