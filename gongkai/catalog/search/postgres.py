"""PostgreSQL search backend: a ``tsvector`` of the bigram tokens (no positions) under GIN.

Terms become an AND of their bigrams, and terms of 3+ characters are re-checked with ``strpos`` on
the record, so matching stays exact. Ranking: weighted field matches (name 10, summary 4, body 1).
A names-only table and recency-bucket lexemes let common terms read only their newest matches
(`_newest`).
"""

# SQL is assembled from constant table names and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from gongkai.catalog.search import base
from gongkai.catalog.search.base import FTS_TABLE, NAME_TABLE, WEIGHTS, Query, Ranked, Texts
from gongkai.catalog.search.text import Term, bigrams, has_ascii_letters, tokens

GIN_INDEX = "catalog_search_tokens"
NAME_GIN_INDEX = "catalog_search_name_tokens"
# Every index row also holds the lexeme '#<record_id >> BUCKET_SHIFT>' (its recency bucket of
# 4,096 ids; '#' is ASCII punctuation, so no text token equals it). The newest matches of a common
# term are read bucket by bucket, newest first (_newest). Migration 0004 wrote them.
BUCKET_SHIFT = 12
# ... and '##<record_id >> COARSE_SHIFT>' (65,536 ids), for the wider ranges of rarer terms.
COARSE_SHIFT = 16
FINE_MAX_SPAN = 4  # wider ranges use coarse buckets
MAX_COARSE_SPAN = 4


def folded(col: str, text: str) -> str:
    """`col` with ASCII letters lower-cased, when `text` has any (translate() copies the whole text)."""
    if not has_ascii_letters(text):
        return col
    return f"translate({col}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"


# --------------------------------------------------------------------------------------------
# Indexing


def tsvector_literal(*texts: str) -> str:
    """The distinct tokens as a tsvector literal (segments never hold quotes or backslashes)."""
    distinct: set[str] = set()
    for text in texts:
        distinct.update(tokens(text))
    return " ".join(f"'{tok}'" for tok in sorted(distinct))


def bucket(record_id: int) -> str:
    """The recency-bucket lexeme of a record (see BUCKET_SHIFT)."""
    return f"#{record_id >> BUCKET_SHIFT}"


def coarse_bucket(record_id: int) -> str:
    return f"##{record_id >> COARSE_SHIFT}"


def index(texts: Texts) -> None:
    rows = []
    name_rows = []
    attached = base.attachment_texts([t[0] for t in texts])
    for pk, name, summary, body in texts:
        buckets = f" '{bucket(pk)}' '{coarse_bucket(pk)}'"
        rows.append((pk, tsvector_literal(name, summary, body, attached.get(pk, "")) + buckets))
        name_rows.append((pk, tsvector_literal(name) + buckets))
    with connection.cursor() as cursor:
        for table, values in ((FTS_TABLE, rows), (NAME_TABLE, name_rows)):
            cursor.executemany(
                f"INSERT INTO {table} (record_id, tokens) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (record_id) DO UPDATE SET tokens = EXCLUDED.tokens",
                values,
            )


def unindex(record_ids: Sequence[int]) -> None:
    with connection.cursor() as cursor:
        for record_id in record_ids:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE record_id = %s", [record_id])
            cursor.execute(f"DELETE FROM {NAME_TABLE} WHERE record_id = %s", [record_id])


def clear() -> None:
    with connection.cursor() as cursor:
        # A bulk load into a GIN index runs ~200 rows/s; building it afterwards is far faster.
        cursor.execute(f"TRUNCATE {FTS_TABLE}, {NAME_TABLE}")
        cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        cursor.execute(f"DROP INDEX IF EXISTS {NAME_GIN_INDEX}")


def optimize() -> None:
    """(Re)build the GIN indexes and ANALYZE after a bulk load."""
    with connection.cursor() as cursor:
        # the default 64 MB makes building the GIN index of 1,000,000 records take minutes longer
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for gin, table in ((GIN_INDEX, FTS_TABLE), (NAME_GIN_INDEX, NAME_TABLE)):
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {gin} ON {table} USING gin (tokens) WITH (fastupdate = off)"
            )
            cursor.execute(f"ANALYZE {table}")


# --------------------------------------------------------------------------------------------
# Querying


def needs_recheck(term: Term) -> bool:
    # A tsvector without positions cannot tell 3+ bigrams in a row from the same bigrams apart.
    return not term.exact_in_index or len(term.text) > 2


def contains(term: str) -> tuple[str, list[Any]]:
    cols = [f"strpos({folded(c, term)}, %s) > 0" for c in ("r.name", "r.summary", "r.body_text")]
    cols.append(base.attachment_contains(f"strpos({folded('a.text', term)}, %s) > 0"))
    return "(" + " OR ".join(cols) + ")", [term, term, term, term]


def tsquery_literal(terms: list[Term]) -> str:
    parts: list[str] = []
    for term in terms:
        for seg in term.segments:
            if len(seg) == 1:
                parts.append(f"'{seg}':*")
            else:
                parts.extend(f"'{bigram}'" for bigram in dict.fromkeys(bigrams(seg)))
    return " & ".join(parts)


def _field_score(terms: list[Term], weights: Sequence[tuple[str, float]]) -> tuple[str, list[Any]]:
    """Per term, each column's weight if the column contains it."""
    parts: list[str] = []
    params: list[Any] = []
    for term in terms:
        for col, weight in weights:
            parts.append(f"(CASE WHEN strpos({folded(col, term.text)}, %s) > 0 THEN {weight} ELSE 0 END)")
            params.append(term.text)
    return "(" + " + ".join(parts) + ")", params


# Every match, exactly: name 10, summary 4, body 1.
_ALL_FIELDS = tuple(zip(("r.name", "r.summary", "r.body_text"), WEIGHTS, strict=True))
# A bounded candidate set: every candidate matches every term somewhere, so a body match is the
# baseline (0); the body is not scanned again, which keeps this cheap.
_NAME_AND_SUMMARY = (("r.name", WEIGHTS[0]), ("r.summary", WEIGHTS[1]))


def _score(
    cursor: Any, candidates: list[int], score_sql: str, score_params: list[Any]
) -> list[tuple[int, float]]:
    # one array parameter: planning 2,000 literals costs ~5 ms
    return base.score(cursor, ("r.id = ANY(%s)", [candidates]), "r.status = %s", score_sql, score_params)


def ranked(query: Query, offset: int, limit: int | None) -> Ranked:
    """One page: the newest ``window`` matches, read recency bucket by bucket; limit=None: every match.

    Fewer than ``window`` matches: that is every match, ranked exactly (weighted field matches).
    Otherwise the newest ``window`` name matches join the candidates, which are then ranked by name
    and summary matches (the same contract as SQLite's common path); the total is capped.
    """
    terms = query.terms
    tsquery = tsquery_literal(query.indexed)
    with connection.cursor() as cursor:
        if limit is None:  # checks and the benchmark's recall
            score_sql, score_params = _field_score(terms, _ALL_FIELDS)
            cursor.execute(
                f"SELECT r.id, {score_sql} AS score FROM {FTS_TABLE} s JOIN catalog_record r ON r.id = s.record_id "
                f"WHERE s.tokens @@ %s::tsquery AND {query.cond} ORDER BY score DESC, r.published_at DESC, r.id DESC",
                [*score_params, tsquery, *query.cond_params],
            )
            return base.page([(int(i), float(sc)) for i, sc in cursor.fetchall()], offset, limit)
        window = max(base.TOTAL_CAP, offset + limit)
        # The index holds published records only; without filters or re-checks it alone decides.
        filtered = query.filtered
        cond = query.cond if filtered else ""
        cond_params = query.cond_params if filtered else []
        candidates = _newest(cursor, FTS_TABLE, tsquery, cond, cond_params, window)
        if len(candidates) < window:
            rows = _score(cursor, candidates, *_field_score(terms, _ALL_FIELDS)) if candidates else []
            return base.page(rows, offset, limit)
        # Name matches: every term in the name. The name tokens decide 1- and 2-character terms;
        # longer ones and ones with punctuation are re-checked on the name itself.
        name_checks = [t.text for t in terms if not t.exact_in_index or len(t.text) > 2]
        name_sql = [f"strpos({folded('r.name', text)}, %s) > 0" for text in name_checks]
        if filtered or name_checks:
            name_cond = " AND ".join([query.where, *name_sql])
            name_params = [*query.params, *name_checks]
        else:
            name_cond, name_params = "", []
        names = _newest(cursor, NAME_TABLE, tsquery, name_cond, name_params, window)
        candidates = list(dict.fromkeys([*candidates, *names]))
        rows = _score(cursor, candidates, *_field_score(terms, _NAME_AND_SUMMARY))
    return base.TOTAL_CAP, True, rows[offset : offset + limit]


def _newest(cursor: Any, table: str, tsquery: str, cond: str, cond_params: list[Any], want: int) -> list[int]:
    """The ``want`` newest record ids in ``table`` whose tokens match ``tsquery`` and whose record
    passes ``cond`` (SQL on ``catalog_record r``; "" for none).

    A GIN bitmap has no order: asking for the newest matches of a term found in most records makes
    it read the whole posting list and every matching row. So recency buckets are ANDed into the
    tsquery, and GIN reads only their part of the long posting lists: first the newest bucket, then
    older ranges sized at about 1.5 times what the match rate seen so far needs to fill the window
    (fine buckets for up to FINE_MAX_SPAN of them, else coarse ones). When few matches are left
    below by that rate (a rare term), the rest is read in one query without buckets.

    Index matches are read newest first in chunks and only then checked against ``cond``, so the
    records (filters, substring re-check) are read for about ``want`` rows, not every match.
    """
    cursor.execute(f"SELECT max(record_id) FROM {table}")
    row = cursor.fetchone()
    if not row or row[0] is None:
        return []
    top = int(row[0])
    size = 1 << BUCKET_SHIFT
    span = 1 if top - ((top >> BUCKET_SHIFT) << BUCKET_SHIFT) >= size // 4 else 2  # in fine buckets
    upper = top + 1  # every id at or above it has been read
    found: list[int] = []
    fetched = passed = 0
    rest = False
    while len(found) < want:
        if span <= FINE_MAX_SPAN:
            hi = (upper - 1) >> BUCKET_SHIFT
            low = max(0, (hi - span + 1) << BUCKET_SHIFT)
            lexemes = [bucket(b << BUCKET_SHIFT) for b in range(low >> BUCKET_SHIFT, hi + 1)]
        else:
            hi = (upper - 1) >> COARSE_SHIFT
            coarse = min(MAX_COARSE_SPAN, -(-span // (1 << (COARSE_SHIFT - BUCKET_SHIFT))))
            low = max(0, (hi - coarse + 1) << COARSE_SHIFT)
            lexemes = [coarse_bucket(b << COARSE_SHIFT) for b in range(low >> COARSE_SHIFT, hi + 1)]
        rest = rest or low == 0
        if rest:
            low = 0
            # Without bucket lexemes the planner may walk the primary key backwards and test every
            # row's tokens (2 µs each); with them it uses the GIN bitmap. Kept while the coarse
            # buckets below are few (ORing many would make GIN read all their postings).
            coarse_below = ((upper - 1) >> COARSE_SHIFT) + 1
            lexemes = [coarse_bucket(b << COARSE_SHIFT) for b in range(coarse_below)]
            if coarse_below > 2 * MAX_COARSE_SPAN:
                lexemes = []
        query = tsquery
        if lexemes:
            query = f"({tsquery}) & (" + " | ".join(f"'{lexeme}'" for lexeme in lexemes) + ")"
        need = want - len(found)
        # enough index matches to fill the window at the pass rate seen so far
        chunk = need if not cond else min(20 * want, int(need * 1.2 * fetched / max(passed, 1)) + 16)
        cursor.execute(
            f"SELECT record_id FROM {table} WHERE tokens @@ %s::tsquery AND record_id < %s AND record_id >= %s "
            "ORDER BY record_id DESC LIMIT %s",
            [query, upper, low, chunk],
        )
        ids = [int(i) for (i,) in cursor.fetchall()]
        if cond and ids:
            cursor.execute(
                f"SELECT r.id FROM catalog_record r WHERE r.id = ANY(%s) AND {cond}", [ids, *cond_params]
            )
            ok = {int(i) for (i,) in cursor.fetchall()}
            fetched += len(ids)
            passed += len(ok)
            found.extend(i for i in ids if i in ok)
        else:
            found.extend(ids)
        if len(ids) == chunk:  # this range holds more
            upper = ids[-1]
            continue
        if rest:
            break
        covered = top - low + 1
        need = want - len(found)
        span = max(1, -(-int(need * covered * 1.5 / max(len(found), 1)) // size))
        # Few matches left below at the rate seen so far: read them all at once.
        rest = len(found) * low <= 2 * need * covered
        upper = low
    return found[:want]
