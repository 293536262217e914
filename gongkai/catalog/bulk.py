"""Bulk writing for large imports: rows as plain dicts, inserted without model instances.

`insert_rows` builds multi-row INSERT statements (SQLite) or a COPY stream (PostgreSQL) from dicts
of field values. On SQLite a `StatementWriter` runs those statements on a second thread: the
`sqlite3` module releases the interpreter lock while SQLite works, so SQLite inserting one batch
(the table, its indexes, the search index) overlaps with Python preparing the next batch. Both
threads use the one connection and its one transaction; the statements run one at a time, in the
order they were given, and the calling thread does not touch the database until `drain()`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

from django.db import connection
from django.db.models import BooleanField, CharField, ForeignKey, IntegerField, Model, TextField

BATCH = 2000

Done = Callable[[], None]


def batches(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def max_params() -> int:
    """Parameters one statement may carry on this connection."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        if raw is not None and hasattr(raw, "getlimit"):
            return min(30_000, int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)))
        return 999
    return 30_000  # PostgreSQL allows 65,535 parameters a statement


class StatementWriter:
    """Runs statements on one worker thread, in order, on the current SQLite connection.

    Give only statements that return no rows (a RETURNING row would hand the interpreter lock back
    and forth once per row). Errors surface in `drain()`, translated like Django's own cursor's."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.raw = connection.connection
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gongkai-bulk")
        self.pending: list[Future[None]] = []
        self.failed = False  # after an error the rest is skipped: the transaction will roll back

    def execute(self, sql: str, params: Sequence[Any], done: Done | None = None) -> None:
        self.pending.append(self.executor.submit(self._run, sql, params, done))

    def _run(self, sql: str, params: Sequence[Any], done: Done | None) -> None:
        if self.failed:
            return
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql, params)
        except BaseException:
            self.failed = True
            raise
        finally:
            cursor.close()
        if done is not None:
            done()

    def drain(self) -> None:
        """Wait for every statement given so far; raise the first error (as Django's error class)."""
        pending, self.pending = self.pending, []
        try:
            for future in pending:
                with connection.wrap_database_errors:
                    future.result()
        finally:
            for future in pending:  # after an error: let the rest finish before anyone rolls back
                future.exception()

    def close(self) -> None:
        for future in self.pending:
            future.exception()  # waits; the caller is already leaving with an error or has drained
        self.pending = []
        self.executor.shutdown(wait=True)


@contextlib.contextmanager
def statement_writer() -> Iterator[StatementWriter | None]:
    """A StatementWriter on SQLite (drained on success, waited for on error); None on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield None
        return
    writer = StatementWriter()
    try:
        yield writer
        writer.drain()
    finally:
        writer.close()


def memoised(convert: Callable[[Any], Any], seen: dict[Any, Any]) -> Callable[[Any], Any]:
    """Dates and times repeat (`now` on every row): convert each distinct value once."""

    def run(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = converted = convert(value)
            return converted
        except TypeError:  # unhashable (JSON)
            return convert(value)

    return run


def insert_rows(
    model: type[Model],
    rows: Sequence[dict[str, Any]],
    *,
    key: str = "",
    memo: dict[str, dict[Any, Any]] | None = None,
    writer: StatementWriter | None = None,
    done: Done | None = None,
    with_ids: bool = False,
) -> dict[Any, int]:
    """Insert field values (by attname; a missing one takes the field default).

    Given a unique `key` column and no writer, returns {key value: new id}; with a writer the
    statements are queued and nothing is returned. `with_ids`: the rows carry their own "id"
    (from `reserve_ids`).
    `done` is called once the rows are in (on the writer's thread when there is one).

    bulk_create spends about 7 µs on each value, 10 s for 50,000 records with their audit events.
    SQLite gets multi-row INSERT statements; PostgreSQL gets COPY (its client-side binding would
    re-parse a long multi-row statement for every parameter). Pass the same `memo` to calls that
    insert batches of one model: converted dates are then reused across batches.
    """
    memo = {} if memo is None else memo
    plain_types = (CharField, TextField, IntegerField, BooleanField, ForeignKey)
    fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
    # Columns needing no conversion first, so that each row is two list comprehensions.
    plain = [(f.attname, f.get_default()) for f in fields if isinstance(f, plain_types)]
    converted = [
        (
            f.attname,
            f.get_default(),
            memoised(partial(f.get_db_prep_save, connection=connection), memo.setdefault(f.attname, {})),
        )
        for f in fields
        if not isinstance(f, plain_types)
    ]
    ordered = [f for f in fields if isinstance(f, plain_types)] + [
        f for f in fields if not isinstance(f, plain_types)
    ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in ordered)
    ids: dict[Any, int] = {}

    def values(row: dict[str, Any]) -> list[Any]:
        return [row.get(a, d) for a, d in plain] + [convert(row.get(a, d)) for a, d, convert in converted]

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # COPY: one stream instead of a statement per row (Django's cursor wraps psycopg's).
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(values(row))
            if key:
                wanted = [row[key] for row in rows]
                sql = f"SELECT {quote(key)}, id FROM {table} WHERE {quote(key)} = ANY(%s)"  # noqa: S608
                cursor.execute(sql, [wanted])
                ids.update(cursor.fetchall())
        if done is not None:
            done()
        return ids

    # Table and column names come from the model; every value is a parameter. The SQL is written
    # with sqlite3's own `?` marks: Django's cursor would rewrite every %s of a 30,000-mark statement.
    insert = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
    row_marks = "(" + ", ".join(["?"] * len(fields)) + ")"
    returning = f" RETURNING {quote(key)}, id" if key and writer is None else ""
    statements = []
    for chunk in batches(rows, max(1, max_params() // len(fields))):
        params: list[Any] = []
        for row in chunk:
            params.extend(values(row))
        statements.append((insert + ", ".join([row_marks] * len(chunk)) + returning, params))
    return run_statements(statements, writer=writer, done=done, key=bool(returning))


def run_statements(
    statements: Sequence[tuple[str, Sequence[Any]]],
    *,
    writer: StatementWriter | None,
    done: Done | None = None,
    key: bool = False,
) -> dict[Any, int]:
    """Run (SQL with ? marks, parameters) on SQLite: queued on `writer`, or here and now.

    Run here, statements returning (key, id) rows (`key=True`) give them back as a dict. `done` is
    called once the last statement has run."""
    ids: dict[Any, int] = {}
    for number, (sql, params) in enumerate(statements, start=1):
        last = done if number == len(statements) else None
        if writer is not None:
            writer.execute(sql, params, last)
            continue
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            with connection.wrap_database_errors:
                cursor.execute(sql, params)
                if key:
                    ids.update(cursor.fetchall())
        finally:
            cursor.close()
        if last is not None:
            last()
    if not statements and done is not None:
        done()
    return ids


def reserve_ids(model: type[Model]) -> int:
    """The first id of the rows an import is about to insert with their own ids (SQLite).

    The import holds SQLite's write lock from its BEGIN IMMEDIATE to its commit, so nobody else can
    take ids meanwhile; ids are never reused (AUTOINCREMENT: past the highest id ever handed out,
    which SQLite keeps in sqlite_sequence and moves past the ids inserted)."""
    if connection.vendor != "sqlite" or not connection.in_atomic_block:
        raise RuntimeError("reserve_ids needs SQLite and a transaction that holds the write lock")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        highest = f"coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0)"  # noqa: S608
        sql = f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), {highest})"  # noqa: S608
        cursor.execute(sql, [table])
        row = cursor.fetchone()
    return int(row[0] if row else 0) + 1
