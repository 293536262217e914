"""Threads that really share a database: the test database itself on PostgreSQL (`make test-pg`),
a file copy of it on SQLite (an in-memory database keeps each thread's writes apart, and has no
busy writers to wait for). Import the fixture into a test module and use it first:

    from tests.concurrency import shared_database  # noqa: F401
    pytestmark = pytest.mark.usefixtures("shared_database")
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, connections


def in_memory_sqlite() -> bool:
    name = str(connection.settings_dict["NAME"])
    return connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)


@pytest.fixture
def shared_database(transactional_db, tmp_path) -> Iterator[None]:
    """The test's `default` database, shared by every thread. Ask for it before the fixtures that
    create rows: on SQLite the migrated in-memory database is copied to a file (WAL, IMMEDIATE,
    busy timeout: the production settings, as the test database has them) for this test only."""
    if not in_memory_sqlite():
        yield
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    memory_settings, memory_connection = connections.settings["default"], connections["default"]
    # Keep the in-memory connection open, not closed: closing the last one drops that database.
    connections.settings["default"] = {**memory_settings, "NAME": str(path)}
    del connections["default"]
    try:
        assert not in_memory_sqlite()
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = memory_settings
        connections["default"] = memory_connection


def at_once(work: Callable[[], Any], n: int) -> list[Any]:
    """Run `work` in n threads, each with its own connection, released together: what each
    returned or raised (as the exception object), in no particular order."""
    barrier = threading.Barrier(n)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            outcome: Any = work()
        except BaseException as exc:  # the test looks at what each thread met
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
