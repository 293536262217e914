"""The catalog's public bulk API for loading an existing catalog given as plain values (the demo,
a migration from another system): other apps call these instead of writing catalog tables.

`load_records` writes the records, and for each published one its transition, its portal
publication and its audit event (through core's bulk audit API), all dated at its own publication,
moves the index-number sequences past the numbers given, and indexes the published records for
search. `add_publications` records further appearances (Weibo, WeChat, press conferences).
The checked file import (`do_import_records`) writes the same rows through its own pipelined
writer, for speed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.catalog import bulk, search
from gongkai.catalog.choices import Channel, Status
from gongkai.catalog.importer.check import INDEX_NUMBER_RE
from gongkai.catalog.models import IndexSequence, Publication, Record, RecordTransition
from gongkai.core import audit

_PUBLICATION_FIELDS = {"record_id", "channel", "published_at", "link"}


@transaction.atomic
def load_records(
    rows: Sequence[Mapping[str, Any]],
    *,
    recorded_by: User,
    published_from: str = Status.APPROVED,
    note: str = "bulk load",
) -> dict[str, int]:
    """Create records from field values by attname (`category_id`, `department_id`,
    `created_by_id`, `index_number`, `status`, `published_at`, `created_at`, ...; a missing
    field takes its default) and return {index number: id}.

    Each published record (status published, `published_at` set) gets a transition
    `published_from` -> published by `recorded_by`, a portal publication and one audit event
    `catalog.record.published` (after: {"source": note}), each at its `published_at`."""
    values = [dict(row) for row in rows]
    for row in values:
        if not INDEX_NUMBER_RE.match(str(row.get("index_number", ""))):
            raise ValueError(f"not an index number: {row.get('index_number')!r}")
    ids = bulk.insert_rows(Record, values, key="index_number")
    _move_sequences([str(row["index_number"]) for row in values])
    published = [row for row in values if row.get("status") == Status.PUBLISHED and row.get("published_at")]
    for row in published:
        row["id"] = ids[row["index_number"]]
    bulk.insert_rows(
        RecordTransition,
        [
            {
                "record_id": row["id"],
                "from_status": published_from,
                "to_status": Status.PUBLISHED,
                "actor_id": recorded_by.pk,
                "at": row["published_at"],
            }
            for row in published
        ],
    )
    add_publications(
        [
            {"record_id": row["id"], "channel": Channel.PORTAL, "published_at": row["published_at"]}
            for row in published
        ],
        recorded_by=recorded_by,
    )
    events = []
    for row in published:
        events.extend(
            audit.bulk_events(
                "catalog.record.published",
                [(row["id"], f"{row['index_number']} {row['name']}", {"source": note})],
                object_type="catalog.record",
                actor=recorded_by,
                at=row["published_at"],
            )
        )
    audit.log_events_bulk(events, insert=bulk.insert_rows)
    search.index_texts(
        [(row["id"], row["name"], row.get("summary", ""), row.get("body_text", "")) for row in published]
    )
    return ids


def add_publications(rows: Sequence[Mapping[str, Any]], *, recorded_by: User) -> int:
    """Record appearances of existing records: `record_id`, `channel`, `published_at`, `link`."""
    for row in rows:
        if set(row) - _PUBLICATION_FIELDS or row.get("channel") not in Channel.values:
            raise ValueError(f"a publication takes {sorted(_PUBLICATION_FIELDS)}: {dict(row)!r}")
    bulk.insert_rows(Publication, [{**row, "recorded_by_id": recorded_by.pk} for row in rows])
    return len(rows)


def _move_sequences(index_numbers: Sequence[str]) -> None:
    """Move each (organisation, year) sequence past the highest number loaded: never issued twice."""
    highest: dict[tuple[str, int], int] = {}
    for number in index_numbers:
        match = INDEX_NUMBER_RE.match(number)
        if match:
            key = (match.group(1), int(match.group(2)))
            highest[key] = max(highest.get(key, 0), int(match.group(3)))
    for (code, year), last in sorted(highest.items()):
        sequence, _created = IndexSequence.objects.select_for_update().get_or_create(org_code=code, year=year)
        if last > sequence.last:
            IndexSequence.objects.filter(pk=sequence.pk).update(last=last)


def published_at_order(rows: Sequence[Mapping[str, Any]], ids: Mapping[str, int]) -> list[dict[str, Any]]:
    """Rows with their ids, in the catalog's own order (latest publication first)."""
    with_ids = [{**row, "id": ids[row["index_number"]]} for row in rows]
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(with_ids, key=lambda r: (r.get("published_at") or epoch, r["id"]), reverse=True)
