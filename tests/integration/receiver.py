"""A real webhook receiver on 127.0.0.1: verifies every request with `standardwebhooks`.

It answers from a script first (e.g. three times 500, or 503 with Retry-After), then 200,
optionally after a delay.
Every request is kept as a `Hit` (id, when, status answered, whether the signature held);
accepted bodies are kept in arrival order.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook


@dataclass
class Hit:
    webhook_id: str
    at: float
    status: int
    verified: bool
    headers: dict[str, str]


@dataclass
class Receiver:
    secret: str | None = None
    port: int = 0
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    delay: float = 0.0  # seconds before answering (a slow receiver)
    hits: list[Hit] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                time.sleep(receiver.delay)
                status, extra = receiver.handle(body, dict(self.headers.items()))
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def handle(self, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
        lowered = {k.lower(): v for k, v in headers.items()}
        try:
            assert self.secret is not None
            payload = Webhook(self.secret).verify(body, lowered)
            verified = True
        except Exception:
            payload, verified = None, False
        with self._lock:
            status, extra = self.script.pop(0) if self.script else (200, {})
            if not verified:
                status = 400
            self.hits.append(
                Hit(lowered.get("webhook-id", ""), time.time(), status, verified, lowered)
            )
            if 200 <= status < 300:
                self.accepted.append(payload)
        return status, extra

    def accepted_ids(self) -> list[str]:
        with self._lock:
            return [p["id"] for p in self.accepted]

    def accepted_bodies(self) -> list[dict[str, Any]]:
        with self._lock:
            return json.loads(json.dumps(self.accepted))
