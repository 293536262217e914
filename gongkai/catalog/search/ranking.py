"""The order of a result: field tiers over the backend's score, or newest publication first.

A backend's score does not keep the fields strictly apart: bm25 (SQLite) saturates a term's
count and divides by the field's length, so a long title holding the query once can score below
a record holding it often in its summary and body. `tiered` puts the fields first, per term:
name 10, summary 4, and a title that *begins* with the first term 6 more (the record named by
what was typed: 延吉口岸签证 → 延吉口岸签证业务启动新闻发布会 above 关于延吉口岸签证…的通告); the
backend's order decides within a tier, and its score already puts the body above the attachments
(bm25 weights 1 and 0.5 on SQLite; field matches without the attachments), so name > summary >
body > attachment. It reads only the names and summaries (short) of at most TOTAL_CAP candidates
(the page's window when the total is exact), in the database — never the bodies, which would
cost a read of up to a thousand documents a query.
"""

# SQL is assembled from constant names and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connection

from gongkai.catalog.search.base import RECORDS_CHECKED, WEIGHTS
from gongkai.catalog.search.hits import _Sql

RELEVANCE = "relevance"
DATE = "date"
ORDERS = (RELEVANCE, DATE)
# A name that begins with the first term: above the same term also in the summary (so a title that
# begins with the query beats near-identical titles holding it that also repeat it below), below
# another term in the name.
PREFIX_BONUS = WEIGHTS[1] + WEIGHTS[2] + 1

Rows = list[tuple[int, float]]


def _in(ids: list[int]) -> tuple[str, list[Any]]:
    if connection.vendor == "postgresql":
        return "r.id = ANY(%s)", [ids]  # one array parameter: planning 1,000 literals costs ~5 ms
    return "r.id IN (" + ",".join(["%s"] * len(ids)) + ")", list(ids)


def tiered(rows: Rows, needles: list[str]) -> Rows:
    """`rows` (record id, score), best first by the backend, re-ordered by field tier (stable)."""
    if len(rows) < 2 or not needles:
        return rows
    sql = _Sql()
    parts: list[str] = []
    params: list[Any] = []
    for needle in needles:
        for col, weight in zip(("r.name", "r.summary"), WEIGHTS[:2], strict=True):
            parts.append(f"(CASE WHEN {sql.position(col, needle)} > 0 THEN {weight} ELSE 0 END)")
            params.append(needle)
    parts.append(f"(CASE WHEN {sql.position('r.name', needles[0])} = 1 THEN {PREFIX_BONUS} ELSE 0 END)")
    params.append(needles[0])
    where, ids = _in([i for i, _ in rows])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id, {' + '.join(parts)} FROM catalog_record r WHERE {where}", [*params, *ids]
        )
        tier = {int(i): float(t) for i, t in cursor.fetchall()}
    return sorted(rows, key=lambda row: -tier.get(row[0], 0.0))


def by_date(rows: Rows) -> Rows:
    """`rows` newest publication first (ties: the higher id), scores kept."""
    if len(rows) < 2:
        return rows
    score = dict(rows)
    where, ids = _in(list(score))
    # SQLite: the dates from the covering index, not from behind each body (base.RECORDS_CHECKED).
    table = RECORDS_CHECKED if connection.vendor == "sqlite" else "catalog_record r"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT r.id FROM {table} WHERE {where} ORDER BY r.published_at DESC, r.id DESC", ids)
        return [(int(i), score[int(i)]) for (i,) in cursor.fetchall()]
