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
    if bucket == "login":  # failed sign-ins per account and address (accounts.services)
        return int(settings.LOGIN_MAX_FAILURES), int(settings.LOGIN_LOCKOUT_MINUTES) * 60
    limit, window = settings.RATE_LIMITS[bucket]
    return int(limit), int(window)


def _key(request: HttpRequest, bucket: str, extra: str) -> str:
    # Hashed with the server key: the counter table holds no address and no username.
    who = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}:{extra}".encode()).hexdigest()[:32]
    return f"rate:{bucket}:{who}"


def blocked(request: HttpRequest, bucket: str, extra: str = "") -> bool:
    """Whether this address (and `extra`, e.g. an account) has used up `bucket` (counts nothing)."""
    limit, _window = _limit(bucket)
    return int(caches[ALIAS].get(_key(request, bucket, extra), 0)) >= limit


def hit(request: HttpRequest, bucket: str, extra: str = "") -> int:
    """Count one event against the fixed window of this address (and `extra`); the count so far."""
    cache: Any = caches[ALIAS]
    window = _limit(bucket)[1]
    key = _key(request, bucket, extra)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def clear(request: HttpRequest, bucket: str, extra: str = "") -> None:
    caches[ALIAS].delete(_key(request, bucket, extra))


def limit(bucket: str) -> int:
    return _limit(bucket)[0]


def window_minutes(bucket: str) -> int:
    return max(1, _limit(bucket)[1] // 60)


def create_table(using: str = "default", **kwargs: Any) -> None:
    """After `migrate`: the database cache's table exists (Django's createcachetable, idempotent)."""
    from django.core.management import call_command

    if str(settings.CACHES[ALIAS]["BACKEND"]).endswith("DatabaseCache"):
        call_command("createcachetable", database=using, verbosity=0)
