"""Writing checked rows in bulk: records, their transitions and portal publications, one audit
event per record (through core's bulk audit API) and the search index, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog import bulk, search_bulk
from gongkai.catalog.choices import Channel, Status
from gongkai.catalog.importer.check import INDEX_NUMBER_RE, CheckedRows, ImportRow, Progress
from gongkai.catalog.importer.read import ImportFileError
from gongkai.catalog.models import IndexSequence, Publication, Record, RecordTransition
from gongkai.catalog.services import PermissionDeniedError, compute_publish_due
from gongkai.core import audit


@dataclass
class ImportResult:
    imported: int = 0
    published: int = 0
    drafts: int = 0
    refused: bool = False
    index_numbers: list[str] = field(default_factory=list)


def _reserve_index_numbers(rows: Sequence[ImportRow]) -> None:
    """Give rows without an index number the next free numbers, and move every sequence past the
    numbers imported, so that no number is ever issued twice."""
    org_code = settings.AGENCY_ORG_CODE
    highest: dict[tuple[str, int], int] = {}
    for row in rows:
        match = INDEX_NUMBER_RE.match(row.index_number) if row.index_number else None
        if match:
            key = (match.group(1), int(match.group(2)))
            highest[key] = max(highest.get(key, 0), int(match.group(3)))
    wanted: dict[int, list[ImportRow]] = defaultdict(list)
    for row in rows:
        if not row.index_number:
            wanted[row.values["formed_on"].year].append(row)
    keys = set(highest) | {(org_code, year) for year in wanted}
    for code, year in sorted(keys):
        sequence, _created = IndexSequence.objects.select_for_update().get_or_create(org_code=code, year=year)
        last = max(sequence.last, highest.get((code, year), 0))
        if code == org_code:
            for row in wanted.get(year, []):
                last += 1
                if last > 99999:
                    raise ImportFileError(
                        f"{year} 年的索引号序号已用完（99999）。",
                        f"Index number sequence for {year} is exhausted (99999).",
                    )
                row.index_number = f"{code}/{year}-{last:05d}"
        if last != sequence.last:
            IndexSequence.objects.filter(pk=sequence.pk).update(last=last)


def _record_row(
    row: ImportRow, *, actor: User, now: dt.datetime, publish_due: dt.date | None
) -> dict[str, Any]:
    values = dict(row.values)
    values["category_id"] = values.pop("category").pk
    values["department_id"] = values.pop("department").pk
    values.update(
        index_number=row.index_number,
        publish_due=publish_due,
        status=Status.PUBLISHED if row.published_at is not None else Status.DRAFT,
        published_at=row.published_at,
        created_by_id=actor.pk,
        created_at=now,
        updated_at=now,
    )
    return values


@transaction.atomic
def do_import_records(
    rows: CheckedRows,
    *,
    actor: User,
    now: dt.datetime,
    partial: bool = False,
    source: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Create the checked rows as records in bulk: drafts, or published with a portal publication."""
    if not actor.has_role(Role.REVIEWER):
        raise PermissionDeniedError("只有公开办审核员可以导入目录 (only the disclosure office may import).")
    counts = {"rows": rows.total, "valid": len(rows.rows), "bad_rows": rows.bad_rows, "source": source[:200]}
    if rows.errors and not partial:
        audit.log_event("catalog.import.refused", actor=actor, after=counts)
        return ImportResult(refused=True)
    good = rows.rows
    _reserve_index_numbers(good)
    due: dict[dt.date, dt.date | None] = {}
    for row in good:
        formed_on = row.values["formed_on"]
        if formed_on not in due:
            due[formed_on] = compute_publish_due(formed_on)
    record_rows = [_record_row(r, actor=actor, now=now, publish_due=due[r.values["formed_on"]]) for r in good]
    by_number = {r["index_number"]: r for r in record_rows}
    published = [r for r in record_rows if r["published_at"] is not None]
    total = len(record_rows)
    saved = [0]

    def record_batch_saved(size: int) -> Callable[[], None]:
        def done() -> None:
            saved[0] += size
            if progress is not None:
                progress("save", saved[0], total)

        return done

    # On SQLite the INSERT statements run on a second thread while this one prepares the next
    # batch (bulk.StatementWriter); on PostgreSQL `writer` is None and each batch is COPYed in turn.
    with bulk.statement_writer() as writer:
        if writer is not None:
            # Ids known in advance: everything that refers to a record is queued right behind it.
            first_id = bulk.reserve_ids(Record)
            for offset, r in enumerate(record_rows):
                r["id"] = first_id + offset
        memo: dict[str, dict[Any, Any]] = {}
        for batch in bulk.batches(record_rows):
            ids = bulk.insert_rows(
                Record,
                batch,
                key="" if writer is not None else "index_number",
                memo=memo,
                writer=writer,
                done=record_batch_saved(len(batch)),
                with_ids=writer is not None,
            )
            for index_number, pk in ids.items():
                by_number[index_number]["id"] = pk
        # The search index's tokens need no ids: made while the records are written.
        tokens = search_bulk.prepare_texts(
            [(r["name"], r.get("summary", ""), r.get("body_text", "")) for r in published]
        )
        bulk.insert_rows(
            RecordTransition,
            [
                {
                    "record_id": r["id"],
                    "from_status": Status.DRAFT,
                    "to_status": Status.PUBLISHED,
                    "actor_id": actor.pk,
                    "at": now,
                    "reason": f"从原目录导入，原发布日期 {timezone.localtime(r['published_at']):%Y-%m-%d}",
                }
                for r in published
            ],
            writer=writer,
        )
        bulk.insert_rows(
            Publication,
            [
                {
                    "record_id": r["id"],
                    "channel": Channel.PORTAL,
                    "published_at": r["published_at"],
                    "recorded_by_id": actor.pk,
                }
                for r in published
            ],
            writer=writer,
        )
        _write_record_events(record_rows, actor=actor, now=now, writer=writer)
        # The search index takes the texts as they were inserted (no model instances needed).
        indexed = [0]
        for start in range(0, len(published), bulk.BATCH):
            chunk = published[start : start + bulk.BATCH]

            def batch_indexed(size: int = len(chunk)) -> None:
                indexed[0] += size
                if progress is not None:
                    progress("index", indexed[0], len(published))

            search_bulk.index_prepared(
                [r["id"] for r in chunk],
                tokens[start : start + bulk.BATCH],
                writer=writer,
                done=batch_indexed,
            )
    audit.log_event(
        "catalog.import.completed",
        actor=actor,
        after={**counts, "imported": total, "published": len(published), "skipped": rows.total - total},
    )
    return ImportResult(
        imported=total,
        published=len(published),
        drafts=total - len(published),
        index_numbers=[r["index_number"] for r in record_rows],
    )


def _write_record_events(
    record_rows: Sequence[dict[str, Any]],
    *,
    actor: User,
    now: dt.datetime,
    writer: bulk.StatementWriter | None,
) -> None:
    """One `catalog.record.imported` event per record, written in bulk through core's audit API
    on the import's own writer (queued behind the records)."""
    events = audit.bulk_events(
        "catalog.record.imported",
        (
            (
                r["id"],
                f"{r['index_number']} {r['name']}",
                {
                    "index_number": r["index_number"],
                    "name": r["name"],
                    "formed_on": r["formed_on"].isoformat(),
                    "issuer": r["issuer"],
                    "doc_number": r["doc_number"],
                    "category": r["category_id"],
                    "department": r["department_id"],
                    "attribute": r["attribute"],
                    "secrecy": r["secrecy"],
                    "status": r["status"],
                    "published_at": r["published_at"].isoformat() if r["published_at"] else None,
                },
            )
            for r in record_rows
        ),
        object_type="catalog.record",
        actor=actor,
        at=now,
    )
    audit.log_events_bulk(events, insert=partial(bulk.insert_rows, writer=writer))
