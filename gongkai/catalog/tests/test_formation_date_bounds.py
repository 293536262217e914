"""A formation date before 1949 is a typing mistake (0001-01-01 made index number
`013544308/1-00001`, whose API address did not resolve): the form, the service and the import
each refuse it with the field named."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog import services
from gongkai.catalog.models import Record
from gongkai.catalog.tests.test_import import csv_bytes, row, run
from gongkai.catalog.tests.test_staff_editing import form_data

__all__ = ["form_data", "run"]


@pytest.mark.parametrize("day", ["0001-01-01", "1948-12-31"])
def test_the_record_form_refuses_a_formation_date_before_1949(client, editor, form_data, day):
    client.force_login(editor)

    page = client.post("/workbench/records/new/", {**form_data, "formed_on": day})

    assert page.status_code == 200
    assert not Record.objects.exists()
    assert "成文日期不能早于1949年" in page.content.decode()


def test_1949_itself_is_accepted(client, editor, form_data):
    client.force_login(editor)

    assert client.post("/workbench/records/new/", {**form_data, "formed_on": "1949-10-01"}).status_code == 302
    assert Record.objects.get().index_number.split("/")[1].startswith("1949-")


def test_the_service_refuses_it_whoever_calls(editor, form_data, leaf_category, departments):
    data = {
        **form_data,
        "formed_on": dt.date(1, 1, 1),
        "department": departments["exit_entry"],
        "category": leaf_category,
    }

    with pytest.raises(services.CatalogError, match="1949"):
        services.validate_record(data)


def test_the_import_names_the_cell(run):
    report = run(csv_bytes([row(成文日期="0001-01-01"), row(名称="第二条")]))

    assert report.imported == 0
    assert [(e.row, e.column) for e in report.errors] == [(2, "成文日期")]
    assert "1949" in report.errors[0].message and "1949" in report.errors[0].message_en
