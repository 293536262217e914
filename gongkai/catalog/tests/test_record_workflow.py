"""The record workflow: draft → submitted → approved/returned → published → withdrawn, all audited."""

import datetime as dt

import pytest

from gongkai.catalog import services
from gongkai.catalog.choices import DisclosureAttribute, LegalBasis, Secrecy, Status
from gongkai.catalog.models import Publication, RecordTransition
from gongkai.core.models import AuditEvent


def actions(record):
    return list(
        AuditEvent.objects.filter(object_type="catalog.record", object_id=str(record.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


def test_it_walks_a_record_to_publication(make_record):
    record = make_record("published")
    assert record.status == Status.PUBLISHED
    assert record.published_at is not None
    assert actions(record) == [
        "catalog.record.created",
        "catalog.record.submitted",
        "catalog.record.approved",
        "catalog.record.published",
    ]
    assert RecordTransition.objects.filter(record=record).count() == 3
    assert Publication.objects.get(record=record).channel == "portal"


def test_index_numbers_are_sequential_and_never_reused(make_record, settings):
    first = make_record()
    second = make_record()
    assert first.index_number == f"{settings.AGENCY_ORG_CODE}/2015-00001"
    assert second.index_number == f"{settings.AGENCY_ORG_CODE}/2015-00002"
    third = make_record(formed_on=dt.date(2016, 1, 4))
    assert third.index_number.endswith("/2016-00001")


def test_body_is_sanitised(make_record):
    record = make_record()
    assert "<script>" not in record.body
    assert "延吉口岸签证业务正式启动" in record.body_text


def test_it_refuses_moves_outside_the_table(make_record, reviewer):
    record = make_record()
    with pytest.raises(services.TransitionError):
        services.do_publish_record(record, actor=reviewer, expected_version=record.version)
    record.refresh_from_db()
    assert record.status == Status.DRAFT


def test_only_reviewers_approve_and_publish(make_record, editor):
    record = make_record("submitted")
    with pytest.raises(services.PermissionDeniedError):
        services.do_approve_record(record, actor=editor, expected_version=record.version)


def test_returning_needs_a_reason_and_the_editor_can_resubmit(make_record, reviewer, editor):
    record = make_record("submitted")
    with pytest.raises(services.CatalogError):
        services.do_return_record(record, actor=reviewer, reason="  ", expected_version=record.version)
    record = services.do_return_record(
        record, actor=reviewer, reason="文号有误", expected_version=record.version
    )
    assert record.status == Status.RETURNED
    assert record.return_reason == "文号有误"
    record = services.do_update_record(
        record, {"doc_number": "吉公通〔2015〕13号"}, actor=editor, expected_version=record.version
    )
    record = services.do_submit_record(record, actor=editor, expected_version=record.version)
    assert record.status == Status.SUBMITTED


def test_withdrawal_needs_a_reason(make_record, reviewer):
    record = make_record("published")
    with pytest.raises(services.CatalogError):
        services.do_withdraw_record(record, actor=reviewer, reason="", expected_version=record.version)
    record = services.do_withdraw_record(
        record, actor=reviewer, reason="已废止", expected_version=record.version
    )
    assert record.status == Status.WITHDRAWN
    assert record.withdrawal_reason == "已废止"


def test_withheld_and_on_request_need_a_legal_basis(make_record):
    with pytest.raises(services.CatalogError, match="法律依据"):
        make_record(attribute=DisclosureAttribute.WITHHELD)
    record = make_record(attribute=DisclosureAttribute.WITHHELD, attribute_basis=LegalBasis.PROCESS_ART16)
    assert record.attribute_basis == "art16_process"


def test_only_proactive_non_secret_records_are_published(make_record, editor, reviewer):
    record = make_record(
        "approved", attribute=DisclosureAttribute.ON_REQUEST, attribute_basis=LegalBasis.ON_REQUEST_ART27
    )
    with pytest.raises(services.CatalogError, match="主动公开"):
        services.do_publish_record(record, actor=reviewer, expected_version=record.version)
    secret = make_record("approved", secrecy=Secrecy.SECRET)
    with pytest.raises(services.CatalogError, match="涉密"):
        services.do_publish_record(secret, actor=reviewer, expected_version=secret.version)


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(make_record, editor, reviewer):
    record = make_record()
    opened_version = record.version
    services.do_update_record(record, {"name": "第一人修改"}, actor=editor, expected_version=opened_version)
    with pytest.raises(services.ConflictError):
        services.do_update_record(
            record, {"name": "第二人修改"}, actor=reviewer, expected_version=opened_version
        )
    record.refresh_from_db()
    assert record.name == "第一人修改"


def test_editors_cannot_edit_other_departments_records(make_record, other_editor):
    record = make_record()
    with pytest.raises(services.PermissionDeniedError):
        services.do_update_record(record, {"name": "x"}, actor=other_editor, expected_version=record.version)


def test_publication_limit_is_20_working_days_from_formation(make_record):
    record = make_record(formed_on=dt.date(2015, 9, 25))
    # 2015: 28–30 Sep, National Day 1–7 Oct, make-up Sat 10 Oct.
    assert record.publish_due == dt.date(2015, 10, 29)


def test_channels_are_recorded_on_published_records_only(make_record, reviewer):
    draft = make_record()
    when = dt.datetime(2015, 6, 3, 10, tzinfo=dt.UTC)
    with pytest.raises(services.CatalogError):
        services.do_record_publication(
            draft, channel="weibo", published_at=when, actor=reviewer, expected_version=draft.version
        )
    record = make_record("published")
    services.do_record_publication(
        record,
        channel="weibo",
        published_at=when,
        link="https://weibo.example/1",
        actor=reviewer,
        expected_version=record.version,
    )
    assert sorted(record.publications.values_list("channel", flat=True)) == ["portal", "weibo"]
    assert "catalog.publication.recorded" in actions(record)
