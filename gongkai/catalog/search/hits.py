"""The shown page's hits: names, snippets and the match check, computed in SQL (docs/search.md).

Only the page's rows are read, and of each only its name and a window of SNIPPET_CHARS characters
around the first match in the summary, the body or (when some term is only there) an attachment's
text: the database finds the positions (``instr``/``strpos``) and cuts the window (``substr``);
Python marks the terms inside it. Whole bodies and attachment texts never leave the database.

The windows and marks are those of ``text.snippet`` and ``text.highlight`` on the whole text.
"""

# SQL is assembled from constant names and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from gongkai.catalog.choices import Status
from gongkai.catalog.search.base import ATTACHMENT_TABLE
from gongkai.catalog.search.text import SNIPPET_CHARS, has_ascii_letters, highlight

# Stands for "not found" in position arithmetic (longer than any text kept).
NOWHERE = 1 << 30
# text.snippet's window starts this many characters before the first match.
LEAD = SNIPPET_CHARS // 3
# The database returns this many characters from SNIPPET_CHARS - 1 before the first match: they
# hold the window wherever the text ends, so its length need not be counted (length() reads it all).
PIECE = 2 * SNIPPET_CHARS


@dataclass(frozen=True)
class Hit:
    record_id: int
    rank: float
    name_html: str = ""
    snippet_html: str = ""
    # Set when the terms are not all in the name, summary or body: the snippet comes from this file.
    attachment_id: int | None = None
    attachment_name: str = ""


class _Sql:
    """The few spellings that differ between SQLite and PostgreSQL."""

    def __init__(self) -> None:
        pg = connection.vendor == "postgresql"
        self.pg = pg
        self.least = "LEAST" if pg else "min"
        self.greatest = "GREATEST" if pg else "max"
        # `+` keeps SQLite from scanning an index on status (every published record) instead of
        # looking the page's ids up; PostgreSQL has no unary plus on text and needs none.
        self.status = "r.status" if pg else "+r.status"

    def position(self, col: str, needle: str) -> str:
        """1-based character position of the needle in `col`, 0 when absent (one parameter)."""
        if not has_ascii_letters(needle):
            folded = col
        elif self.pg:
            folded = f"translate({col}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
        else:
            folded = f"lower({col})"  # SQLite's lower() folds ASCII only: the matching rule
        return f"{'strpos' if self.pg else 'instr'}({folded}, %s)"

    def piece(self, col: str, positions: list[str]) -> str:
        """PIECE characters of `col` from SNIPPET_CHARS - 1 before the earliest of `positions`
        (materialised columns; 0 = absent), or from the start when none is found."""
        found = [f"coalesce(nullif({p}, 0), {NOWHERE})" for p in positions]
        first = f"{self.least}({', '.join([*found, str(NOWHERE)])})"
        start = (
            f"(CASE WHEN {first} = {NOWHERE} THEN 0 ELSE {self.greatest}(0, {first} - {SNIPPET_CHARS}) END)"
        )
        return f"substr({col}, {start} + 1, {PIECE})"


def page_hits(page: Sequence[tuple[int, float]], needles: list[str]) -> list[Hit]:
    """Hits for the page's (record id, rank), in that order; records no longer published or no
    longer holding every term (an out-of-band edit of an indexed record) are left out."""
    if not page:
        return []
    sql = _Sql()
    records = _record_texts(sql, [record_id for record_id, _ in page], needles)
    lacking = {
        pk: [i for i in range(len(needles)) if not (row.in_name[i] or row.summary.has(i) or row.body.has(i))]
        for pk, row in records.items()
    }
    files = _file_texts(sql, [pk for pk, missing in lacking.items() if missing], needles)
    hits = []
    for record_id, score in page:
        row = records.get(record_id)
        if row is None:
            continue
        missing = lacking[record_id]
        source = None
        if missing:
            attached = files.get(record_id, [])
            if not all(any(f.text.has(i) for f in attached) for i in missing):
                continue  # some term is nowhere in the record
            # Some term is only in a file: show the first file holding one the record lacks.
            source = next(f for f in attached if any(f.text.has(i) for i in missing))
        hits.append(
            Hit(
                record_id=record_id,
                rank=score,
                name_html=highlight(row.name, needles),
                snippet_html=(
                    _snippet(row.summary, row.body, needles)
                    if source is None
                    else _snippet(None, source.text, needles)
                ),
                attachment_id=None if source is None else source.attachment_id,
                attachment_name="" if source is None else source.name,
            )
        )
    return hits


@dataclass(frozen=True)
class _Piece:
    """Part of a text around its first match: the positions of each needle (1-based, 0 = absent)
    and PIECE characters from ``offset``."""

    positions: list[int]
    piece: str

    def has(self, i: int) -> bool:
        return self.positions[i] > 0

    @property
    def first(self) -> int | None:
        """0-based start of the earliest match."""
        found = [p for p in self.positions if p > 0]
        return min(found) - 1 if found else None

    @property
    def offset(self) -> int:
        first = self.first
        return 0 if first is None else max(0, first + 1 - SNIPPET_CHARS)

    def window(self) -> tuple[int, int, bool]:
        """text.snippet's window on the whole text: (start, end) relative to the piece, and
        whether the text goes on after it."""
        first = self.first
        offset = self.offset
        short = len(self.piece) < PIECE
        length = offset + len(self.piece) if short else None  # else at least offset + PIECE
        if first is None:
            start = 0
        elif length is None:
            start = max(0, first - LEAD)
        else:
            start = max(0, min(first - LEAD, length - SNIPPET_CHARS))
        end = start + SNIPPET_CHARS if length is None else min(length, start + SNIPPET_CHARS)
        return start - offset, end - offset, length is None or end < length


@dataclass(frozen=True)
class _RecordTexts:
    name: str
    in_name: list[bool]
    summary: _Piece
    body: _Piece


@dataclass(frozen=True)
class _FileText:
    attachment_id: int
    name: str
    text: _Piece


def _record_texts(sql: _Sql, ids: list[int], needles: list[str]) -> dict[int, _RecordTexts]:
    """The page's published records: names, and summary and body pieces around their first match."""
    inner = ["r.id AS id"]
    params: list[Any] = []
    for alias, col in (("n", "r.name"), ("s", "r.summary"), ("b", "r.body_text")):
        for i, needle in enumerate(needles):
            inner.append(f"{sql.position(col, needle)} AS {alias}{i}")
            params.append(needle)
    summary = sql.piece("r.summary", [f"p.s{i}" for i in range(len(needles))])
    body = sql.piece("r.body_text", [f"p.b{i}" for i in range(len(needles))])
    positions = [f"p.{alias}{i}" for alias in "nsb" for i in range(len(needles))]
    marks = ",".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            # materialised: each position is found once, not again in every expression using it
            f"WITH p AS MATERIALIZED (SELECT {', '.join(inner)} FROM catalog_record r "
            f"WHERE r.id IN ({marks}) AND {sql.status} = %s) "
            f"SELECT p.id, r.name, {summary}, {body}, {', '.join(positions)} "
            "FROM p JOIN catalog_record r ON r.id = p.id",
            [*params, *ids, Status.PUBLISHED.value],
        )
        rows = cursor.fetchall()
    k = len(needles)
    out = {}
    for row in rows:
        found = [int(x) for x in row[4:]]
        out[int(row[0])] = _RecordTexts(
            name=row[1],
            in_name=[p > 0 for p in found[:k]],
            summary=_Piece(found[k : 2 * k], row[2]),
            body=_Piece(found[2 * k :], row[3]),
        )
    return out


def _file_texts(sql: _Sql, record_ids: list[int], needles: list[str]) -> dict[int, list[_FileText]]:
    """Per record, its files that have text, in upload order, with a piece around the first match."""
    if not record_ids:
        return {}
    inner = ["a.attachment_id AS id", "a.record_id AS record_id"]
    params: list[Any] = []
    for i, needle in enumerate(needles):
        inner.append(f"{sql.position('a.text', needle)} AS t{i}")
        params.append(needle)
    cols = [f"p.t{i}" for i in range(len(needles))]
    marks = ",".join(["%s"] * len(record_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH p AS MATERIALIZED (SELECT {', '.join(inner)} FROM {ATTACHMENT_TABLE} a "
            f"WHERE a.record_id IN ({marks}) AND a.text <> '') "
            f"SELECT p.record_id, p.id, f.original_name, {sql.piece('a.text', cols)}, {', '.join(cols)} "
            f"FROM p JOIN {ATTACHMENT_TABLE} a ON a.attachment_id = p.id "
            "JOIN catalog_attachment f ON f.id = p.id ORDER BY p.record_id, p.id",
            [*params, *record_ids],
        )
        rows = cursor.fetchall()
    out: dict[int, list[_FileText]] = {}
    for row in rows:
        piece = _Piece([int(x) for x in row[4:]], row[3])
        out.setdefault(int(row[0]), []).append(_FileText(int(row[1]), row[2], piece))
    return out


def _cut(piece: _Piece, needles: list[str]) -> str:
    start, end, more = piece.window()
    text = piece.piece[start:end]
    return ("…" if start + piece.offset > 0 else "") + highlight(text, needles) + ("…" if more else "")


def _snippet(summary: _Piece | None, body: _Piece, needles: list[str]) -> str:
    """text.snippet(summary, body, needles) from the pieces (no summary: a file's text)."""
    for piece in (summary, body):
        if piece is not None and piece.first is not None:
            return _cut(piece, needles)
    # No term in either: the start of the summary, else of the body (both pieces start at 0).
    piece = summary if summary is not None and summary.piece else body
    return html.escape(piece.piece[:SNIPPET_CHARS]) + ("…" if len(piece.piece) > SNIPPET_CHARS else "")
