"""Catalog full-text search: every substring a person types, 2-character Chinese words included.

One interface, two backends (docs/search.md):

* `text.py`: segments and bigram tokens (shared by both indexes), query terms, highlighting;
* `base.py`: the tables, the ranking contract (`Backend`), filters and paging;
* `sqlite.py`: contentless FTS5 tables, bm25 with column weights (name 10, summary 4, body 1);
* `postgres.py`: a ``tsvector`` of the same tokens under GIN, exact by ``strpos`` re-checks,
  recency-bucket lexemes for common terms.

Terms holding ASCII punctuation (``0431-82098251``) use the index for their segments and are
re-checked by substring on the record; terms without any segment fall back to a scan. The total is
counted exactly up to ``TOTAL_CAP``; beyond it ``total_capped`` is set ("1000+").
"""

# SQL is assembled from constant table names and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection

from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record
from gongkai.catalog.search import base, postgres, ranking, sqlite, text
from gongkai.catalog.search.base import (
    BM25_MAX,
    DOC_TABLE,
    FTS_TABLE,
    NAME_TABLE,
    TOTAL_CAP,
    WEIGHTS,
    Backend,
    Query,
    Texts,
)
from gongkai.catalog.search.hits import Hit, page_hits
from gongkai.catalog.search.postgres import BUCKET_SHIFT, COARSE_SHIFT
from gongkai.catalog.search.postgres import bucket as pg_bucket
from gongkai.catalog.search.postgres import coarse_bucket as pg_coarse_bucket
from gongkai.catalog.search.postgres import tsvector_literal as pg_tsvector_literal
from gongkai.catalog.search.ranking import DATE, ORDERS, RELEVANCE
from gongkai.catalog.search.text import (
    ascii_lower,
    highlight,
    parse_terms,
    segments,
    snippet,
    token_text,
    tokens,
)

__all__ = [
    "BM25_MAX",
    "BUCKET_SHIFT",
    "COARSE_SHIFT",
    "DATE",
    "DOC_TABLE",
    "FTS_TABLE",
    "NAME_TABLE",
    "ORDERS",
    "RELEVANCE",
    "TOTAL_CAP",
    "WEIGHTS",
    "Hit",
    "SearchResult",
    "ascii_lower",
    "backend",
    "clear_index",
    "highlight",
    "index_records",
    "index_texts",
    "matching_ids",
    "optimize_index",
    "parse_terms",
    "pg_bucket",
    "pg_coarse_bucket",
    "pg_tsvector_literal",
    "search",
    "segments",
    "snippet",
    "token_text",
    "tokens",
    "unindex_record",
]


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit] = field(default_factory=list)
    # True when more than TOTAL_CAP records match: show the total as "1000+".
    total_capped: bool = False
    # Every matching record id (not in page order) when the total is not capped; else None.
    ids: list[int] | None = None


def backend() -> Backend:
    """The search index in use: tantivy when ``SEARCH_ENGINE == "tantivy"``, else the database's."""
    if getattr(settings, "SEARCH_ENGINE", "database") == "tantivy":
        from gongkai.catalog.search import tantivy_engine

        return tantivy_engine
    return postgres if connection.vendor == "postgresql" else sqlite


# --------------------------------------------------------------------------------------------
# Indexing


def index_records(records: Iterable[Record]) -> None:
    """Add (or refresh) published records in the index; other statuses are removed from it."""
    latest = {record.pk: record for record in records}  # a record given twice is indexed once
    published = [
        (r.pk, r.name, r.summary, r.body_text) for r in latest.values() if r.status == Status.PUBLISHED
    ]
    others = [r.pk for r in latest.values() if r.status != Status.PUBLISHED]
    for record_id in others:
        unindex_record(record_id)
    index_texts(published)


def index_texts(texts: Texts) -> None:
    """Add (or refresh) published records given as (id, name, summary, body_text), ids distinct.

    What index_records does for published records, without needing model instances (the import
    indexes tens of thousands of rows it has just inserted)."""
    if texts:
        backend().index(texts)


def unindex_record(record_id: int) -> None:
    backend().unindex([record_id])


def clear_index() -> None:
    backend().clear()


def optimize_index() -> None:
    """After a bulk load: merge FTS5 segments (SQLite); (re)build the GIN index and ANALYZE (PostgreSQL)."""
    backend().optimize()


# --------------------------------------------------------------------------------------------
# Querying


def _query(
    query: str, category_ids: list[int] | None, year: int | None, department_id: int | None
) -> Query | None:
    terms = text.terms(query)
    if not terms:
        return None
    where, params = base.filters(category_ids, year, department_id)
    index = backend()
    recheck_sql: list[str] = []
    recheck_params: list[Any] = []
    for term in terms:
        if index.needs_recheck(term):
            sql, p = index.contains(term.text)
            recheck_sql.append(sql)
            recheck_params.extend(p)
    return Query(terms, where, params, recheck_sql, recheck_params)


def _matching_ids(query: Query, offset: int, limit: int | None) -> base.Ranked:
    """(total, capped, [(record id, rank)]) for one page, best first; limit=None: every match."""
    if not query.indexed:  # nothing the index can use (e.g. a query of ASCII punctuation only)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.id FROM catalog_record r WHERE {query.cond} ORDER BY r.published_at DESC, r.id DESC",
                query.cond_params,
            )
            rows = [(int(i), 0.0) for (i,) in cursor.fetchall()]
        return base.page(rows, offset, limit)
    return backend().ranked(query, offset, limit)


def matching_ids(
    query: str,
    *,
    category_ids: list[int] | None = None,
    year: int | None = None,
    department_id: int | None = None,
) -> list[int]:
    """Every published record matching the query, best first, uncounted and uncapped (checks, bench)."""
    parsed = _query(query, category_ids, year, department_id)
    if parsed is None:
        return []
    return [i for i, _ in _matching_ids(parsed, 0, None)[2]]


def search(
    query: str,
    *,
    category_ids: list[int] | None = None,
    year: int | None = None,
    department_id: int | None = None,
    offset: int = 0,
    limit: int = 20,
    order: str = RELEVANCE,
) -> SearchResult:
    """One page of matches, best first (``order=RELEVANCE``) or newest publication first (``DATE``).

    The backend ranks its window (``max(TOTAL_CAP, offset + limit)``, what it reads for any page
    anyway); up to TOTAL_CAP matches that window is every match, which is re-tiered (`ranking`)
    or put in date order, so recall and the total are the backend's. Beyond it (a capped total)
    date order sorts the same bounded candidate set by date."""
    parsed = _query(query, category_ids, year, department_id) if limit > 0 else None
    if parsed is None:
        return SearchResult(total=0, hits=[])
    offset = max(0, offset)
    total, capped, rows = _matching_ids(parsed, 0, max(base.TOTAL_CAP, offset + limit))
    every = None if capped else [i for i, _ in rows]
    if order == DATE:
        rows = ranking.by_date(rows)
    elif not capped:
        rows = ranking.tiered(rows, [t.text for t in parsed.terms])
    page = rows[offset : offset + limit]
    if not page:
        return SearchResult(total=total, hits=[], total_capped=capped, ids=every)
    hits = page_hits(page, [t.text for t in parsed.terms])
    return SearchResult(total=total, hits=hits, total_capped=capped, ids=every)
