"""Writing the search index in bulk, for records that have just been inserted (the import).

The import tokenises the published texts while SQLite is still inserting the records (the tokens
need no record ids), then queues multi-row INSERTs into the FTS tables on the import's
`bulk.StatementWriter`. Only for records not in the index yet: nothing is looked up or removed
first (search.index_texts does that for records that may already be indexed). On PostgreSQL the
texts go through search.index_texts unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from gongkai.catalog import bulk, search
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record
from gongkai.catalog.search import base
from gongkai.catalog.search import sqlite as search_sqlite
from gongkai.catalog.search.base import DOC_TABLE, FTS_TABLE, NAME_TABLE
from gongkai.catalog.search.text import digest, token_text

Texts = tuple[str, str, str]  # name, summary, body text


def _database_engine() -> bool:
    return getattr(settings, "SEARCH_ENGINE", "database") == "database"


def _fts5() -> bool:
    """Whether the index is SQLite's FTS5 tables (written here in bulk); else search.index_texts."""
    return connection.vendor == "sqlite" and _database_engine()


def prepare_texts(texts: Sequence[Texts], attachments: Sequence[str] | None = None) -> list[Any]:
    """What index_prepared needs for each text: its tokens and digest (SQLite), else the text.

    `attachments`: each record's extracted attachment text (base.attachment_texts), in the same
    order; none for new records (an import brings no files). PostgreSQL reads it again itself."""
    if not _fts5():
        return list(texts)
    extra = attachments or [""] * len(texts)
    return [
        (
            token_text(name),
            token_text(summary),
            token_text(body),
            token_text(more),
            digest(name, summary, body, more),
        )
        for (name, summary, body), more in zip(texts, extra, strict=True)
    ]


def index_prepared(
    record_ids: Sequence[int],
    prepared: Sequence[Any],
    *,
    writer: bulk.StatementWriter | None = None,
    done: bulk.Done | None = None,
) -> None:
    """Index new published records from prepare_texts' output (ids in the same order)."""
    if not _fts5():
        search.index_texts([(pk, *texts) for pk, texts in zip(record_ids, prepared, strict=True)])
        if done is not None:
            done()
        return
    fts: list[Any] = []
    names: list[Any] = []
    docs: list[Any] = []
    for pk, (name, summary, body, attached, text_digest) in zip(record_ids, prepared, strict=True):
        fts.extend((pk, name, summary, body, attached))
        names.extend((pk, name))
        docs.extend((pk, text_digest))
    # Table names are the module's constants; every value is a parameter.
    statements = [
        (
            f"INSERT INTO {FTS_TABLE}(rowid, name, summary, body, attachments) VALUES ",  # noqa: S608
            "(?, ?, ?, ?, ?)",
            5,
            fts,
        ),
        (f"INSERT INTO {NAME_TABLE}(rowid, name) VALUES ", "(?, ?)", 2, names),  # noqa: S608
        (f"INSERT INTO {DOC_TABLE}(record_id, digest) VALUES ", "(?, ?)", 2, docs),  # noqa: S608
    ]
    per_statement = bulk.max_params()
    work: list[tuple[str, list[Any]]] = []
    for head, marks, width, values in statements:
        step = max(width, per_statement // width * width)
        for start in range(0, len(values), step):
            chunk = values[start : start + step]
            work.append((head + ", ".join([marks] * (len(chunk) // width)), chunk))
    bulk.run_statements(work, writer=writer, done=done)


def rebuild(*, batch: int = 5000, progress: Callable[[int, int], None] | None = None) -> int:
    """Empty the index and index every published record again (`gongkai reindex`); returns the count.

    Records are read `batch` at a time, each batch in its own transaction. On SQLite the next batch
    is read before this one's rows are queued on a StatementWriter, and tokenised while they are
    written, so SQLite's inserting overlaps with Python's tokenising; FTS5 does not merge its
    segments until one `optimize` at the end (sqlite.merging_for_bulk). A record published meanwhile
    (and so indexed by its service) is taken out first, never indexed twice.

    With ``SEARCH_ENGINE = "tantivy"``: a new index directory, switched to when complete
    (search.tantivy_engine.rebuild)."""
    if not _database_engine():
        from gongkai.catalog.search import tantivy_engine

        return tantivy_engine.rebuild(batch=batch, progress=progress)
    published = Record.objects.filter(status=Status.PUBLISHED)
    total = published.count()
    with transaction.atomic():
        search.clear_index()

    def read(after: int) -> list[tuple[int, str, str, str]]:
        rows = published.filter(id__gt=after).order_by("id").values_list("id", "name", "summary", "body_text")
        return list(rows[:batch])

    def prepare(rows: list[tuple[int, str, str, str]]) -> list[Any]:
        attached = base.attachment_texts([row[0] for row in rows]) if connection.vendor == "sqlite" else {}
        return prepare_texts(
            [(name, summary, body) for _, name, summary, body in rows],
            [attached.get(row[0], "") for row in rows],
        )

    with search_sqlite.merging_for_bulk() if connection.vendor == "sqlite" else contextlib.nullcontext():
        done = _index_batches(read, prepare, total, progress)
    with transaction.atomic():
        search.optimize_index()
    return done


def _index_batches(
    read: Callable[[int], list[tuple[int, str, str, str]]],
    prepare: Callable[[list[tuple[int, str, str, str]]], list[Any]],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    chunk = read(0)
    prepared = prepare(chunk)
    done = 0
    while chunk:
        ids = [row[0] for row in chunk]
        following = read(ids[-1])
        with transaction.atomic():
            if connection.vendor == "sqlite":
                search_sqlite.unindex(ids)  # only what a service indexed meanwhile
            with bulk.statement_writer() as writer:
                index_prepared(ids, prepared, writer=writer)
                prepared_next = prepare(following)
        done += len(chunk)
        if progress is not None:
            progress(done, total)
        chunk, prepared = following, prepared_next
    return done
