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
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.statement_writer() as writer:
        bulk.insert_rows(IndexSequence, rows(2002), writer=writer)
        bulk.insert_rows(IndexSequence, rows(2001), writer=writer)  # (org_code, year) is unique
    assert list(IndexSequence.objects.filter(org_code="TEST").values_list("year", flat=True)) == [2001]
    assert connection.in_atomic_block is False


def test_ids_by_key_after_the_writer_and_returned_without_one():
    with transaction.atomic(), bulk.statement_writer() as writer:
        assert bulk.insert_rows(IndexSequence, rows(2001, 2002), writer=writer) == {}
    created = {s.year: s.pk for s in IndexSequence.objects.filter(org_code="TEST")}
    assert bulk.ids_by_key(IndexSequence, "year", [2001, 2002]) == created
