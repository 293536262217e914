"""Catalog full-text search: every substring a person types, 2-character Chinese words included.

Design (docs/search.md):

* Text is cut into *segments*: maximal runs of characters that are neither whitespace nor ASCII
  punctuation (so Chinese, letters, digits and Chinese punctuation stay together). Each segment
  ``s`` becomes ``len(s)`` tokens: the overlapping bigrams ``s[i]s[i+1]`` and, last, the unigram
  ``s[-1]``. A 2-character term is then one token; an n-character term is the phrase of its n-1
  bigrams (consecutive bigrams inside one segment spell exactly a substring; the unigram at the end
  of a segment stops a phrase from running into the next one); a 1-character term is a prefix query
  (every character starts a bigram or ends a segment). ASCII letters are lower-cased on both sides.
* SQLite: a contentless FTS5 table (``tokenize='ascii'``: only ASCII punctuation and spaces separate,
  ASCII is case-folded, nothing else is touched) keyed by record id, ranked by bm25 with column
  weights (name 10, summary 4, body 1). ``catalog_search_doc`` lists what is indexed.
* PostgreSQL: a ``tsvector`` of the same tokens (no positions) under a GIN index; terms become an
  AND of their bigrams, and terms of 3+ characters are re-checked with ``strpos`` on the record, so
  matching stays exact. Ranking: weighted field matches (name 10, summary 4, body 1). A names-only
  table and recency-bucket lexemes let common terms read only their newest matches (_pg_newest).
* Terms holding ASCII punctuation (``0431-82098251``) use the index for their segments and are
  re-checked by substring on the record; terms without any segment fall back to a scan.
* The total is counted exactly up to ``TOTAL_CAP``; beyond it ``total_capped`` is set ("1000+").
"""

# SQL is assembled from constant table names and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import hashlib
import html
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import add
from typing import Any

from django.db import connection

from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record

logger = logging.getLogger(__name__)

FTS_TABLE = "catalog_search"
NAME_TABLE = "catalog_search_name"  # names only
DOC_TABLE = "catalog_search_doc"
GIN_INDEX = "catalog_search_tokens"  # PostgreSQL
NAME_GIN_INDEX = "catalog_search_name_tokens"  # PostgreSQL
# PostgreSQL: every index row also holds the lexeme '#<record_id >> BUCKET_SHIFT>' (its recency
# bucket of 4,096 ids; '#' is ASCII punctuation, so no text token equals it). The newest matches of
# a common term are read bucket by bucket, newest first (_pg_newest). Migration 0004 wrote them.
BUCKET_SHIFT = 12
# ... and '##<record_id >> COARSE_SHIFT>' (65,536 ids), for the wider ranges of rarer terms.
COARSE_SHIFT = 16
FINE_MAX_SPAN = 4  # wider ranges use coarse buckets
MAX_COARSE_SPAN = 4
MAX_TERMS = 8
TOTAL_CAP = 1000
# Queries the index matches at most this often are ranked by bm25 over all their matches; beyond
# it, bm25 (which scores every match and counts each phrase over the whole index) costs ~50 ms.
BM25_MAX = 300
SNIPPET_CHARS = 120
# bm25 column weights: name, summary, body.
WEIGHTS = (10.0, 4.0, 1.0)

_ASCII_PUNCT = "".join(chr(c) for c in range(0x80) if not chr(c).isalnum())
_SEGMENT_RE = re.compile("[^" + re.escape(_ASCII_PUNCT) + r"\s]+")
_ASCII_UPPER_RE = re.compile("[A-Z]+")


@dataclass(frozen=True)
class Hit:
    record_id: int
    rank: float
    name_html: str = ""
    snippet_html: str = ""


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit] = field(default_factory=list)
    # True when more than TOTAL_CAP records match: show the total as "1000+".
    total_capped: bool = False


def parse_terms(query: str) -> list[str]:
    """Whitespace-separated terms (full-width space included), duplicates dropped, at most 8."""
    terms: list[str] = []
    for term in query.split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only (str.translate is slow on Chinese text; this is ~10x faster)."""
    if _ASCII_UPPER_RE.search(text) is None:
        return text
    return _ASCII_UPPER_RE.sub(_lower_match, text)


def _lower_match(match: re.Match[str]) -> str:
    return match.group().lower()


def segments(text: str) -> list[str]:
    return _SEGMENT_RE.findall(ascii_lower(text))


def tokens(text: str) -> list[str]:
    """Bigrams of every segment plus its last character (see the module docstring)."""
    out: list[str] = []
    for seg in _SEGMENT_RE.findall(ascii_lower(text)):
        out.extend(map(add, seg, seg[1:]))
        out.append(seg[-1])
    return out


def token_text(text: str) -> str:
    """Tokens joined by spaces, the form the FTS5 ``ascii`` tokenizer reads back unchanged."""
    return " ".join(tokens(text))


# --------------------------------------------------------------------------------------------
# Indexing


def _digest(name: str, summary: str, body: str) -> int:
    raw = hashlib.blake2b("\x1f".join((name, summary, body)).encode(), digest_size=8).digest()
    return int.from_bytes(raw, "big", signed=True)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


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


def index_texts(texts: Sequence[tuple[int, str, str, str]]) -> None:
    """Add (or refresh) published records given as (id, name, summary, body_text), ids distinct.

    What index_records does for published records, without needing model instances (the import
    indexes tens of thousands of rows it has just inserted)."""
    if not texts:
        return
    if _is_postgres():
        _pg_index(texts)
    else:
        _sqlite_index(texts)


def unindex_record(record_id: int) -> None:
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE record_id = %s", [record_id])
            cursor.execute(f"DELETE FROM {NAME_TABLE} WHERE record_id = %s", [record_id])
        return
    _sqlite_unindex([record_id])


def _sqlite_unindex(record_ids: Sequence[int]) -> None:
    """Contentless FTS5 forgets a row only when given the tokens it was indexed with."""
    if not record_ids:
        return
    with connection.cursor() as cursor:
        indexed: dict[int, int] = {}
        for start in range(0, len(record_ids), 500):
            chunk = list(record_ids[start : start + 500])
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT record_id, digest FROM {DOC_TABLE} WHERE record_id IN ({marks})", chunk)
            indexed.update({int(r): int(d) for r, d in cursor.fetchall()})
        if not indexed:
            return
        rows = Record.objects.filter(pk__in=list(indexed)).values_list("pk", "name", "summary", "body_text")
        deletes = []
        name_deletes = []
        for pk, name, summary, body in rows.iterator(chunk_size=2000):
            if _digest(name, summary, body) != indexed[pk]:
                # The text changed while indexed (records are not editable once published): the old
                # tokens cannot be removed exactly. Hits are still verified before they are shown.
                logger.warning("search index: record %s changed while indexed; run `gongkai reindex`", pk)
                continue
            deletes.append(("delete", pk, token_text(name), token_text(summary), token_text(body)))
            name_deletes.append(("delete", pk, deletes[-1][2]))
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name, summary, body) VALUES (%s, %s, %s, %s, %s)",
            deletes,
        )
        cursor.executemany(
            f"INSERT INTO {NAME_TABLE}({NAME_TABLE}, rowid, name) VALUES (%s, %s, %s)", name_deletes
        )
        cursor.executemany(f"DELETE FROM {DOC_TABLE} WHERE record_id = %s", [(pk,) for pk in indexed])


def _sqlite_index(texts: Sequence[tuple[int, str, str, str]]) -> None:
    _sqlite_unindex([t[0] for t in texts])
    fts_rows = []
    doc_rows = []
    for pk, name, summary, body in texts:
        fts_rows.append((pk, token_text(name), token_text(summary), token_text(body)))
        doc_rows.append((pk, _digest(name, summary, body)))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}(rowid, name, summary, body) VALUES (%s, %s, %s, %s)", fts_rows
        )
        cursor.executemany(
            f"INSERT INTO {NAME_TABLE}(rowid, name) VALUES (%s, %s)", [(row[0], row[1]) for row in fts_rows]
        )
        cursor.executemany(f"INSERT INTO {DOC_TABLE}(record_id, digest) VALUES (%s, %s)", doc_rows)


def pg_tsvector_literal(*texts: str) -> str:
    """The distinct tokens as a tsvector literal (segments never hold quotes or backslashes)."""
    distinct: set[str] = set()
    for text in texts:
        distinct.update(tokens(text))
    return " ".join(f"'{tok}'" for tok in sorted(distinct))


def pg_bucket(record_id: int) -> str:
    """The recency-bucket lexeme of a record (see BUCKET_SHIFT)."""
    return f"#{record_id >> BUCKET_SHIFT}"


def pg_coarse_bucket(record_id: int) -> str:
    return f"##{record_id >> COARSE_SHIFT}"


def _pg_index(texts: Sequence[tuple[int, str, str, str]]) -> None:
    rows = []
    name_rows = []
    for pk, name, summary, body in texts:
        bucket = f" '{pg_bucket(pk)}' '{pg_coarse_bucket(pk)}'"
        rows.append((pk, pg_tsvector_literal(name, summary, body) + bucket))
        name_rows.append((pk, pg_tsvector_literal(name) + bucket))
    with connection.cursor() as cursor:
        for table, values in ((FTS_TABLE, rows), (NAME_TABLE, name_rows)):
            cursor.executemany(
                f"INSERT INTO {table} (record_id, tokens) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (record_id) DO UPDATE SET tokens = EXCLUDED.tokens",
                values,
            )


def clear_index() -> None:
    with connection.cursor() as cursor:
        if _is_postgres():
            # A bulk load into a GIN index runs ~200 rows/s; building it afterwards is far faster.
            cursor.execute(f"TRUNCATE {FTS_TABLE}, {NAME_TABLE}")
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
            cursor.execute(f"DROP INDEX IF EXISTS {NAME_GIN_INDEX}")
        else:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
            cursor.execute(f"INSERT INTO {NAME_TABLE}({NAME_TABLE}) VALUES ('delete-all')")
            cursor.execute(f"DELETE FROM {DOC_TABLE}")


def optimize_index() -> None:
    """After a bulk load: merge FTS5 segments (SQLite); (re)build the GIN index and ANALYZE (PostgreSQL)."""
    with connection.cursor() as cursor:
        if _is_postgres():
            # the default 64 MB makes building the GIN index of 1,000,000 records take minutes longer
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for index, table in ((GIN_INDEX, FTS_TABLE), (NAME_GIN_INDEX, NAME_TABLE)):
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (tokens) WITH (fastupdate = off)"
                )
                cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
            cursor.execute(f"INSERT INTO {NAME_TABLE}({NAME_TABLE}) VALUES ('optimize')")


# --------------------------------------------------------------------------------------------
# Querying


@dataclass(frozen=True)
class _Term:
    text: str  # ASCII-lower-cased
    segments: list[str]

    @property
    def exact_in_index(self) -> bool:
        """The index alone decides this term (it is one segment)."""
        return len(self.segments) == 1 and self.segments[0] == self.text


def _terms(query: str) -> list[_Term]:
    out = []
    for raw in parse_terms(query):
        text = ascii_lower(raw)
        out.append(_Term(text=text, segments=_SEGMENT_RE.findall(text)))
    return out


def _fts5_expression(terms: list[_Term]) -> str:
    parts = []
    for term in terms:
        for seg in term.segments:
            if len(seg) == 1:
                parts.append(f'"{seg}"*')
            else:
                parts.append('"' + " ".join(map(add, seg, seg[1:])) + '"')
    return " AND ".join(parts)


def _tsquery_literal(terms: list[_Term]) -> str:
    parts: list[str] = []
    for term in terms:
        for seg in term.segments:
            if len(seg) == 1:
                parts.append(f"'{seg}':*")
            else:
                parts.extend(f"'{bigram}'" for bigram in dict.fromkeys(map(add, seg, seg[1:])))
    return " & ".join(parts)


def _like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filters(
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


def _pg_contains(term: str) -> tuple[str, list[Any]]:
    # Terms without ASCII letters need no case folding (translate() copies the whole text).
    lower = "translate({col}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    if not any("a" <= ch <= "z" for ch in term):
        lower = "{col}"
    cols = [f"strpos({lower.format(col=c)}, %s) > 0" for c in ("r.name", "r.summary", "r.body_text")]
    return "(" + " OR ".join(cols) + ")", [term, term, term]


def _pg_score(terms: list[_Term]) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for term in terms:
        lower = "translate({col}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
        if not any("a" <= ch <= "z" for ch in term.text):
            lower = "{col}"
        for col, weight in zip(("r.name", "r.summary", "r.body_text"), WEIGHTS, strict=True):
            parts.append(f"(CASE WHEN strpos({lower.format(col=col)}, %s) > 0 THEN {weight} ELSE 0 END)")
            params.append(term.text)
    return "(" + " + ".join(parts) + ")", params


def _sqlite_contains(term: str) -> tuple[str, list[Any]]:
    # SQLite's LIKE ignores case for ASCII only: exactly the matching rule.
    pattern = _like_pattern(term)
    sql = "(r.name LIKE %s ESCAPE '\\' OR r.summary LIKE %s ESCAPE '\\' OR r.body_text LIKE %s ESCAPE '\\')"
    return sql, [pattern, pattern, pattern]


def _field_score(terms: list[_Term], postgres: bool) -> tuple[str, list[Any]]:
    """Weighted field matches on candidate rows: per term 10 if in the name, 4 if in the summary.

    Every candidate matches every term somewhere, so a body match is the baseline (0); the body is
    not scanned again, which keeps this cheap for the bounded candidate set.
    """
    parts: list[str] = []
    params: list[Any] = []
    for term in terms:
        for col, weight in (("r.name", WEIGHTS[0]), ("r.summary", WEIGHTS[1])):
            has_ascii_letters = any("a" <= ch <= "z" for ch in term.text)
            if postgres:
                lowered = f"translate({col}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
                parts.append(
                    f"(CASE WHEN strpos({lowered if has_ascii_letters else col}, %s) > 0 THEN {weight} ELSE 0 END)"
                )
            else:
                parts.append(f"(instr({f'lower({col})' if has_ascii_letters else col}, %s) > 0) * {weight}")
            params.append(term.text)
    return "(" + " + ".join(parts) + ")", params


def _matching_ids(
    terms: list[_Term], where: str, params: list[Any], offset: int, limit: int | None
) -> tuple[int, bool, list[tuple[int, float]]]:
    """(total, capped, [(record id, rank)]) for one page, best first; limit=None: every match.

    A query the index matches at most BM25_MAX times is ranked by bm25 (SQLite; weighted field
    matches on PostgreSQL). A more common one is ranked by weighted field matches among a bounded
    candidate set: its newest ``max(TOTAL_CAP, offset+limit)`` matches (by record id, the filters
    applied) and its newest as many matches in the name. If that set is not full it holds every
    match and the total is exact; otherwise the total is TOTAL_CAP with ``capped``.

    PostgreSQL pages go through _pg_ranked (recency buckets); below, PostgreSQL only lists every
    match (limit=None: checks and the benchmark's recall).
    """
    postgres = _is_postgres()
    recheck_sql: list[str] = []
    recheck_params: list[Any] = []
    for term in terms:
        needs_recheck = not term.exact_in_index or (postgres and len(term.text) > 2)
        if needs_recheck:
            sql, p = (_pg_contains if postgres else _sqlite_contains)(term.text)
            recheck_sql.append(sql)
            recheck_params.extend(p)
    cond = " AND ".join([where, *recheck_sql])
    cond_params = [*params, *recheck_params]
    indexed = [t for t in terms if t.segments]

    with connection.cursor() as cursor:
        if not indexed:  # nothing the index can use (e.g. a query of ASCII punctuation only)
            cursor.execute(
                f"SELECT r.id FROM catalog_record r WHERE {cond} ORDER BY r.published_at DESC, r.id DESC",
                cond_params,
            )
            rows = [(int(i), 0.0) for (i,) in cursor.fetchall()]
            return _page(rows, offset, limit)

        if postgres and limit is not None:
            window = max(TOTAL_CAP, offset + limit)
            return _pg_ranked(
                cursor, terms, indexed, where, params, recheck_sql, recheck_params, window, offset, limit
            )
        if postgres:
            match_sql, match_param = "s.tokens @@ %s::tsquery", _tsquery_literal(indexed)
            index_only = f"SELECT 1 FROM {FTS_TABLE} s WHERE {match_sql}"
            joined = f"{FTS_TABLE} s JOIN catalog_record r ON r.id = s.record_id"
            exact_score, exact_score_params = _pg_score(terms)
            exact_order = "score DESC, r.published_at DESC, r.id DESC"
            newest_key = "s.record_id"
        else:
            match_sql, match_param = f"{FTS_TABLE} MATCH %s", _fts5_expression(indexed)
            index_only = f"SELECT 1 FROM {FTS_TABLE} WHERE {match_sql}"
            # CROSS JOIN keeps the FTS5 scan outermost (SQLite never reorders it): records by key.
            joined = f"{FTS_TABLE} CROSS JOIN catalog_record r ON r.id = {FTS_TABLE}.rowid"
            w = ", ".join(str(x) for x in WEIGHTS)
            exact_score, exact_score_params = f"-bm25({FTS_TABLE}, {w})", []
            exact_order = "score DESC, r.published_at DESC, r.id DESC"
            newest_key = f"{FTS_TABLE}.rowid"

        common = False
        if limit is not None:
            cursor.execute(f"SELECT count(*) FROM ({index_only} LIMIT %s) c", [match_param, TOTAL_CAP + 1])
            row = cursor.fetchone()
            common = bool(row and int(row[0]) > BM25_MAX)
        if not common:
            cursor.execute(
                f"SELECT r.id, {exact_score} AS score FROM {joined} WHERE {match_sql} AND {cond} "
                f"ORDER BY {exact_order}",
                [*exact_score_params, match_param, *cond_params],
            )
            return _page([(int(i), float(sc)) for i, sc in cursor.fetchall()], offset, limit)

        assert limit is not None
        window = max(TOTAL_CAP, offset + limit)
        # Without filters the index alone gives the newest matches (it holds published records only;
        # the scoring query below checks the status again).
        unfiltered = not recheck_sql and len(params) == 1
        if unfiltered:
            newest_sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {match_sql} ORDER BY rowid DESC LIMIT %s"
            cursor.execute(newest_sql, [match_param, window])
        else:
            newest_sql = (
                f"SELECT r.id FROM {joined} WHERE {match_sql} AND {cond} ORDER BY {newest_key} DESC LIMIT %s"
            )
            cursor.execute(newest_sql, [match_param, *cond_params, window])
        candidates = [int(i) for (i,) in cursor.fetchall()]
        complete = len(candidates) < window
        if not complete and unfiltered:
            cursor.execute(
                f"SELECT rowid FROM {NAME_TABLE} WHERE {NAME_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s",
                [match_param, window],
            )
            candidates = list(dict.fromkeys([*candidates, *(int(i) for (i,) in cursor.fetchall())]))
        elif not complete:
            cursor.execute(
                f"SELECT r.id FROM {NAME_TABLE} CROSS JOIN catalog_record r ON r.id = {NAME_TABLE}.rowid "
                f"WHERE {NAME_TABLE} MATCH %s AND {cond} ORDER BY {NAME_TABLE}.rowid DESC LIMIT %s",
                [match_param, *cond_params, window],
            )
            candidates = list(dict.fromkeys([*candidates, *(int(i) for (i,) in cursor.fetchall())]))
        if not candidates:
            return 0, False, []
        ranked = _score(cursor, candidates, *_field_score(terms, postgres))
    if complete:
        return _page(ranked, offset, limit)
    return TOTAL_CAP, True, ranked[offset : offset + limit]


def _score(
    cursor: Any, candidates: list[int], score_sql: str, score_params: list[Any]
) -> list[tuple[int, float]]:
    """The published candidates with their score, best first, ties to the newer record."""
    ids_params: list[Any]
    if _is_postgres():  # one array parameter: planning 2,000 literals costs ~5 ms
        ids_sql, ids_params = "r.id = ANY(%s)", [candidates]
        status_sql = "r.status = %s"
    else:
        ids_sql, ids_params = "r.id IN (" + ",".join(["%s"] * len(candidates)) + ")", candidates
        # `+` keeps SQLite from walking an index on status (every published record, ~30 ms at
        # 200,000) instead of looking the candidates up by id.
        status_sql = "+r.status = %s"
    cursor.execute(
        f"SELECT r.id, {score_sql} AS score FROM catalog_record r WHERE {ids_sql} "
        f"AND {status_sql} ORDER BY score DESC, r.published_at DESC, r.id DESC",
        [*score_params, *ids_params, Status.PUBLISHED.value],
    )
    return [(int(i), float(sc)) for i, sc in cursor.fetchall()]


def _pg_ranked(
    cursor: Any,
    terms: list[_Term],
    indexed: list[_Term],
    where: str,
    params: list[Any],
    recheck_sql: list[str],
    recheck_params: list[Any],
    window: int,
    offset: int,
    limit: int,
) -> tuple[int, bool, list[tuple[int, float]]]:
    """PostgreSQL, one page: the newest ``window`` matches, read recency bucket by bucket.

    Fewer than ``window`` matches: that is every match, ranked exactly (weighted field matches).
    Otherwise the newest ``window`` name matches join the candidates, which are then ranked by name
    and summary matches (the same contract as SQLite's common path); the total is capped.
    """
    tsquery = _tsquery_literal(indexed)
    # The index holds published records only; without filters or re-checks it alone decides.
    filtered = bool(recheck_sql) or len(params) > 1
    cond = " AND ".join([where, *recheck_sql]) if filtered else ""
    cond_params = [*params, *recheck_params] if filtered else []
    candidates = _pg_newest(cursor, FTS_TABLE, tsquery, cond, cond_params, window)
    if len(candidates) < window:
        return _page(_score(cursor, candidates, *_pg_score(terms)) if candidates else [], offset, limit)
    # Name matches: every term in the name. The name tokens decide 1- and 2-character terms; longer
    # ones and ones with punctuation are re-checked on the name itself.
    lowered = "translate(r.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    name_checks = [t.text for t in terms if not t.exact_in_index or len(t.text) > 2]
    name_sql = [
        f"strpos({lowered if any('a' <= ch <= 'z' for ch in text) else 'r.name'}, %s) > 0"
        for text in name_checks
    ]
    if filtered or name_checks:
        name_cond = " AND ".join([where, *name_sql])
        name_params = [*params, *name_checks]
    else:
        name_cond, name_params = "", []
    names = _pg_newest(cursor, NAME_TABLE, tsquery, name_cond, name_params, window)
    candidates = list(dict.fromkeys([*candidates, *names]))
    ranked = _score(cursor, candidates, *_field_score(terms, postgres=True))
    return TOTAL_CAP, True, ranked[offset : offset + limit]


def _pg_newest(
    cursor: Any, table: str, tsquery: str, cond: str, cond_params: list[Any], want: int
) -> list[int]:
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
            lexemes = [pg_bucket(b << BUCKET_SHIFT) for b in range(low >> BUCKET_SHIFT, hi + 1)]
        else:
            hi = (upper - 1) >> COARSE_SHIFT
            coarse = min(MAX_COARSE_SPAN, -(-span // (1 << (COARSE_SHIFT - BUCKET_SHIFT))))
            low = max(0, (hi - coarse + 1) << COARSE_SHIFT)
            lexemes = [pg_coarse_bucket(b << COARSE_SHIFT) for b in range(low >> COARSE_SHIFT, hi + 1)]
        rest = rest or low == 0
        if rest:
            low = 0
            # Without bucket lexemes the planner may walk the primary key backwards and test every
            # row's tokens (2 µs each); with them it uses the GIN bitmap. Kept while the coarse
            # buckets below are few (ORing many would make GIN read all their postings).
            coarse_below = ((upper - 1) >> COARSE_SHIFT) + 1
            lexemes = [pg_coarse_bucket(b << COARSE_SHIFT) for b in range(coarse_below)]
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


def _page(
    rows: list[tuple[int, float]], offset: int, limit: int | None
) -> tuple[int, bool, list[tuple[int, float]]]:
    if limit is None:
        return len(rows), False, rows
    return min(len(rows), TOTAL_CAP), len(rows) > TOTAL_CAP, rows[offset : offset + limit]


def matching_ids(
    query: str,
    *,
    category_ids: list[int] | None = None,
    year: int | None = None,
    department_id: int | None = None,
) -> list[int]:
    """Every published record matching the query, best first, uncounted and uncapped (checks, bench)."""
    terms = _terms(query)
    if not terms:
        return []
    where, params = _filters(category_ids, year, department_id)
    return [i for i, _ in _matching_ids(terms, where, params, 0, None)[2]]


def search(
    query: str,
    *,
    category_ids: list[int] | None = None,
    year: int | None = None,
    department_id: int | None = None,
    offset: int = 0,
    limit: int = 20,
) -> SearchResult:
    terms = _terms(query)
    if not terms or limit <= 0:
        return SearchResult(total=0, hits=[])
    where, params = _filters(category_ids, year, department_id)
    total, capped, page = _matching_ids(terms, where, params, max(0, offset), limit)
    if not page:
        return SearchResult(total=total, hits=[], total_capped=capped)
    texts = Record.objects.in_bulk([i for i, _ in page])
    needles = [t.text for t in terms]
    hits = []
    for record_id, score in page:
        record = texts.get(record_id)
        if record is None or not _contains_all(record, needles):
            continue  # only after an out-of-band edit of an indexed record (see _sqlite_unindex)
        hits.append(
            Hit(
                record_id=record_id,
                rank=score,
                name_html=highlight(record.name, needles),
                snippet_html=snippet(record.summary, record.body_text, needles),
            )
        )
    return SearchResult(total=total, hits=hits, total_capped=capped)


def _contains_all(record: Record, needles: list[str]) -> bool:
    haystack = ascii_lower("\x00".join((record.name, record.summary, record.body_text)))
    return all(n in haystack for n in needles)


# --------------------------------------------------------------------------------------------
# Highlighting


def _spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    lowered = ascii_lower(text)
    spans = []
    for needle in needles:
        start = lowered.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = lowered.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, needles: list[str]) -> str:
    """HTML-escaped text with each occurrence of a term wrapped in <mark>."""
    out = []
    pos = 0
    for start, end in _spans(text, needles):
        out.append(html.escape(text[pos:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def snippet(summary: str, body: str, needles: list[str], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters around the first match in the summary, else the body (escaped)."""
    for text in (summary, body):
        spans = _spans(text, needles)
        if spans:
            first = spans[0][0]
            start = max(0, min(first - width // 3, len(text) - width))
            end = min(len(text), start + width)
            piece = highlight(text[start:end], needles)
            return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
    text = summary or body
    return html.escape(text[:width]) + ("…" if len(text) > width else "")
