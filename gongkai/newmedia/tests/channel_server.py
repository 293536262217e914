"""A real local HTTP channel for the tests: it checks every request's signature, posts each
idempotency key once (a repeat answers the first post again), takes posts down, and can be told to
fail ("fail": 503, "reject": 400), time out ("timeout": answers 504 after `slow_seconds`, posting
nothing) or answer slowly ("slow": posts, then answers after `slow_seconds`) on given calls.

    with ChannelServer(secret="s3cret") as server:
        server.script("/weibo", ["fail", "ok"])   # the first call answers 503, the next succeed
        ... endpoint_url=server.url("/weibo") ...
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes
    signed: bool
    behaviour: str
    answered: int = 0

    @property
    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Channel:
    secret: str
    scripts: dict[str, list[str]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> the post made
    taken_down: set[str] = field(default_factory=set)
    received: threading.Event = field(default_factory=threading.Event)
    made: threading.Event = field(default_factory=threading.Event)  # a post was made
    slow_seconds: float = 3.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        state = self.server.channel
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        timestamp = self.headers.get("X-Gongkai-Timestamp", "")
        expected = (
            "sha256="
            + hmac.new(state.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        )
        signed = hmac.compare_digest(expected, self.headers.get("X-Gongkai-Signature", ""))
        with state.lock:
            script = state.scripts.get(self.path, [])
            behaviour = script.pop(0) if script else "ok"
            seen = Seen(self.path, dict(self.headers.items()), body, signed, behaviour)
            state.seen.append(seen)
        state.received.set()
        if not signed:
            return self._answer(seen, 401, {"error": "bad signature"})
        if behaviour == "fail":
            return self._answer(seen, 503, {"error": "unavailable"})
        if behaviour == "reject":
            return self._answer(seen, 400, {"error": "text too long"})
        if behaviour == "timeout":
            time.sleep(state.slow_seconds)
            return self._answer(seen, 504, {"error": "late"})
        key = self.headers.get("Idempotency-Key", "")
        payload = json.loads(body)
        with state.lock:
            if payload.get("action") == "takedown":
                original = payload.get("idempotency_key", "")
                if original not in state.posts:
                    return self._answer(seen, 404, {"error": "unknown post"})
                state.taken_down.add(original)
                return self._answer(seen, 200, {"ok": True})
            if key in state.taken_down:
                return self._answer(seen, 410, {"error": "taken down"})
            post = state.posts.get(key)
            if post is None:
                number = len(state.posts) + 1
                post = {"id": f"p{number}", "url": f"https://channel.example{self.path}/p{number}"}
                state.posts[key] = post
            state.made.set()
        if behaviour == "slow":  # posted, then answered late (a kill now leaves the sender unsure)
            time.sleep(state.slow_seconds)
        return self._answer(seen, 200, post)

    def _answer(self, seen: Seen, status: int, data: dict[str, Any]) -> None:
        raw = json.dumps(data).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
            seen.answered = status
        except OSError:
            pass  # the client gave up (its timeout) or was killed


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    channel: Channel


class ChannelServer:
    def __init__(self, *, secret: str, slow_seconds: float = 3.0) -> None:
        self.state = Channel(secret=secret, slow_seconds=slow_seconds)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.channel = self.state
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> ChannelServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def script(self, path: str, behaviours: list[str]) -> None:
        with self.state.lock:
            self.state.scripts[path] = list(behaviours)

    @property
    def seen(self) -> list[Seen]:
        return list(self.state.seen)

    @property
    def posts(self) -> dict[str, dict[str, Any]]:
        return dict(self.state.posts)

    @property
    def taken_down(self) -> set[str]:
        return set(self.state.taken_down)
