"""What both search backends share: the tables, the ranking contract, filters and paging.

A backend (`sqlite.py`: FTS5; `postgres.py`: tsvector under GIN) implements `Backend`; the
package's public functions (`gongkai.catalog.search`) pick one by the connection's vendor.
"""

# SQL is assembled from constant table names and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection

from gongkai.catalog.choices import Status
from gongkai.catalog.search.text import Term

FTS_TABLE = "catalog_search"
NAME_TABLE = "catalog_search_name"  # names only
DOC_TABLE = "catalog_search_doc"  # SQLite: what is indexed (record id, digest of its text)
# SQLite: the records as the search checks them (status, date, filters) — read from the covering
# index `record_row_check` (catalog.models.Record.Meta), not from the rows behind the bodies.
RECORDS_CHECKED = "catalog_record r INDEXED BY record_row_check"
# Extracted attachment text (models.AttachmentText), indexed with its record as a fourth field.
ATTACHMENT_TABLE = "catalog_attachmenttext"
TOTAL_CAP = 1000
# Queries the index matches at most this often are ranked by bm25 over all their matches; beyond
# it, bm25 (which scores every match and counts each phrase over the whole index) costs ~50 ms.
BM25_MAX = 300
# Column weights (bm25 on SQLite, field matches on both): name, summary, body.
WEIGHTS = (10.0, 4.0, 1.0)
# bm25 weight of the attachments' text on SQLite: below the body's.
ATTACHMENT_WEIGHT = 0.5

Texts = Sequence[tuple[int, str, str, str]]  # (record id, name, summary, body text)
Ranked = tuple[int, bool, list[tuple[int, float]]]  # (total, capped, [(record id, rank)])


@dataclass(frozen=True)
class Query:
    """The parsed query and its filters, as SQL on ``catalog_record r``."""

    terms: list[Term]
    where: str  # the filters (status, category, year, department)
    params: list[Any]
    recheck_sql: list[str]  # substring checks for terms the index cannot decide alone
    recheck_params: list[Any]

    @property
    def indexed(self) -> list[Term]:
        """The terms the index can look up (those with at least one segment)."""
        return [t for t in self.terms if t.segments]

    @property
    def cond(self) -> str:
        return " AND ".join([self.where, *self.recheck_sql])

    @property
    def cond_params(self) -> list[Any]:
        return [*self.params, *self.recheck_params]

    @property
    def filtered(self) -> bool:
        """Anything beyond the status filter: the index (published records only) cannot decide alone."""
        return bool(self.recheck_sql) or len(self.params) > 1


class Backend(Protocol):
    """One database's search index. Every function runs on the default connection."""

    def index(self, texts: Texts) -> None:
        """Add (or refresh) published records, ids distinct."""

    def unindex(self, record_ids: Sequence[int]) -> None: ...

    def clear(self) -> None: ...

    def optimize(self) -> None:
        """After a bulk load."""

    def needs_recheck(self, term: Term) -> bool:
        """Whether a match of the index must be checked against the record's text."""

    def contains(self, term: str) -> tuple[str, list[Any]]:
        """SQL on ``r`` true when the record's name, summary or body contains ``term``."""

    def ranked(self, query: Query, offset: int, limit: int | None) -> Ranked:
        """One page of matches, best first; limit=None: every match."""


def attachment_texts(record_ids: Sequence[int]) -> dict[int, str]:
    """The extracted text of each record's attachments, in upload order, one line between files
    (a line break ends a segment: no phrase runs from one file into the next). Records without
    any are left out."""
    out: dict[int, list[str]] = {}
    ids = list(record_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"SELECT record_id, text FROM {ATTACHMENT_TABLE} WHERE record_id IN "
                f"({','.join(['%s'] * len(chunk))}) AND text <> '' ORDER BY record_id, attachment_id",
                chunk,
            )
            for record_id, text in cursor.fetchall():
                out.setdefault(int(record_id), []).append(text)
    return {pk: "\n".join(texts) for pk, texts in out.items()}


def attachment_contains(test: str) -> str:
    """SQL on ``r``: some attachment text ``a.text`` of the record passes ``test``."""
    return f"EXISTS (SELECT 1 FROM {ATTACHMENT_TABLE} a WHERE a.record_id = r.id AND {test})"


def filters(
    category_ids: list[int] | None, year: int | None, department_id: int | None
) -> tuple[str, list[Any]]:
    sql = ["r.status = %s"]
    params: list[Any] = [Status.PUBLISHED.value]
    if category_ids:
        sql.append("r.category_id IN (" + ",".join(["%s"] * len(category_ids)) + ")")
        params.extend(int(c) for c in category_ids)
    if year:
        sql.append("r.formed_on >= %s AND r.formed_on < %s")
        params.extend([f"{int(year):04d}-01-01", f"{int(year) + 1:04d}-01-01"])
    if department_id:
        sql.append("r.department_id = %s")
        params.append(int(department_id))
    return " AND ".join(sql), params


def page(rows: list[tuple[int, float]], offset: int, limit: int | None) -> Ranked:
    if limit is None:
        return len(rows), False, rows
    return min(len(rows), TOTAL_CAP), len(rows) > TOTAL_CAP, rows[offset : offset + limit]


def score(
    cursor: Any,
    ids: tuple[str, list[Any]],
    status_sql: str,
    score_sql: str,
    score_params: list[Any],
    table: str = "catalog_record r",
) -> list[tuple[int, float]]:
    """The published candidates (``ids``: SQL on ``r.id`` and its parameters) with their score, best
    first, ties to the newer record."""
    ids_sql, ids_params = ids
    cursor.execute(
        f"SELECT r.id, {score_sql} AS score FROM {table} WHERE {ids_sql} "
        f"AND {status_sql} ORDER BY score DESC, r.published_at DESC, r.id DESC",
        [*score_params, *ids_params, Status.PUBLISHED.value],
    )
    return [(int(i), float(sc)) for i, sc in cursor.fetchall()]
