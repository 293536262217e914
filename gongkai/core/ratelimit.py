"""Rate limits shared by every worker and machine, keyed on the client address that
core.middleware.client_address takes from a trusted proxy only. The counters live in the database
(core.RateCounter) or, when GONGKAI_REDIS_URL is set, in Redis (the `ratelimit` cache's server).

Reserve, then refund: a caller `take`s one attempt before doing the work — one atomic increment
that answers whether the attempt is within the limit — and `give_back`s it when the attempt turns
out not to count (an invalid form, a second click, a right query code, a right password). So N
parallel requests can never all pass a check made before any of them counted, and an honest
applicant correcting a form is never blocked.

Both stores count atomically: the database with one INSERT … ON CONFLICT DO UPDATE … RETURNING
statement (SQLite ≥ 3.35 and PostgreSQL), which also starts a new fixed window once the old one
has ended; Redis with SET NX EX + INCR in one MULTI/EXEC. Neither holds an address or a username:
the key is a digest keyed with the server secret."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from gongkai.core.middleware import client_address

ALIAS = "ratelimit"

# Redis: lower a live counter by one, never below 0 and never bringing back one that expired.
_GIVE_BACK_LUA = """
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v > 0 then return redis.call('DECR', KEYS[1]) end
return 0
"""


def _limit(bucket: str) -> tuple[int, int]:
    if bucket == "login":  # failed sign-ins per account and address (accounts.services)
        return int(settings.LOGIN_MAX_FAILURES), int(settings.LOGIN_LOCKOUT_MINUTES) * 60
    limit, window = settings.RATE_LIMITS[bucket]
    return int(limit), int(window)


def _key(request: HttpRequest, bucket: str, extra: str) -> str:
    # Hashed with the server key: the counter table holds no address and no username.
    who = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}:{extra}".encode()).hexdigest()[:32]
    return f"rate:{bucket}:{who}"


def _redis() -> Any | None:
    """The `ratelimit` cache — set only when GONGKAI_REDIS_URL is (its own atomic INCR) — or None:
    the counters are in the database."""
    if ALIAS not in settings.CACHES:
        return None
    cache: Any = caches[ALIAS]
    return cache if "redis" in type(cache).__module__ else None


# -- the database: core.RateCounter --------------------------------------------------------------


def _counter_model() -> Any:
    from gongkai.core.models import RateCounter

    return RateCounter


def _db_take(key: str, window: int, now: dt.datetime) -> int:
    """Count one against `key` in one statement; the count after it (1 when a window starts)."""
    model = _counter_model()
    connection = connections[router.db_for_write(model)]
    q = connection.ops.quote_name
    table, count, ends = q(model._meta.db_table), q("count"), q("window_ends")
    adapt = connection.ops.adapt_datetimefield_value
    ended = f"{table}.{ends} <= %s"
    # Only this model's quoted names go into the text; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({q('key')}, {count}, {ends}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({q('key')}) DO UPDATE SET "
        f"{count} = CASE WHEN {ended} THEN 1 ELSE {table}.{count} + 1 END, "
        f"{ends} = CASE WHEN {ended} THEN EXCLUDED.{ends} ELSE {table}.{ends} END "
        f"RETURNING {count}"
    )
    stamp = adapt(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, adapt(now + dt.timedelta(seconds=window)), stamp, stamp])
        row = cursor.fetchone()
    return int(row[0])


def _db_give_back(key: str, now: dt.datetime) -> None:
    _counter_model().objects.filter(key=key, count__gt=0, window_ends__gt=now).update(count=F("count") - 1)


def _db_count(key: str, now: dt.datetime) -> int:
    found = _counter_model().objects.filter(key=key, window_ends__gt=now).values_list("count", flat=True)
    return int(found.first() or 0)


# -- Redis ---------------------------------------------------------------------------------------


def _redis_take(cache: Any, key: str, window: int) -> int:
    full = cache.make_and_validate_key(key)
    client = cache._cache.get_client(full, write=True)
    pipe = client.pipeline(transaction=True)  # MULTI/EXEC: the key cannot expire between the two
    pipe.set(full, 0, ex=window, nx=True)
    pipe.incr(full)
    return int(pipe.execute()[1])


def _redis_give_back(cache: Any, key: str) -> None:
    full = cache.make_and_validate_key(key)
    cache._cache.get_client(full, write=True).eval(_GIVE_BACK_LUA, 1, full)


# -- the API -------------------------------------------------------------------------------------


def take(request: HttpRequest, bucket: str, extra: str = "") -> bool:
    """Count one attempt of this address (and `extra`, e.g. an account) against `bucket`, atomically;
    whether it is within the limit (the count after it ≤ the limit). A refused attempt is not kept:
    the counter stays at the limit until the window ends. An attempt that turns out not to count
    is returned with `give_back`."""
    most, window = _limit(bucket)
    key = _key(request, bucket, extra)
    cache = _redis()
    counted = _redis_take(cache, key, window) if cache is not None else _db_take(key, window, timezone.now())
    if counted <= most:
        return True
    give_back(request, bucket, extra)
    return False


def give_back(request: HttpRequest, bucket: str, extra: str = "") -> None:
    """Return one attempt taken with `take` that must not count (never below 0)."""
    key = _key(request, bucket, extra)
    cache = _redis()
    if cache is not None:
        _redis_give_back(cache, key)
    else:
        _db_give_back(key, timezone.now())


def count(request: HttpRequest, bucket: str, extra: str = "") -> int:
    """The attempts counted so far in the current window (reads only: decide with `take`)."""
    key = _key(request, bucket, extra)
    cache = _redis()
    if cache is not None:
        return int(cache.get(key, 0))
    return _db_count(key, timezone.now())


def blocked(request: HttpRequest, bucket: str, extra: str = "") -> bool:
    """Whether this address (and `extra`) has used up `bucket` — to show, never to decide: two
    requests may both read "not yet" (decide with `take`)."""
    return count(request, bucket, extra) >= limit(bucket)


def clear(request: HttpRequest, bucket: str, extra: str = "") -> None:
    key = _key(request, bucket, extra)
    cache = _redis()
    if cache is not None:
        cache.delete(key)
    else:
        _counter_model().objects.filter(key=key).delete()


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the database counters whose window has ended (Redis expires its own); how many."""
    deleted, _ = _counter_model().objects.filter(window_ends__lte=now or timezone.now()).delete()
    return int(deleted)


def limit(bucket: str) -> int:
    return _limit(bucket)[0]


def window_minutes(bucket: str) -> int:
    return max(1, _limit(bucket)[1] // 60)
