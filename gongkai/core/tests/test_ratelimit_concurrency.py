"""Rate limits under concurrency (issue 12): the counters are atomic in the database and in Redis,
and callers reserve an attempt before the work (take) and refund it when it does not count
(give_back) — so N parallel requests never get more than the limit through."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client, RequestFactory

from gongkai.core import ratelimit
from gongkai.core.models import RateCounter
from gongkai.settings import sqlite_database
from tests.concurrency import shared_database  # noqa: F401

THREADS = 20
LIMIT = 5
ADDRESS = "203.0.113.5"
COUNTERS = "ratecounters"  # the alias of the file database below


def _request(address: str = ADDRESS) -> Any:
    return RequestFactory().post("/", REMOTE_ADDR=address)


def _at_once(work: Callable[[], Any], n: int = THREADS) -> list[Any]:
    """Run `work` in n threads released together; what each returned (any error fails the test)."""
    barrier = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            _open_counters()
            barrier.wait()
            answer = work()
            with lock:
                results.append(answer)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def _open_counters() -> None:
    """Connect to the counters' file database outright: a Django test case lets only its own
    aliases connect on first use (connect() is the same connection, PRAGMAs and all)."""
    if COUNTERS in connections.settings:
        connections[COUNTERS].connect()


def _memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]).startswith("file:memorydb")


class _CountersIn:
    """A router sending core.RateCounter (only) to another database alias."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return self.alias if model is RateCounter else None

    db_for_write = db_for_read


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "status": (LIMIT, 600)}
    # The database's counters (core.RateCounter), whatever GONGKAI_REDIS_URL says.
    settings.CACHES = {alias: conf for alias, conf in settings.CACHES.items() if alias != "ratelimit"}


def _route_counters_to_a_file(settings, path: Path) -> Iterator[None]:
    conf = connections.configure_settings({"default": {}, COUNTERS: sqlite_database(path)})[COUNTERS]
    connections.settings[COUNTERS] = conf
    try:
        _open_counters()
        with connections[COUNTERS].schema_editor() as editor:
            editor.create_model(RateCounter)
        settings.DATABASE_ROUTERS = [_CountersIn(COUNTERS)]
        yield
    finally:
        connections[COUNTERS].close()
        del connections[COUNTERS]  # this thread's wrapper
        del connections.settings[COUNTERS]


@pytest.fixture
def file_counters(db, limits, settings, tmp_path) -> Iterator[None]:
    """The counters in a file-based SQLite database (WAL, IMMEDIATE, busy timeout: as in production),
    whatever the test database is — threads cannot share an in-memory one's writes."""
    yield from _route_counters_to_a_file(settings, tmp_path / "counters.sqlite3")


@pytest.fixture
def shared_counters(limits, settings, tmp_path) -> Iterator[None]:
    """For transaction=True tests: the test database when threads can share it (PostgreSQL, a
    file), else the counters in a file (in-memory SQLite)."""
    if _memory_sqlite():
        yield from _route_counters_to_a_file(settings, tmp_path / "counters.sqlite3")
    else:
        yield


# -- Redis: a throwaway server (Debian's redis-server), or the one `make test-redis` started ---------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    import os

    if os.environ.get("GONGKAI_REDIS_URL"):
        yield os.environ["GONGKAI_REDIS_URL"]
        return
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed")
    port, folder = _free_port(), tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/15"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_counters(settings, redis_url) -> Iterator[None]:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "status": (LIMIT, 600)}
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            # Its own prefix: nothing else on a shared server is touched (no FLUSHDB), and this
            # test's counters are unseen by the next one's; they expire with their window.
            "KEY_PREFIX": f"gk-rate-test-{uuid.uuid4().hex}",
        },
    }
    yield


@pytest.fixture(params=["database", "redis"])
def store(request) -> str:
    request.getfixturevalue("limits")
    if request.param == "redis":
        request.getfixturevalue("redis_counters")
    else:
        request.getfixturevalue("db")
    return str(request.param)


# -- take and give back ----------------------------------------------------------------------------


def test_take_answers_within_the_limit_and_a_refusal_is_not_kept(store):
    request = _request()
    assert [ratelimit.take(request, "status") for _ in range(LIMIT + 3)] == [True] * LIMIT + [False] * 3
    assert ratelimit.count(request, "status") == LIMIT
    assert ratelimit.blocked(request, "status")
    assert ratelimit.take(_request("203.0.113.6"), "status")  # another address has its own count


def test_give_back_returns_one_and_never_goes_below_zero(store):
    request = _request()
    ratelimit.give_back(request, "status")  # nothing taken: nothing to return
    assert ratelimit.count(request, "status") == 0
    for _ in range(LIMIT):
        assert ratelimit.take(request, "status")
    assert not ratelimit.take(request, "status")
    ratelimit.give_back(request, "status")
    assert ratelimit.count(request, "status") == LIMIT - 1
    assert ratelimit.take(request, "status")
    for _ in range(LIMIT + 2):
        ratelimit.give_back(request, "status")
    assert ratelimit.count(request, "status") == 0
    assert ratelimit.take(request, "status")
    assert ratelimit.count(request, "status") == 1


def test_clear_ends_the_count(store, settings):
    settings.LOGIN_MAX_FAILURES = LIMIT
    request = _request()
    for _ in range(LIMIT):
        ratelimit.take(request, "login", "zhang")
    assert ratelimit.count(request, "login", "zhang") == LIMIT
    assert ratelimit.count(request, "login", "li") == 0
    ratelimit.clear(request, "login", "zhang")
    assert ratelimit.count(request, "login", "zhang") == 0


def test_the_window_resets_in_the_database(limits, db, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False)
    request = _request()
    for _ in range(LIMIT):
        assert ratelimit.take(request, "status")
    assert not ratelimit.take(request, "status")
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, 9, 59, tzinfo=dt.UTC), tick=False)
    assert not ratelimit.take(request, "status")
    ratelimit.give_back(request, "status")
    assert ratelimit.count(request, "status") == LIMIT - 1
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, 10, tzinfo=dt.UTC), tick=False)  # 600 s on
    assert ratelimit.count(request, "status") == 0
    ratelimit.give_back(request, "status")  # an ended window is not lowered, nor brought back
    assert ratelimit.take(request, "status")
    row = RateCounter.objects.get()
    assert row.count == 1
    assert row.window_ends == dt.datetime(2026, 6, 1, 10, 20, tzinfo=dt.UTC)
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, 30, tzinfo=dt.UTC), tick=False)
    assert ratelimit.purge_expired() == 1
    assert not RateCounter.objects.exists()


def test_the_worker_purges_ended_windows_hourly(limits, db, time_machine):
    from gongkai.core import tasks

    time_machine.move_to(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False)
    ratelimit.take(_request(), "status")
    assert tasks.purge_rate_counters() == 0  # the window is still open
    time_machine.move_to(dt.datetime(2026, 6, 1, 11, tzinfo=dt.UTC), tick=False)
    assert tasks.purge_rate_counters() == 1
    assert tasks.purge_rate_counters_task.name.endswith("core.ratelimit.purge")


def test_the_window_resets_in_redis(redis_counters, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "status": (2, 1)}
    request = _request()
    assert [ratelimit.take(request, "status") for _ in range(3)] == [True, True, False]
    time.sleep(1.3)
    assert ratelimit.count(request, "status") == 0
    ratelimit.give_back(request, "status")
    assert ratelimit.take(request, "status")
    assert ratelimit.count(request, "status") == 1


def test_the_table_holds_no_address_and_no_username(limits, db):
    request = _request()
    ratelimit.take(request, "status")
    ratelimit.take(request, "login", "zhangsan")
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all(ADDRESS not in k and "zhangsan" not in k for k in keys)


# -- in parallel -----------------------------------------------------------------------------------


def _parallel_takes() -> None:
    request = _request()
    answers = _at_once(lambda: ratelimit.take(_request(), "status"))
    assert len(answers) == THREADS
    assert answers.count(True) == LIMIT
    assert ratelimit.count(request, "status") == LIMIT  # the refused ones were not kept


def test_parallel_takes_in_a_file_database_let_exactly_the_limit_through(file_counters):
    _parallel_takes()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_database")  # PostgreSQL's, or a file copy of in-memory SQLite
def test_parallel_takes_in_the_test_database_let_exactly_the_limit_through(limits):
    _parallel_takes()


def test_parallel_takes_in_redis_let_exactly_the_limit_through(redis_counters):
    _parallel_takes()


def test_parallel_give_backs_never_go_below_zero(file_counters):
    request = _request()
    for _ in range(3):
        ratelimit.take(request, "status")
    _at_once(lambda: ratelimit.give_back(_request(), "status"))
    assert ratelimit.count(request, "status") == 0
    assert RateCounter.objects.using(COUNTERS).get().count == 0


def test_no_count_is_lost_in_parallel(file_counters, settings):
    """Why the table: Django's DatabaseCache.incr is a get then a set, so parallel workers overwrite
    each other's counts. One statement per attempt counts every one of them."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "inquiry": (100, 3600)}
    answers = _at_once(lambda: ratelimit.take(_request(), "inquiry"))
    assert answers == [True] * THREADS
    assert ratelimit.count(_request(), "inquiry") == THREADS


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["database", "redis"])
def test_parallel_wrong_codes_at_the_status_look_up_get_no_more_than_the_limit(
    where, request, make_application
):
    request.getfixturevalue("shared_counters" if where == "database" else "redis_counters")
    application = make_application()

    def look_up() -> int:
        return (
            Client()
            .post(
                "/apply/status/",
                {"tracking_number": application.tracking_number, "query_code": "WRONG234"},
                REMOTE_ADDR=ADDRESS,
            )
            .status_code
        )

    answers = _at_once(look_up)
    assert len(answers) == THREADS
    assert answers.count(200) <= LIMIT  # a wrong code: the form again, with its message
    assert answers.count(200) == LIMIT and answers.count(429) == THREADS - LIMIT
    # The limit is used up: the right code too is refused until the window ends.
    right = Client().post(
        "/apply/status/",
        {"tracking_number": application.tracking_number, "query_code": application.query_code},
        REMOTE_ADDR=ADDRESS,
    )
    assert right.status_code == 429
    assert "查询过于频繁" in right.content.decode()
    connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_parallel_right_codes_are_given_back(shared_counters, make_application):
    application = make_application()

    def look_up() -> int:
        return (
            Client()
            .post(
                "/apply/status/",
                {"tracking_number": application.tracking_number, "query_code": application.query_code},
                REMOTE_ADDR=ADDRESS,
            )
            .status_code
        )

    answers = _at_once(look_up, n=8)
    assert set(answers) <= {302, 429}  # a refusal only while others' attempts are still reserved
    assert ratelimit.count(_request(), "status") == 0
    connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_database")  # each failure writes an audit event: threads share it
def test_parallel_wrong_passwords_get_no_more_than_the_limit_of_failures(shared_counters, editor, settings):
    from gongkai.core.models import AuditEvent

    settings.LOGIN_MAX_FAILURES = LIMIT

    def attempt() -> str:
        return (
            Client()
            .post("/accounts/login/", {"username": "editor", "password": "wrong"}, REMOTE_ADDR=ADDRESS)
            .content.decode()
        )

    pages = _at_once(attempt)
    wrong = sum("用户名或密码不正确" in page for page in pages)
    locked = sum("临时锁定" in page for page in pages)
    assert wrong + locked == THREADS
    assert wrong <= LIMIT - 1 and locked >= THREADS - LIMIT + 1  # the fifth failure locks, at the latest
    # Only LIMIT attempts reached the password check: one audit event each (failed, or locked).
    assert AuditEvent.objects.filter(action__startswith="accounts.login.").count() == LIMIT
    connections.close_all()
