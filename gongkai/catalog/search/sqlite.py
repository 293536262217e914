"""SQLite search backend: contentless FTS5 tables of the bigram tokens, ranked by bm25.

``tokenize='ascii'``: only ASCII punctuation and spaces separate, ASCII is case-folded, nothing
else is touched, so the tokens of text.py go in and come back unchanged. ``catalog_search`` holds
name, summary and body (bm25 column weights 10/4/1), ``catalog_search_name`` the names alone,
``catalog_search_doc`` a digest of each indexed text (a contentless row is forgotten only when
given the tokens it was indexed with).
"""

# SQL is assembled from constant table names and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection

from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record
from gongkai.catalog.search import base
from gongkai.catalog.search.base import DOC_TABLE, FTS_TABLE, NAME_TABLE, WEIGHTS, Query, Ranked, Texts
from gongkai.catalog.search.text import Term, bigrams, digest, has_ascii_letters, token_text

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Indexing


def index(texts: Texts) -> None:
    unindex([t[0] for t in texts])
    attached = base.attachment_texts([t[0] for t in texts])
    fts_rows = []
    doc_rows = []
    for pk, name, summary, body in texts:
        extra = attached.get(pk, "")
        fts_rows.append((pk, token_text(name), token_text(summary), token_text(body), token_text(extra)))
        doc_rows.append((pk, digest(name, summary, body, extra)))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}(rowid, name, summary, body, attachments) VALUES (%s, %s, %s, %s, %s)",
            fts_rows,
        )
        cursor.executemany(
            f"INSERT INTO {NAME_TABLE}(rowid, name) VALUES (%s, %s)", [(row[0], row[1]) for row in fts_rows]
        )
        cursor.executemany(f"INSERT INTO {DOC_TABLE}(record_id, digest) VALUES (%s, %s)", doc_rows)


def unindex(record_ids: Sequence[int]) -> None:
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
        attached = base.attachment_texts(list(indexed))
        deletes = []
        name_deletes = []
        for pk, name, summary, body in rows.iterator(chunk_size=2000):
            extra = attached.get(pk, "")
            if digest(name, summary, body, extra) != indexed[pk]:
                # The text changed while indexed (records are not editable once published): the old
                # tokens cannot be removed exactly. Hits are still verified before they are shown.
                logger.warning("search index: record %s changed while indexed; run `gongkai reindex`", pk)
                continue
            deletes.append(
                ("delete", pk, token_text(name), token_text(summary), token_text(body), token_text(extra))
            )
            name_deletes.append(("delete", pk, deletes[-1][2]))
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name, summary, body, attachments) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            deletes,
        )
        cursor.executemany(
            f"INSERT INTO {NAME_TABLE}({NAME_TABLE}, rowid, name) VALUES (%s, %s, %s)", name_deletes
        )
        cursor.executemany(f"DELETE FROM {DOC_TABLE} WHERE record_id = %s", [(pk,) for pk in indexed])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
        cursor.execute(f"INSERT INTO {NAME_TABLE}({NAME_TABLE}) VALUES ('delete-all')")
        cursor.execute(f"DELETE FROM {DOC_TABLE}")


def optimize() -> None:
    """Merge the FTS5 segments after a bulk load, and merge as usual from then on (merging_for_bulk)."""
    with connection.cursor() as cursor:
        for table in (FTS_TABLE, NAME_TABLE):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    _set_merging(DEFAULT_MERGING)


# SQLite's defaults, and the settings of a bulk load: no merging while the rows go in (each merge
# rewrites segments the next batch would make it rewrite again), a merge forced only when 64 segments
# of one level pile up, and one `optimize` at the end. Measured on 4,000 realistic records: 290
# records/s with the defaults, 598 like this.
DEFAULT_MERGING = (("automerge", 4), ("crisismerge", 16))
BULK_MERGING = (("automerge", 0), ("crisismerge", 64))


@contextlib.contextmanager
def merging_for_bulk() -> Iterator[None]:
    """Bulk-load settings for the FTS5 tables while the block runs; the defaults again after it,
    even if it fails. (The settings are kept in the tables' config: a process killed inside the
    block leaves them on until the next rebuild's `optimize` sets the defaults back; the index
    stays correct meanwhile, only less merged.)"""
    _set_merging(BULK_MERGING)
    try:
        yield
    finally:
        _set_merging(DEFAULT_MERGING)


def _set_merging(options: tuple[tuple[str, int], ...]) -> None:
    with connection.cursor() as cursor:
        for table in (FTS_TABLE, NAME_TABLE):
            for option, value in options:
                cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES (%s, %s)", [option, value])


# --------------------------------------------------------------------------------------------
# Querying


def needs_recheck(term: Term) -> bool:
    return not term.exact_in_index


def contains(term: str) -> tuple[str, list[Any]]:
    # SQLite's LIKE ignores case for ASCII only: exactly the matching rule.
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    like = "LIKE %s ESCAPE '\\'"
    in_files = base.attachment_contains(f"a.text {like}")
    sql = f"(r.name {like} OR r.summary {like} OR r.body_text {like} OR {in_files})"
    return sql, [pattern, pattern, pattern, pattern]


def fts5_expression(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        for seg in term.segments:
            if len(seg) == 1:
                parts.append(f'"{seg}"*')
            else:
                parts.append('"' + " ".join(bigrams(seg)) + '"')
    return " AND ".join(parts)


def _field_score(terms: list[Term]) -> tuple[str, list[Any]]:
    """Weighted field matches on candidate rows: per term 10 if in the name, 4 if in the summary.

    Every candidate matches every term somewhere, so a body match is the baseline (0); the body is
    not scanned again, which keeps this cheap for the bounded candidate set.
    """
    parts: list[str] = []
    params: list[Any] = []
    for term in terms:
        for col, weight in (("r.name", WEIGHTS[0]), ("r.summary", WEIGHTS[1])):
            parts.append(
                f"(instr({f'lower({col})' if has_ascii_letters(term.text) else col}, %s) > 0) * {weight}"
            )
            params.append(term.text)
    return "(" + " + ".join(parts) + ")", params


def _score(
    cursor: Any, candidates: list[int], score_sql: str, score_params: list[Any]
) -> list[tuple[int, float]]:
    ids = "r.id IN (" + ",".join(["%s"] * len(candidates)) + ")", candidates
    # `+` keeps SQLite from walking an index on status (every published record, ~30 ms at
    # 200,000) instead of looking the candidates up by id.
    return base.score(cursor, ids, "r.status = %s", score_sql, score_params, table=base.RECORDS_CHECKED)


def ranked(query: Query, offset: int, limit: int | None) -> Ranked:
    """A query the index matches at most BM25_MAX times is ranked by bm25 over every match. A more
    common one is ranked by weighted field matches among a bounded candidate set: its newest
    ``max(TOTAL_CAP, offset+limit)`` matches (by record id, the filters applied) and its newest as
    many matches in the name. If that set is not full it holds every match and the total is exact;
    otherwise the total is TOTAL_CAP with ``capped``."""
    match_sql, match_param = f"{FTS_TABLE} MATCH %s", fts5_expression(query.indexed)
    # CROSS JOIN keeps the FTS5 scan outermost (SQLite never reorders it): records by key.
    joined = f"{FTS_TABLE} CROSS JOIN {base.RECORDS_CHECKED} ON r.id = {FTS_TABLE}.rowid"
    cond, cond_params = query.cond, query.cond_params
    with connection.cursor() as cursor:
        common = False
        if limit is not None:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {match_sql} LIMIT %s) c",
                [match_param, base.TOTAL_CAP + 1],
            )
            row = cursor.fetchone()
            common = bool(row and int(row[0]) > base.BM25_MAX)
        if not common:
            w = ", ".join(str(x) for x in (*WEIGHTS, base.ATTACHMENT_WEIGHT))
            cursor.execute(
                f"SELECT r.id, -bm25({FTS_TABLE}, {w}) AS score FROM {joined} WHERE {match_sql} AND {cond} "
                "ORDER BY score DESC, r.published_at DESC, r.id DESC",
                [match_param, *cond_params],
            )
            return base.page([(int(i), float(sc)) for i, sc in cursor.fetchall()], offset, limit)

        assert limit is not None
        window = max(base.TOTAL_CAP, offset + limit)
        # Without filters the index alone gives the newest matches (it holds published records only;
        # the scoring query below checks the status again).
        if not query.filtered:
            newest_sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {match_sql} ORDER BY rowid DESC LIMIT %s"
            cursor.execute(newest_sql, [match_param, window])
        else:
            newest_sql = f"SELECT r.id FROM {joined} WHERE {match_sql} AND {cond} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s"
            cursor.execute(newest_sql, [match_param, *cond_params, window])
        candidates = [int(i) for (i,) in cursor.fetchall()]
        complete = len(candidates) < window
        if not complete and not query.filtered:
            cursor.execute(
                f"SELECT rowid FROM {NAME_TABLE} WHERE {NAME_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s",
                [match_param, window],
            )
            candidates = list(dict.fromkeys([*candidates, *(int(i) for (i,) in cursor.fetchall())]))
        elif not complete:
            cursor.execute(
                f"SELECT r.id FROM {NAME_TABLE} CROSS JOIN {base.RECORDS_CHECKED} ON r.id = {NAME_TABLE}.rowid "
                f"WHERE {NAME_TABLE} MATCH %s AND {cond} ORDER BY {NAME_TABLE}.rowid DESC LIMIT %s",
                [match_param, *cond_params, window],
            )
            candidates = list(dict.fromkeys([*candidates, *(int(i) for (i,) in cursor.fetchall())]))
        if not candidates:
            return 0, False, []
        if query.filtered:
            rows = _score(cursor, candidates, *_field_score(query.terms))
        else:
            # No filter to check on the rows: score from the index, read only the page's rows.
            newest = candidates[: len(candidates) if complete else window]
            rows = _index_score(cursor, query.terms, newest, candidates[len(newest) :])
            rows = _published_page(cursor, rows, offset + limit)
            if complete:
                return len(rows), False, rows[offset : offset + limit]
    if complete:
        return base.page(rows, offset, limit)
    return base.TOTAL_CAP, True, rows[offset : offset + limit]


def _in_column(cursor: Any, column: str, term: Term, lowest: int) -> list[int]:
    """Ids from ``lowest`` up whose ``column`` holds ``term``: an FTS5 column filter on the
    index, no row read."""
    cursor.execute(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid >= %s",
        [f"{{{column}}} : ({fts5_expression([term])})", lowest],
    )
    return [int(i) for (i,) in cursor.fetchall()]


def _index_score(
    cursor: Any, terms: list[Term], newest: list[int], older_names: list[int]
) -> list[tuple[int, float]]:
    """What `_field_score` gives (per term 10 in the name, 4 in the summary), read from the index.

    ``newest`` are the window of newest matches (ids descending); per term and field one column
    filter over the ids from the window's oldest up tells which hold it — a few index lookups
    instead of reading up to 2,000 rows, whose status and dates sit behind the bodies (each read
    walks the body's overflow pages: 7 ms of the 9 a common query cost at 20,000 realistic
    records). ``older_names`` (name matches older than the window) hold every term in the name;
    their summaries, short and stored before the bodies, are read from the rows. Ties go to the
    newer record (the window is the newest by id too)."""
    scores = dict.fromkeys(newest, 0.0)
    lowest = min(newest)
    for term in terms:
        for column, weight in (("name", WEIGHTS[0]), ("summary", WEIGHTS[1])):
            for record_id in _in_column(cursor, column, term, lowest):
                if record_id in scores:
                    scores[record_id] += weight
    if older_names:
        parts, params = [], []
        for term in terms:
            col = "lower(r.summary)" if has_ascii_letters(term.text) else "r.summary"
            parts.append(f"(instr({col}, %s) > 0) * {WEIGHTS[1]}")
            params.append(term.text)
        cursor.execute(
            f"SELECT r.id, {' + '.join(parts)} FROM catalog_record r "
            f"WHERE r.id IN ({','.join(['%s'] * len(older_names))})",
            [*params, *older_names],
        )
        for record_id, in_summary in cursor.fetchall():
            scores[int(record_id)] = WEIGHTS[0] * len(terms) + float(in_summary)
    return sorted(scores.items(), key=lambda row: (-row[1], -row[0]))


def _published_page(cursor: Any, rows: list[tuple[int, float]], upto: int) -> list[tuple[int, float]]:
    """``rows`` without any record no longer published among the first ``upto``: the query-time
    check of the page (the index holds published records only, so this rarely drops one)."""
    checked = 0
    while checked < min(upto, len(rows)):
        chunk = [i for i, _ in rows[checked:upto]]
        cursor.execute(
            f"SELECT r.id FROM {base.RECORDS_CHECKED} WHERE r.id IN ({','.join(['%s'] * len(chunk))}) "
            "AND r.status = %s",
            [*chunk, Status.PUBLISHED.value],
        )
        live = {int(i) for (i,) in cursor.fetchall()}
        if len(live) == len(chunk):
            break
        gone = set(chunk) - live
        rows = rows[:checked] + [row for row in rows[checked:] if row[0] not in gone]
        checked += len(live)
    return rows
