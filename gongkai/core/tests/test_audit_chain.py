"""The audit trail is a hash chain: an event edited, inserted or removed behind the application's
back (raw SQL, as someone with the database file would) is named by `gongkai audit verify`."""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from gongkai.core import audit, crypto
from gongkai.core.models import AuditChainHead, AuditEvent
from tests.concurrency import shared_database  # noqa: F401

pytestmark = pytest.mark.django_db


def _events(n: int = 5) -> list[AuditEvent]:
    return [
        audit.log_event("core.test.done", actor=None, note=f"event {i}", after={"n": i, "名": "值"})
        for i in range(n)
    ]


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _findings() -> list[audit.Finding]:
    return list(audit.verify())


def test_it_chains_every_event_with_sm3_where_available():
    events = _events(3)
    assert [e.chain_seq for e in events] == [1, 2, 3]
    assert all(e.chain_hash.startswith(crypto.preferred_hash() + ":") for e in events)
    assert crypto.preferred_hash() in (crypto.SM3, crypto.SHA256)
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (events[-1].chain_seq, events[-1].chain_hash)
    assert _findings() == []


def test_it_names_an_event_edited_with_raw_sql():
    events = _events()
    _raw("UPDATE core_auditevent SET note = %s WHERE id = %s", ["nothing happened", events[2].pk])
    findings = _findings()
    assert [(f.kind, f.event_id) for f in findings] == [("edited", events[2].pk)]
    with pytest.raises(CommandError, match="1 finding"):
        call_command("audit", "verify")


def test_it_names_an_event_whose_hash_was_recomputed_by_the_editor():
    events = _events()
    _raw(
        "UPDATE core_auditevent SET actor_label = %s, chain_hash = %s WHERE id = %s",
        ["x", "sm3:00", events[1].pk],
    )
    kinds = [(f.kind, f.event_id) for f in _findings()]
    assert ("edited", events[1].pk) in kinds
    assert ("edited", events[2].pk) in kinds  # the next link no longer matches


def test_it_names_an_event_removed_from_the_middle_and_from_the_end():
    events = _events()
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[4].pk])
    findings = _findings()
    assert [f.kind for f in findings] == ["removed", "removed"]
    assert f"seq {events[2].chain_seq}–{events[2].chain_seq}" in findings[0].message
    assert "at the end" in findings[1].message


def test_it_names_an_event_inserted_without_the_audit_api():
    _events(3)
    _raw(
        "INSERT INTO core_auditevent (at, actor_label, action, object_type, object_id, object_repr, note, chain_hash)"
        " VALUES (%s, 'x', 'catalog.record.published', '', '', 'forged', '', '')",
        ["2026-01-01 00:00:00"],
    )
    forged = AuditEvent.objects.get(object_repr="forged")
    assert [(f.kind, f.event_id) for f in _findings()] == [("inserted", forged.pk)]


def test_it_names_an_event_appended_after_the_head():
    events = _events(2)
    _raw(
        "INSERT INTO core_auditevent (at, actor_label, action, object_type, object_id, object_repr, note,"
        " chain_seq, chain_hash) VALUES (%s, 'x', 'a', '', '', 'forged', '', %s, 'sm3:00')",
        ["2026-01-01 00:00:00", (events[-1].chain_seq or 0) + 1],
    )
    kinds = [f.kind for f in _findings()]
    assert "edited" in kinds and "inserted" in kinds


def test_bulk_events_continue_the_chain_in_one_pass():
    _events(2)
    rows = audit.bulk_events(
        "catalog.record.imported",
        [(i, f"record {i}", {"index_number": f"x-{i}", "名称": "名"}) for i in range(50)],
        object_type="catalog.record",
        actor=None,
    )
    audit.log_events_bulk(rows)
    _events(1)
    assert AuditEvent.objects.count() == 53
    assert AuditChainHead.objects.get().seq == AuditEvent.objects.order_by("-chain_seq")[0].chain_seq
    assert _findings() == []
    call_command("audit", "verify")


def test_an_ipv6_address_is_hashed_as_stored():
    audit.set_request_ip("2001:0db8:0000:0000:0000:0000:0000:0001")
    try:
        _events(1)
    finally:
        audit.set_request_ip(None)
    assert _findings() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_database")  # a file copy of in-memory SQLite, shared by the threads
def test_two_writers_at_once_do_not_fork_the_chain():
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(15):
                audit.log_event("core.test.done", actor=None, note=str(i))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == 30
    assert sorted(seq or 0 for seq in AuditEvent.objects.values_list("chain_seq", flat=True)) == list(
        range(1, 31)
    )
    assert _findings() == []


def test_events_written_through_the_imports_statement_writer_are_chained():
    from gongkai.catalog import bulk

    _events(1)
    with transaction.atomic(), bulk.statement_writer() as writer:
        rows = audit.bulk_events(
            "catalog.record.imported",
            [(i, f"record {i}", {"n": i}) for i in range(3000)],
            object_type="catalog.record",
            actor=None,
        )
        audit.log_events_bulk(rows, insert=partial(bulk.insert_rows, writer=writer))
    _events(1)
    assert AuditEvent.objects.count() == 3002
    assert _findings() == []
