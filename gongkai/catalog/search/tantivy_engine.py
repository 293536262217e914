"""tantivy search backend (``SEARCH_ENGINE = "tantivy"``): the bigram tokens of text.py in a tantivy
index on disk, the database still the source of truth (docs/search.md, "The tantivy engine").

* Fields: ``name``, ``summary``, ``body``, ``attachments`` hold ``token_text`` under tantivy's
  whitespace tokenizer (so the tokens go in unchanged), with positions for phrase queries; ``id``,
  ``category``, ``department``, ``year`` are indexed fast integers, the last three to narrow
  filtered common queries.
* Matching is text.py's rule: per term segment a phrase of its bigrams (3+ characters), its bigram
  (2), or every token starting with it (1 character, a prefix); each term in some field; boosts
  name 10 > summary 4 > body 1 > attachments 0.5 on BM25. Terms the index cannot decide alone are
  re-checked by substring in SQL (the database backend's ``contains``).
* Every hit is checked at query time against ``catalog_record`` (published, the filters, the
  re-checks): a record withdrawn while the index still holds it never appears; when the checks drop
  candidates, more are read.
* Writes run after the database transaction commits (``transaction.on_commit``), one writer at a
  time across processes (an ``flock`` on ``write.lock`` around opening the IndexWriter, the changes
  and the commit); readers reopen when ``CURRENT`` names another directory and reload when the
  index's ``meta.json`` changed (one ``stat`` per query).
* ``rebuild`` (``gongkai reindex``) writes a new directory, switches ``CURRENT`` to it atomically
  (a rename) and reconciles it with the published records under the lock, so search answers all
  the while; the old directory is removed after.

Layout under ``SEARCH_TANTIVY_DIR`` (default ``DATA_DIR / "search-tantivy"``)::

    CURRENT      the name of the index directory in use
    write.lock   held (flock) by the one writer
    ix-<stamp>/  tantivy's files
"""

# SQL is assembled from constant table names and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import itertools
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from gongkai.catalog.choices import Status
from gongkai.catalog.search import base
from gongkai.catalog.search.base import WEIGHTS, Query, Ranked, Texts
from gongkai.catalog.search.text import Term, token_text

# Boosts of the four text fields (name, summary, body as the database backends; attachments below).
BOOSTS = (
    ("name", WEIGHTS[0]),
    ("summary", WEIGHTS[1]),
    ("body", WEIGHTS[2]),
    ("attachments", base.ATTACHMENT_WEIGHT),
)
TEXT_FIELDS = tuple(f for f, _ in BOOSTS)
WRITER_HEAP = 64_000_000  # bytes, one thread: a publish or a withdrawal writes one document
REBUILD_HEAP = 512_000_000
POINTER = "CURRENT"
LOCK = "write.lock"

logger = logging.getLogger(__name__)
_local = threading.local()
_open_lock = threading.Lock()
# Per process: the opened index of each directory, and the meta.json stamp it was last reloaded at.
_opened: dict[str, tuple[Any, Any]] = {}
_stamps: dict[str, int] = {}


# --------------------------------------------------------------------------------------------
# Where the index lives


def root(top: Path | None = None) -> Path:
    """The engine's directory: `top`, else the SEARCH_TANTIVY_DIR setting (tests), else under DATA_DIR."""
    if top is not None:
        path = top
    else:
        configured = getattr(settings, "SEARCH_TANTIVY_DIR", None)
        path = Path(configured) if configured else Path(settings.DATA_DIR) / "search-tantivy"
    path.mkdir(parents=True, exist_ok=True)
    return path


def current_dir(top: Path | None = None) -> Path:
    """The index directory in use, made (empty) on first use."""
    top = root(top)
    pointer = top / POINTER
    try:
        name = pointer.read_text().strip()
    except FileNotFoundError:
        name = ""
    if name and (top / name).is_dir():
        return top / name
    with writer_lock(top):  # first use: one process makes it
        try:
            name = pointer.read_text().strip()
        except FileNotFoundError:
            name = ""
        if name and (top / name).is_dir():
            return top / name
        path = _new_dir(top)
        _open(path)  # creates the empty index
        _switch(top, path)
        return path


def _new_dir(top: Path) -> Path:
    path = top / f"ix-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    return path


def _switch(top: Path, path: Path) -> None:
    """Point CURRENT at `path` atomically (write a temporary file, rename it over)."""
    tmp = top / f".{POINTER}.{uuid.uuid4().hex}"
    tmp.write_text(path.name + "\n")
    os.replace(tmp, top / POINTER)


@contextlib.contextmanager
def writer_lock(top: Path | None = None) -> Iterator[None]:
    """The one writer across processes and threads (flock on a descriptor of our own: threads of
    one process exclude each other too). Re-entrant within a thread."""
    path = str(root(top) / LOCK)
    held: set[str] = _local.__dict__.setdefault("held", set())
    if path in held:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held.add(path)
        yield
    finally:
        held.discard(path)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


# --------------------------------------------------------------------------------------------
# The schema and opening


def schema() -> Any:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    for field in ("category", "department", "year", "published"):
        sb.add_integer_field(field, indexed=True, fast=True)
    for field in TEXT_FIELDS:
        sb.add_text_field(field, tokenizer_name="ws", index_option="position")
    return sb.build()


def _open(path: Path) -> tuple[Any, Any]:
    """(index, schema) of the directory, opened once per process."""
    key = str(path)
    with _open_lock:
        found = _opened.get(key)
        if found is None:
            import tantivy

            sch = schema()
            index = tantivy.Index(sch, path=key, reuse=True)
            index.register_tokenizer(
                "ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
            )
            found = (index, sch)
            _opened[key] = found
        return found


def _forget(path: Path) -> None:
    with _open_lock:
        _opened.pop(str(path), None)
        _stamps.pop(str(path), None)


def _meta_stamp(path: Path) -> int:
    try:
        st = os.stat(path / "meta.json")
    except FileNotFoundError:
        return 0
    return st.st_mtime_ns ^ st.st_size ^ st.st_ino


def reader() -> tuple[Any, Any]:
    """(searcher, schema) of the current index, reloaded when another process committed."""
    path = current_dir()
    if str(path) not in _opened:  # a switch: the old directory is gone or going
        with _open_lock:
            _opened.clear()
            _stamps.clear()
    index, sch = _open(path)
    stamp = _meta_stamp(path)
    if _stamps.get(str(path)) != stamp:
        index.reload()
        _stamps[str(path)] = stamp
    return index.searcher(), sch


# --------------------------------------------------------------------------------------------
# Writing


def _document(sch: Any, row: Row) -> Any:
    import tantivy

    pk, name, summary, body, attached, category, department, year, published = row
    return tantivy.Document(
        id=pk,
        category=category,
        department=department,
        year=year,
        published=published,
        name=token_text(name),
        summary=token_text(summary),
        body=token_text(body),
        attachments=token_text(attached),
    )


# id, 4 texts, category, department, year, published_at (µs since the epoch: the ranking's tie-break)
Row = tuple[int, str, str, str, str, int, int, int, int]


def _rows(texts: Texts) -> list[Row]:
    """The texts with their attachments' text and filter fields (read from the database now)."""
    ids = [t[0] for t in texts]
    attached = base.attachment_texts(ids)
    fields = _filter_fields(ids)
    return [
        (pk, name, summary, body, attached.get(pk, ""), *fields.get(pk, (0, 0, 0, 0)))
        for pk, name, summary, body in texts
    ]


def _filter_fields(ids: Sequence[int]) -> dict[int, tuple[int, int, int, int]]:
    out: dict[int, tuple[int, int, int, int]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            cursor.execute(
                "SELECT id, category_id, department_id, formed_on, published_at FROM catalog_record "
                f"WHERE id IN ({','.join(['%s'] * len(chunk))})",
                chunk,
            )
            for pk, category, department, formed, published in cursor.fetchall():
                year = int(str(formed)[:4]) if formed else 0
                out[int(pk)] = (int(category or 0), int(department or 0), year, _micros(published))
    return out


def _micros(value: Any) -> int:
    if not value:
        return 0
    if isinstance(value, str):
        value = parse_datetime(value)
        if value is None:
            return 0
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp() * 1_000_000)


def _write(texts: Texts, deletes: Sequence[int]) -> None:
    """Index `texts` (read with their attachments and filter fields now), remove `deletes`."""
    commit(_rows(texts) if texts else [], deletes)


def commit(adds: Sequence[Row], deletes: Sequence[int], *, top: Path | None = None) -> None:
    """Under the writer lock: delete `deletes` and the ids of `adds`, add `adds`, commit."""
    with writer_lock(top):
        index, sch = _open(current_dir(top))
        writer = index.writer(WRITER_HEAP, 1)
        try:
            for pk in itertools.chain(deletes, (row[0] for row in adds)):
                writer.delete_documents_by_term("id", int(pk))
            for row in adds:
                writer.add_document(_document(sch, row))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()


def after_commit(fn: Callable[[], None]) -> None:
    """Run `fn` once the database transaction commits (at once outside one): a publish rolled
    back is never indexed. (Tests of the engine replace this to run it at once.)"""
    transaction.on_commit(functools.partial(_logged, fn))


def _logged(fn: Callable[[], None]) -> None:
    """The record is committed by now: a failed index write must not fail the request. It is
    logged, the query-time check hides what the index holds wrongly, and `gongkai reindex` (or
    reconcile) brings back what it lacks."""
    try:
        fn()
    except Exception:
        logger.exception("search index (tantivy): write failed; run `gongkai reindex`")


def index(texts: Texts) -> None:
    """After the commit: the attachments' text and the filter fields are read then, as committed."""
    rows = list(texts)
    after_commit(lambda: _write(rows, []))


def unindex(record_ids: Sequence[int]) -> None:
    ids = [int(i) for i in record_ids]
    if ids:
        after_commit(lambda: _write([], ids))


def clear() -> None:
    def run() -> None:
        with writer_lock():
            index, _ = _open(current_dir())
            writer = index.writer(WRITER_HEAP, 1)
            writer.delete_all_documents()
            writer.commit()
            writer.wait_merging_threads()

    after_commit(run)


def optimize() -> None:
    """Nothing to do: tantivy merges segments in its writer threads."""


# --------------------------------------------------------------------------------------------
# Rebuild and reconcile


def rebuild(*, batch: int = 5000, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every published record into a new directory, switch CURRENT to it, reconcile it with
    the records published or withdrawn meanwhile, remove the old directory. Search answers from
    the old index until the switch. Returns the number of records indexed."""
    import tantivy  # noqa: F401  (fail before any work when the engine is missing)

    top = root()
    old = current_dir()
    new = _new_dir(top)
    index, sch = _open(new)
    published = _published_ids_query()
    total = published.count()
    done = 0
    writer = index.writer(REBUILD_HEAP, 2)
    try:
        after = 0
        while True:
            rows = list(
                published.filter(id__gt=after)
                .order_by("id")
                .values_list("id", "name", "summary", "body_text")[:batch]
            )
            if not rows:
                break
            for row in _rows(rows):
                writer.add_document(_document(sch, row))
            after = rows[-1][0]
            done += len(rows)
            if progress is not None:
                progress(done, total)
        writer.commit()
    except BaseException:
        writer.rollback()
        writer.wait_merging_threads()
        _forget(new)
        shutil.rmtree(new, ignore_errors=True)
        raise
    writer.wait_merging_threads()
    with writer_lock():  # no service writes between the reconcile and the switch
        reconcile(new)
        _switch(top, new)
    if old != new:
        _forget(old)
        shutil.rmtree(old, ignore_errors=True)
    return done


def _published_ids_query() -> Any:
    from gongkai.catalog.models import Record

    return Record.objects.filter(status=Status.PUBLISHED)


def indexed_ids(path: Path | None = None) -> set[int]:
    import tantivy

    index, _ = _open(path or current_dir())
    index.reload()
    searcher = index.searcher()
    n = searcher.num_docs
    if not n:
        return set()
    hits = searcher.search(tantivy.Query.all_query(), n, count=False).hits
    return {int(v) for v in searcher.fast_field_values("id", [addr for _, addr in hits])}


def reconcile(path: Path | None = None) -> tuple[int, int]:
    """Make the index hold exactly the published records (by id): index the missing, remove the
    others. Call with the writer lock held when `path` is given. Returns (added, removed)."""

    def run(target: Path) -> tuple[int, int]:
        have = indexed_ids(target)
        want = set(_published_ids_query().values_list("id", flat=True))
        missing = sorted(want - have)
        extra = sorted(have - want)
        if not missing and not extra:
            return 0, 0
        from gongkai.catalog.models import Record

        rows: list[Row] = []
        for start in range(0, len(missing), 2000):
            chunk = missing[start : start + 2000]
            texts = list(
                Record.objects.filter(pk__in=chunk).values_list("id", "name", "summary", "body_text")
            )
            rows.extend(_rows(texts))
        index, sch = _open(target)
        writer = index.writer(WRITER_HEAP, 1)
        for pk in itertools.chain(extra, missing):
            writer.delete_documents_by_term("id", int(pk))
        for row in rows:
            writer.add_document(_document(sch, row))
        writer.commit()
        writer.wait_merging_threads()
        return len(missing), len(extra)

    if path is not None:
        return run(path)
    with writer_lock():
        return run(current_dir())


# --------------------------------------------------------------------------------------------
# Querying


def needs_recheck(term: Term) -> bool:
    return not term.exact_in_index


def contains(term: str) -> tuple[str, list[Any]]:
    """The database backend's substring test (the re-check is SQL on the record)."""
    from gongkai.catalog.search import postgres, sqlite

    if connection.vendor == "postgresql":
        return postgres.contains(term)
    return sqlite.contains(term)


def _segment_query(t: Any, sch: Any, field: str, seg: str) -> Any:
    if len(seg) == 1:
        # Every character starts a bigram or ends a segment: the tokens starting with it. No
        # character of a segment is ASCII punctuation, so none is a regex metacharacter.
        return t.Query.regex_query(sch, field, seg + ".*")
    if len(seg) == 2:
        return t.Query.term_query(sch, field, seg)
    return t.Query.phrase_query(sch, field, [a + b for a, b in itertools.pairwise(seg)])


def _text_query(t: Any, sch: Any, terms: list[Term], fields: Sequence[tuple[str, float]]) -> Any:
    """Every segment of every term in one of `fields`, scored with their boosts."""
    must = []
    for term in terms:
        for seg in term.segments:
            should = [
                (t.Occur.Should, t.Query.boost_query(_segment_query(t, sch, f, seg), boost))
                for f, boost in fields
            ]
            must.append((t.Occur.Must, should[0][1] if len(should) == 1 else t.Query.boolean_query(should)))
    return t.Query.boolean_query(must)


def _filter_clauses(t: Any, sch: Any, filters: tuple[list[int] | None, int | None, int | None]) -> list[Any]:
    category_ids, year, department_id = filters
    out = []
    if category_ids:
        out.append(t.Query.term_set_query(sch, "category", [int(c) for c in category_ids]))
    if year:
        out.append(t.Query.term_query(sch, "year", int(year)))
    if department_id:
        out.append(t.Query.term_query(sch, "department", int(department_id)))
    return [(t.Occur.Must, t.Query.const_score_query(q, 0.0)) for q in out]


def _with(t: Any, main: Any, clauses: list[Any]) -> Any:
    return t.Query.boolean_query([(t.Occur.Must, main), *clauses]) if clauses else main


def _checked(query: Query, ids: Sequence[int]) -> set[int]:
    """Of `ids`, those that are published records passing the filters and re-checks."""
    out: set[int] = set()
    ids = list(dict.fromkeys(ids))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHECK_CHUNK):
            chunk = ids[start : start + CHECK_CHUNK]
            cursor.execute(
                f"SELECT r.id FROM catalog_record r WHERE r.id IN ({','.join(['%s'] * len(chunk))}) "
                f"AND {query.cond}",
                [*chunk, *query.cond_params],
            )
            out.update(int(i) for (i,) in cursor.fetchall())
    return out


CHECK_CHUNK = 2000


def _scored(searcher: Any, hits: list[Any]) -> list[tuple[int, float]]:
    """(id, score) of the hits best first, ties to the newer record (as base.score: publication
    time, then id), from the index's fast fields."""
    addrs = [addr for _, addr in hits]
    ids = searcher.fast_field_values("id", addrs)
    published = searcher.fast_field_values("published", addrs)
    rows = sorted(
        ((float(sc), int(p or 0), int(i)) for (sc, _), p, i in zip(hits, published, ids, strict=True)),
        reverse=True,
    )
    return [(i, sc) for sc, _, i in rows]


def _first_checked(query: Query, rows: list[tuple[int, float]], want: int) -> list[tuple[int, float]]:
    """The first `want` of `rows` (best first) that pass the check, checking a chunk at a time."""
    out: list[tuple[int, float]] = []
    pos = 0
    step = want + 10
    while len(out) < want and pos < len(rows):
        chunk = rows[pos : pos + step]
        ok = _checked(query, [i for i, _ in chunk])
        out.extend(row for row in chunk if row[0] in ok)
        pos += len(chunk)
        step *= 2
    return out[:want]


def ranked(query: Query, offset: int, limit: int | None) -> Ranked:
    """A query matching at most BM25_MAX indexed records is ranked by BM25 over every match (read
    without the filters, which SQL applies: exact even for a record whose category or department
    changed outside the services); each is checked. A more common one, like the SQLite backend,
    is ranked among a bounded candidate set: its newest ``window = max(TOTAL_CAP, offset+limit)``
    matches (the filters narrowing in tantivy first) and its newest as many name matches. When the
    index holds at most `window` matches all are checked and the total is exact; otherwise the
    total is TOTAL_CAP with ``capped`` and the candidates are checked best first until the page is
    full (a query with a substring re-check, which may drop many, checks the newest until
    `window` pass)."""
    import tantivy as t

    searcher, sch = reader()
    main = _text_query(t, sch, query.indexed, BOOSTS)
    if limit is None:
        hits = searcher.search(main, searcher.num_docs or 1).hits
        ok = _checked(query, [int(i) for i in searcher.fast_field_values("id", [a for _, a in hits])])
        return base.page([row for row in _scored(searcher, hits) if row[0] in ok], offset, limit)
    # One pass gives the count and the newest matches (what a common query without filters needs).
    window = max(base.TOTAL_CAP, offset + limit)
    first = searcher.search(main, window, count=True, order_by_field="id")
    count = int(first.count or 0)
    if count <= base.BM25_MAX:
        hits = searcher.search(main, max(count, 1)).hits
        rows = _scored(searcher, hits)
        ok = _checked(query, [i for i, _ in rows])
        return base.page([row for row in rows if row[0] in ok], offset, limit)

    fast = _common(searcher, sch, main, query, offset, limit, check_all=bool(query.recheck_sql), first=first)
    if fast is not None:
        return fast
    # The checks dropped so many of the newest candidates that the page is short: check the newest
    # matches until `window` pass.
    slow = _common(searcher, sch, main, query, offset, limit, check_all=True)
    assert slow is not None
    return slow


def _common(
    searcher: Any,
    sch: Any,
    main: Any,
    query: Query,
    offset: int,
    limit: int,
    *,
    check_all: bool,
    first: Any = None,
) -> Ranked | None:
    """ranked() for a common query; None when (not check_all) the checked candidates cannot fill
    the page. `first`: the newest `window` matches of `main`, counted."""
    import tantivy as t

    window = max(base.TOTAL_CAP, offset + limit)
    narrowing = _filter_clauses(t, sch, _narrowing(query))
    filtered = _with(t, main, narrowing)
    if check_all:
        newest, complete = _newest_checked(searcher, filtered, query, window)
    else:
        result = first if first is not None and not narrowing else None
        if result is None:
            result = searcher.search(filtered, window, count=True, order_by_field="id")
        newest = {int(v) for v, _ in result.hits}
        complete = int(result.count or 0) <= window
    candidates = list(newest)
    if not complete:
        by_name = _with(t, _text_query(t, sch, query.indexed, BOOSTS[:1]), narrowing)
        in_name = searcher.search(by_name, window, count=False, order_by_field="id").hits
        candidates = list(dict.fromkeys([*candidates, *(int(v) for v, _ in in_name)]))
    if not candidates:
        return 0, False, []
    scoring = t.Query.boolean_query(
        [
            (t.Occur.Must, main),
            (t.Occur.Must, t.Query.const_score_query(t.Query.term_set_query(sch, "id", candidates), 0.0)),
        ]
    )
    rows = _scored(searcher, searcher.search(scoring, len(candidates)).hits)
    if complete:
        ok = newest if check_all else _checked(query, [i for i, _ in rows])
        return base.page([row for row in rows if row[0] in ok], offset, limit)
    if check_all:  # the name matches are not checked yet
        return base.TOTAL_CAP, True, _first_checked(query, rows, offset + limit)[offset:]
    page = _first_checked(query, rows, offset + limit)
    if len(page) < offset + limit:
        return None
    return base.TOTAL_CAP, True, page[offset:]


def _narrowing(query: Query) -> tuple[list[int] | None, int | None, int | None]:
    """The category, year and department filters of the query, read back from its parameters
    (base.filters: status, then the category ids, the year's bounds, the department)."""
    where, params = query.where, list(query.params[1:])
    category_ids: list[int] | None = None
    year: int | None = None
    department: int | None = None
    if "r.category_id IN" in where:
        n = where.split("r.category_id IN (", 1)[1].split(")", 1)[0].count("%s")
        category_ids, params = [int(p) for p in params[:n]], params[n:]
    if "r.formed_on >=" in where:
        year, params = int(str(params[0])[:4]), params[2:]
    if "r.department_id =" in where:
        department, params = int(params[0]), params[1:]
    if params:  # base.filters has changed shape: narrow by nothing (SQL still checks every filter)
        return None, None, None
    return category_ids, year, department


def _newest_checked(searcher: Any, tq: Any, query: Query, want: int) -> tuple[set[int], bool]:
    """The newest `want` matches of `tq` (by id) that pass the SQL check, reading further while
    the checks drop some; and whether that is every match."""
    out: set[int] = set()
    offset = 0
    step = want + 1
    while True:
        result = searcher.search(tq, step, count=False, order_by_field="id", offset=offset)
        ids = [int(v) for v, _ in result.hits]
        out |= _checked(query, ids)
        offset += len(ids)
        if len(out) >= want + 1:
            return set(sorted(out, reverse=True)[:want]), False
        if len(ids) < step:
            return out, True
        step = max(step, 2 * (want + 1 - len(out)))
