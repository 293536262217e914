"""`import_catalog --background` queues the same job as the staff page; the catalog's bulk API
(`load_records`, `add_publications`) loads a catalog given as plain values, as the demo does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from gongkai.catalog import importer, search
from gongkai.catalog.models import ImportOutcome, IndexSequence, Publication, Record, RecordTransition
from gongkai.catalog.tests.test_import import csv_bytes, row
from gongkai.core.models import AuditEvent, JobRun

AT = dt.datetime(2015, 6, 3, 9, 30, tzinfo=dt.UTC)


def test_the_command_queues_the_import_in_the_background(
    reviewer, tmp_path, settings, capsys, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row(发布日期="2015-06-02")]))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_catalog", str(good), "--as", "reviewer", "--background")

    run = JobRun.objects.get(name="catalog.import")
    assert f"#{run.pk}" in capsys.readouterr().out
    assert run.state == "done" and run.started_by == reviewer
    assert ImportOutcome.objects.get(run=run).report["imported"] == 1
    assert Record.objects.filter(status="published").count() == 1
    with pytest.raises(CommandError, match="已经导入过"):
        call_command("import_catalog", str(good), "--as", "reviewer", "--background")
    with pytest.raises(CommandError, match="--dry-run"):
        call_command("import_catalog", str(good), "--as", "reviewer", "--background", "--dry-run")


def test_the_bulk_api_loads_records_with_their_transitions_publications_events_and_index(
    reviewer, editor, leaf_category, settings
):
    number = f"{settings.AGENCY_ORG_CODE}/2015-00042"
    ids = importer.load_records(
        [
            {
                "index_number": number,
                "name": "关于冬季交通安全的通告",
                "summary": "冬季出行注意安全。",
                "body_text": "冬季交通安全提示。",
                "formed_on": dt.date(2015, 6, 1),
                "issuer": "吉林省公安厅",
                "category_id": leaf_category.pk,
                "department_id": editor.department_id,
                "status": "published",
                "published_at": AT,
                "created_by_id": editor.pk,
                "created_at": AT,
                "updated_at": AT,
            }
        ],
        recorded_by=reviewer,
        note="test load",
    )
    record = Record.objects.get(pk=ids[number])
    importer.add_publications(
        [{"record_id": record.pk, "channel": "weibo", "published_at": AT, "link": "https://weibo.example/1"}],
        recorded_by=reviewer,
    )

    transition = RecordTransition.objects.get(record=record)
    assert (transition.from_status, transition.to_status, transition.actor, transition.at) == (
        "approved",
        "published",
        reviewer,
        AT,
    )
    assert sorted(Publication.objects.filter(record=record).values_list("channel", flat=True)) == [
        "portal",
        "weibo",
    ]
    event = AuditEvent.objects.get(action="catalog.record.published", object_id=str(record.pk))
    assert (event.at, event.after) == (AT, {"source": "test load"})
    assert IndexSequence.objects.get(org_code=settings.AGENCY_ORG_CODE, year=2015).last == 42
    assert search.matching_ids("交通安全") == [record.pk]
    with pytest.raises(ValueError, match="publication takes"):
        importer.add_publications([{"record_id": record.pk, "channel": "fax"}], recorded_by=reviewer)
