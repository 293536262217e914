"""How a post reaches a channel. One adapter per `choices.Adapter` value; the default speaks HTTP
with a JSON body (docs/newmedia.md, "Adapter contract"):

    POST <endpoint>            Content-Type: application/json; charset=utf-8
    Idempotency-Key: <key>     the same on every attempt of the post (<key>.takedown for its takedown)
    X-Gongkai-Event: publish | takedown
    X-Gongkai-Timestamp: <unix seconds>
    X-Gongkai-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body, keyed with the secret>

The channel answers 2xx with `{"id": "...", "url": "https://..."}` (a repeated key answers the
first post's id and url, and posts nothing); a takedown is done on 2xx, 404 or 410. A timeout, a
refused connection, 408, 425, 429 and 5xx are retried; any other answer is final.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from django.utils.translation import gettext as _

from gongkai.newmedia.choices import Adapter, AttemptKind, Outcome
from gongkai.newmedia.models import Channel

USER_AGENT = "Gongkai-newmedia/1"
RESPONSE_LIMIT = 64 * 1024  # bytes of an answer read; the excerpt kept is shorter
EXCERPT = 2000
TRANSIENT_STATUSES = frozenset({408, 425, 429})
TAKEDOWN_DONE = frozenset({404, 410})


@dataclass(frozen=True)
class Result:
    outcome: str
    status: int | None = None
    external_id: str = ""
    external_url: str = ""
    error: str = ""
    response: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK

    @property
    def transient(self) -> bool:
        """Worth another attempt later: the channel was unreachable, slow or overloaded."""
        if self.outcome in (Outcome.TIMEOUT, Outcome.CONNECTION):
            return True
        return self.status is not None and (self.status >= 500 or self.status in TRANSIENT_STATUSES)


class ChannelAdapter(Protocol):
    def send(self, channel: Channel, kind: str, key: str, payload: dict[str, Any]) -> Result: ...


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): the same for every attempt of a post."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def _external_url(value: object) -> str:
    text = str(value or "").strip()
    if (
        len(text) > 500
        or not text.lower().startswith(("https://", "http://"))
        or any(c.isspace() for c in text)
    ):
        return ""
    return text


class WebhookJSON:
    """HTTP POST of the prepared body as JSON, signed with the channel's shared secret."""

    def send(self, channel: Channel, kind: str, key: str, payload: dict[str, Any]) -> Result:
        body = body_bytes(payload)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Idempotency-Key": key,
            "X-Gongkai-Event": kind,
            "X-Gongkai-Timestamp": timestamp,
            "X-Gongkai-Signature": signature(channel.secret or "", timestamp, body),
        }
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        timeout = float(channel.timeout_seconds)
        try:
            with requests.post(
                channel.endpoint_url,
                data=body,
                headers=headers,
                timeout=(min(timeout, 5.0), timeout),
                allow_redirects=False,
                stream=True,
            ) as response:
                raw = response.raw.read(RESPONSE_LIMIT, decode_content=True) or b""
                status = response.status_code
        except requests.Timeout as exc:
            return Result(Outcome.TIMEOUT, error=f"{type(exc).__name__}: {exc}"[:1000], duration_ms=elapsed())
        except requests.RequestException as exc:
            return Result(
                Outcome.CONNECTION, error=f"{type(exc).__name__}: {exc}"[:1000], duration_ms=elapsed()
            )
        except OSError as exc:  # a read timing out inside the body
            return Result(Outcome.TIMEOUT, error=f"{type(exc).__name__}: {exc}"[:1000], duration_ms=elapsed())
        text = raw.decode("utf-8", errors="replace")
        excerpt = text[:EXCERPT]
        if kind == AttemptKind.TAKEDOWN and status in TAKEDOWN_DONE:
            return Result(Outcome.OK, status, response=excerpt, duration_ms=elapsed())
        if not 200 <= status < 300:
            return Result(
                Outcome.HTTP_ERROR, status, error=f"HTTP {status}", response=excerpt, duration_ms=elapsed()
            )
        try:
            answer = json.loads(text) if text.strip() else {}
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            if kind == AttemptKind.TAKEDOWN:
                return Result(Outcome.OK, status, response=excerpt, duration_ms=elapsed())
            # Accepted (2xx) but unreadable: the post is there; only its link is unknown.
            return Result(
                Outcome.OK,
                status,
                error=_("应答不是 JSON 对象，未取得渠道链接。"),
                response=excerpt,
                duration_ms=elapsed(),
            )
        return Result(
            Outcome.OK,
            status,
            external_id=str(answer.get("id") or "")[:200],
            external_url=_external_url(answer.get("url")),
            response=excerpt,
            duration_ms=elapsed(),
        )


ADAPTERS: dict[str, ChannelAdapter] = {Adapter.WEBHOOK_JSON: WebhookJSON()}


def adapter_for(channel: Channel) -> ChannelAdapter:
    return ADAPTERS[channel.adapter]
