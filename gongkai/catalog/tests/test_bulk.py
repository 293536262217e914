"""bulk.insert_rows / StatementWriter: statements on a second thread, one transaction, errors surface."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from gongkai.catalog import bulk
from gongkai.catalog.models import IndexSequence

pytestmark = pytest.mark.django_db(transaction=True)


def rows(*years: int) -> list[dict[str, object]]:
    return [{"org_code": "TEST", "year": year, "last": 0} for year in years]


def test_writer_inserts_in_order_within_the_callers_transaction():
    done: list[str] = []
    with transaction.atomic(), bulk.statement_writer() as writer:
        bulk.insert_rows(IndexSequence, rows(2001, 2002), writer=writer, done=lambda: done.append("a"))
        bulk.insert_rows(IndexSequence, rows(2003), writer=writer, done=lambda: done.append("b"))
        if writer is not None:
            writer.drain()
        assert done == ["a", "b"]
        assert IndexSequence.objects.filter(org_code="TEST").count() == 3


def test_a_failing_statement_raises_djangos_error_and_nothing_is_kept():
    IndexSequence.objects.create(org_code="TEST", year=2001, last=0)
    after_error: list[str] = []
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.statement_writer() as writer:
        bulk.insert_rows(IndexSequence, rows(2002), writer=writer)
        bulk.insert_rows(IndexSequence, rows(2001), writer=writer)  # (org_code, year) is unique
        bulk.insert_rows(IndexSequence, rows(2003), writer=writer, done=lambda: after_error.append("ran"))
    assert after_error == []  # skipped: the transaction rolls back anyway
    assert list(IndexSequence.objects.filter(org_code="TEST").values_list("year", flat=True)) == [2001]
    assert connection.in_atomic_block is False


def test_reserved_ids_follow_every_id_ever_handed_out():
    with transaction.atomic():
        deleted_id = IndexSequence.objects.create(org_code="TEST", year=2001, last=0).pk
    # AUTOINCREMENT: a deleted id is not handed out again.
    IndexSequence.objects.filter(pk=deleted_id).delete()
    if connection.vendor != "sqlite":
        with pytest.raises(RuntimeError):
            bulk.reserve_ids(IndexSequence)
        return
    with pytest.raises(RuntimeError):  # outside a transaction another writer could take them
        bulk.reserve_ids(IndexSequence)
    with transaction.atomic(), bulk.statement_writer() as writer:
        first = bulk.reserve_ids(IndexSequence)
        assert first == deleted_id + 1
        rows_with_ids = [{**row, "id": first + i} for i, row in enumerate(rows(2002, 2003))]
        bulk.insert_rows(IndexSequence, rows_with_ids, writer=writer, with_ids=True)
    assert dict(IndexSequence.objects.filter(org_code="TEST").values_list("year", "pk")) == {
        2002: first,
        2003: first + 1,
    }
    with transaction.atomic():
        assert IndexSequence.objects.create(org_code="TEST", year=2004, last=0).pk == first + 2
