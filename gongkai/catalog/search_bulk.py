"""Writing the search index in bulk, for records that have just been inserted (the import).

The import tokenises the published texts while SQLite is still inserting the records (the tokens
need no record ids), then queues multi-row INSERTs into the FTS tables on the import's
`bulk.StatementWriter`. Only for records not in the index yet: nothing is looked up or removed
first (search.index_texts does that for records that may already be indexed). On PostgreSQL the
texts go through search.index_texts unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from gongkai.catalog import bulk, search

Texts = tuple[str, str, str]  # name, summary, body text


def prepare_texts(texts: Sequence[Texts]) -> list[Any]:
    """What index_prepared needs for each text: its tokens and digest (SQLite), else the text."""
    if connection.vendor != "sqlite":
        return list(texts)
    token_text = search.token_text
    return [
        (token_text(name), token_text(summary), token_text(body), search._digest(name, summary, body))
        for name, summary, body in texts
    ]


def index_prepared(
    record_ids: Sequence[int],
    prepared: Sequence[Any],
    *,
    writer: bulk.StatementWriter | None = None,
    done: bulk.Done | None = None,
) -> None:
    """Index new published records from prepare_texts' output (ids in the same order)."""
    if connection.vendor != "sqlite":
        search.index_texts([(pk, *texts) for pk, texts in zip(record_ids, prepared, strict=True)])
        if done is not None:
            done()
        return
    fts: list[Any] = []
    names: list[Any] = []
    docs: list[Any] = []
    for pk, (name, summary, body, digest) in zip(record_ids, prepared, strict=True):
        fts.extend((pk, name, summary, body))
        names.extend((pk, name))
        docs.extend((pk, digest))
    # Table names are the module's constants; every value is a parameter.
    statements = [
        (f"INSERT INTO {search.FTS_TABLE}(rowid, name, summary, body) VALUES ", "(?, ?, ?, ?)", 4, fts),  # noqa: S608
        (f"INSERT INTO {search.NAME_TABLE}(rowid, name) VALUES ", "(?, ?)", 2, names),  # noqa: S608
        (f"INSERT INTO {search.DOC_TABLE}(record_id, digest) VALUES ", "(?, ?)", 2, docs),  # noqa: S608
    ]
    per_statement = bulk.max_params()
    work: list[tuple[str, list[Any]]] = []
    for head, marks, width, values in statements:
        step = max(width, per_statement // width * width)
        for start in range(0, len(values), step):
            chunk = values[start : start + step]
            work.append((head + ", ".join([marks] * (len(chunk) // width)), chunk))
    bulk.run_statements(work, writer=writer, done=done)
