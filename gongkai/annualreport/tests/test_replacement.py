"""A corrected report replaces the earlier publication of its year in the catalog's 年度报告
column: the earlier record is withdrawn through the catalog's withdraw act, with its reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.annualreport import services
from gongkai.annualreport.tests.conftest import SEED
from gongkai.annualreport.tests.fakes import registry
from gongkai.catalog.choices import Status as RecordStatus
from gongkai.catalog.models import Record
from gongkai.core.models import AuditEvent

NOW = dt.datetime(2016, 1, 10, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2016, 2, 20, 9, 0, tzinfo=dt.UTC)
TITLE = "吉林省公安厅2015年度政府信息公开工作报告"


def _publish(report, *, office_editor, leader, reviewer, figures, now):
    common = {"registry": figures, "now": now}
    report = services.do_check_report(report, actor=office_editor, expected_version=report.version, **common)
    report = services.do_approve_report(report, actor=leader, expected_version=report.version, **common)
    published = services.do_publish_report(report, actor=reviewer, expected_version=report.version, now=now)
    report.refresh_from_db()
    return report, published


@pytest.fixture
def two_versions(office_editor, leader, reviewer, pdf_stub):
    """The 2015 report published, redrafted from corrected figures and published again."""
    people = {"office_editor": office_editor, "leader": leader, "reviewer": reviewer}
    first_figures = registry(SEED)
    report = services.do_create_report(2015, actor=office_editor, registry=first_figures, now=NOW)
    report, v1 = _publish(report, figures=first_figures, now=NOW, **people)
    corrected = registry({**SEED, "catalog.publications.total": 9700})
    report = services.do_redraft_report(
        report, actor=office_editor, expected_version=report.version, registry=corrected, now=LATER
    )
    report, v2 = _publish(report, figures=corrected, now=LATER, **people)
    return v1, v2


def _snapshot(records):
    return {r.pk: (r.status, r.version, r.withdrawal_reason) for r in records}


def test_a_corrected_report_withdraws_the_earlier_record(two_versions, reviewer):
    v1, v2 = two_versions
    old = Record.objects.get(pk=v1.record_id)
    new = Record.objects.get(pk=v2.record_id)
    assert (v1.number, v2.number) == (1, 2)
    assert new.status == RecordStatus.PUBLISHED
    assert old.status == RecordStatus.WITHDRAWN
    assert old.withdrawal_reason == f"已由更正后的年度报告替代（索引号：{new.index_number}）。"
    # The new record says what it replaces.
    assert old.index_number in new.summary and "更正后的版本" in new.summary
    # The catalog's own act did it: its audit event, by the publisher, with the reason.
    event = AuditEvent.objects.get(action="catalog.record.withdrawn", object_id=str(old.pk))
    assert event.actor_id == reviewer.pk
    published = AuditEvent.objects.filter(action="annualreport.report.published").order_by("id")
    assert [(e.after or {}).get("replaced_records") for e in published] == [[], [old.pk]]
    # The publications themselves stay as issued.
    v1.refresh_from_db()
    assert "9695条" in v1.html


def test_the_column_lists_one_report_for_the_year(client, two_versions):
    v1, v2 = two_versions
    page = client.get(reverse("catalog:category", args=["annual-reports"])).content.decode()
    assert page.count(TITLE) == 1
    new = Record.objects.get(pk=v2.record_id)
    assert new.get_absolute_url() in page
    assert Record.objects.get(pk=v1.record_id).get_absolute_url() not in page
    # The earlier record's page is a withdrawal notice naming the new one.
    old_page = client.get(Record.objects.get(pk=v1.record_id).get_absolute_url())
    assert old_page.status_code == 410 and new.index_number in old_page.content.decode()
    # The new record's page says it replaces the earlier one.
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert Record.objects.get(pk=v1.record_id).index_number in new_page


def test_nothing_else_of_the_catalog_changes(office_editor, leader, reviewer, pdf_stub, make_record):
    from gongkai.catalog.models import Category

    column = Category.objects.get(code="annual-reports")
    other_in_column = make_record(status="published", name="2014年度报告（手工录入）", category=column)
    elsewhere = make_record(status="published")
    withdrawn = make_record(status="withdrawn", name="已撤回的通告")
    others = [other_in_column, elsewhere, withdrawn]
    before = _snapshot(others)
    people = {"office_editor": office_editor, "leader": leader, "reviewer": reviewer}
    figures = registry(SEED)
    report = services.do_create_report(2015, actor=office_editor, registry=figures, now=NOW)
    report, _v1 = _publish(report, figures=figures, now=NOW, **people)
    report = services.do_redraft_report(
        report, actor=office_editor, expected_version=report.version, registry=figures, now=LATER
    )
    report, v2 = _publish(report, figures=figures, now=LATER, **people)
    for record in others:
        record.refresh_from_db()
    assert _snapshot(others) == before
    assert Record.objects.filter(status=RecordStatus.PUBLISHED, category=column).count() == 2
    assert set(
        Record.objects.filter(status=RecordStatus.PUBLISHED, category=column).values_list("pk", flat=True)
    ) == {other_in_column.pk, v2.record_id}


def test_a_third_publication_withdraws_only_the_second(two_versions, office_editor, leader, reviewer):
    """A third publication withdraws only the second's record (the first is already withdrawn)."""
    v1, v2 = two_versions
    first = Record.objects.get(pk=v1.record_id)
    reason, version = first.withdrawal_reason, first.version
    report = v2.report
    figures = registry(SEED)
    later = LATER + dt.timedelta(days=3)
    report = services.do_redraft_report(
        report, actor=office_editor, expected_version=report.version, registry=figures, now=later
    )
    people = {"office_editor": office_editor, "leader": leader, "reviewer": reviewer}
    report, v3 = _publish(report, figures=figures, now=later, **people)
    first.refresh_from_db()
    assert (first.withdrawal_reason, first.version) == (reason, version)
    assert Record.objects.get(pk=v2.record_id).status == RecordStatus.WITHDRAWN
    assert Record.objects.get(pk=v3.record_id).status == RecordStatus.PUBLISHED
