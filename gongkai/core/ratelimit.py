"""Rate limits shared by every worker and machine: counters in the `ratelimit` cache (a database
table by default, Redis when GONGKAI_REDIS_URL is set), keyed on the client address that
core.middleware.client_address takes from a trusted proxy only.

A limit counts what the caller says to count (`hit`): an accepted application, a wrong query code —
so an honest applicant correcting a form is never blocked."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from gongkai.core.middleware import client_address

ALIAS = "ratelimit"


def _limit(bucket: str) -> tuple[int, int]:
    limit, window = settings.RATE_LIMITS[bucket]
    return int(limit), int(window)


def _key(request: HttpRequest, bucket: str) -> str:
    # The address is hashed with the server key: the counter table holds no personal data.
    who = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:32]
    return f"rate:{bucket}:{who}"


def blocked(request: HttpRequest, bucket: str) -> bool:
    """Whether this address has used up `bucket` in the current window (nothing is counted)."""
    limit, _window = _limit(bucket)
    return int(caches[ALIAS].get(_key(request, bucket), 0)) >= limit


def hit(request: HttpRequest, bucket: str) -> int:
    """Count one event against the address's fixed window; the count so far."""
    cache: Any = caches[ALIAS]
    window = _limit(bucket)[1]
    key = _key(request, bucket)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def window_minutes(bucket: str) -> int:
    return max(1, _limit(bucket)[1] // 60)


def create_table(using: str = "default", **kwargs: Any) -> None:
    """After `migrate`: the database cache's table exists (Django's createcachetable, idempotent)."""
    from django.core.management import call_command

    if str(settings.CACHES[ALIAS]["BACKEND"]).endswith("DatabaseCache"):
        call_command("createcachetable", database=using, verbosity=0)
