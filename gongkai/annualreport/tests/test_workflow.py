"""The report's workflow through the services: who may make each move, and the validation gate."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.annualreport import services
from gongkai.annualreport.choices import Status
from gongkai.annualreport.models import AnnualReport, PublishedReport, PublishedReportChangeError
from gongkai.annualreport.tests import fakes
from gongkai.annualreport.tests.conftest import SEED
from gongkai.core.acts import ActError, ConflictError, PermissionDeniedError, TransitionError
from gongkai.core.models import AuditEvent

NOW = dt.datetime(2016, 1, 10, 9, 0, tzinfo=dt.UTC)
NOW_2022 = dt.datetime(2022, 1, 10, 9, 0, tzinfo=dt.UTC)  # when the 2021 report is written


@pytest.fixture
def report(office_editor, seed_registry):
    return services.do_create_report(2015, actor=office_editor, registry=seed_registry, now=NOW)


def _checked(report, office_editor, seed_registry):
    report = services.do_validate_report(
        report, actor=office_editor, expected_version=report.version, registry=seed_registry, now=NOW
    )
    return services.do_check_report(
        report, actor=office_editor, expected_version=report.version, registry=seed_registry, now=NOW
    )


def test_it_creates_the_draft_from_the_figures(report):
    assert report.status == Status.DRAFT
    assert report.form == "narrative" and report.rule_set == "2007"
    assert "9695条" in report.current().plain_text()
    assert AuditEvent.objects.filter(action="annualreport.report.created").count() == 1


def test_the_rule_set_is_the_one_in_force_when_the_report_is_due():
    assert services.rule_set_for(2018) == "2007"
    assert services.rule_set_for(2019) == "2019"


def test_only_the_office_drafts(editor, leader, seed_registry):
    for person in (editor, leader):
        with pytest.raises(PermissionDeniedError):
            services.do_create_report(2015, actor=person, registry=seed_registry)
    assert not AnnualReport.objects.exists()


def test_a_year_has_one_report(report, office_editor, seed_registry):
    with pytest.raises(ActError):
        services.do_create_report(2015, actor=office_editor, registry=seed_registry)


def test_edits_are_kept_and_a_stale_version_changes_nothing(report, office_editor):
    text = report.current().passages()[0].text + "（补充）"
    key = report.current().passages()[0].key
    report = services.do_save_edits(
        report, passages={key: text}, actor=office_editor, expected_version=report.version
    )
    assert report.current().passages()[0].text == text
    with pytest.raises(ConflictError):
        services.do_save_edits(
            report, passages={key: "别的"}, actor=office_editor, expected_version=report.version - 1
        )
    report.refresh_from_db()
    assert report.current().passages()[0].text == text


def test_an_edit_that_drops_a_figure_fails_validation_until_fixed(report, office_editor, seed_registry):
    press = next(p for p in report.current().passages() if p.key == "work.press")
    broken = press.text.replace("以省政府名义召开3场", "以省政府名义召开4场")
    report = services.do_save_edits(
        report, passages={"work.press": broken}, actor=office_editor, expected_version=report.version
    )
    report = services.do_validate_report(
        report, actor=office_editor, expected_version=report.version, registry=seed_registry, now=NOW
    )
    kinds = {f["kind"] for f in report.findings}
    assert "text.figure_not_stated" in kinds
    lost = next(f for f in report.findings if f["kind"] == "text.figure_not_stated")
    assert "pressroom.conferences.host.government" in lost["message"]
    with pytest.raises(ActError, match="校验未通过"):
        services.do_check_report(
            report, actor=office_editor, expected_version=report.version, registry=seed_registry, now=NOW
        )
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    report = services.do_save_edits(
        report, passages={"work.press": press.drafted}, actor=office_editor, expected_version=report.version
    )
    report = _checked(report, office_editor, seed_registry)
    assert report.status == Status.CHECKED


def test_carried_over_must_equal_last_years_carried_forward(office_editor):
    # 2020 carried 3 applications forward; 2021's table says 2 came over.
    registry = fakes.registry(SEED)
    report = services.do_create_report(2021, actor=office_editor, registry=registry, now=NOW_2022)
    report = services.do_validate_report(
        report, actor=office_editor, expected_version=report.version, registry=registry, now=NOW_2022
    )
    found = [f for f in report.findings if f["kind"] == "records.carried_over"]
    assert len(found) == 2  # the natural-person column and the total
    assert "上一年度结转下年度继续办理数 3" in found[0]["message"]


def test_a_finding_accepted_with_a_reason_lets_it_through(office_editor):
    carried = {
        "inforequests.table3.carried_forward.natural_person": 2,
        "inforequests.table3.carried_forward.total": 2,
    }
    registry = fakes.registry(SEED, overrides={2020: carried})
    report = services.do_create_report(2021, actor=office_editor, registry=registry, now=NOW_2022)
    report = services.do_validate_report(
        report, actor=office_editor, expected_version=report.version, registry=registry, now=NOW_2022
    )
    assert not [f for f in report.findings if f["kind"] == "records.carried_over"]
    registry = fakes.registry(
        SEED, overrides={2020: {**carried, "inforequests.table3.carried_forward.total": 5}}
    )
    report = services.do_validate_report(
        report, actor=office_editor, expected_version=report.version, registry=registry, now=NOW_2022
    )
    finding = next(f for f in report.findings if f["kind"] == "records.carried_over")
    with pytest.raises(ActError):
        services.do_accept_finding(
            report, finding["id"], reason="  ", actor=office_editor, expected_version=report.version
        )
    report = services.do_accept_finding(
        report,
        finding["id"],
        reason="2014年有5件移交市局办理",
        actor=office_editor,
        expected_version=report.version,
    )
    report = services.do_check_report(
        report, actor=office_editor, expected_version=report.version, registry=registry, now=NOW_2022
    )
    assert report.status == Status.CHECKED
    assert report.accepted[finding["id"]]["reason"] == "2014年有5件移交市局办理"


def test_the_deadline_is_the_rule_sets(report):
    from gongkai.annualreport import validation

    assert (
        validation.deadline(2015, "2007", dt.date(2016, 3, 20), published=False)[0].kind
        == "records.deadline_near"
    )
    assert (
        validation.deadline(2015, "2007", dt.date(2016, 4, 1), published=False)[0].kind
        == "records.deadline_passed"
    )
    assert (
        validation.deadline(2020, "2019", dt.date(2021, 2, 1), published=False)[0].kind
        == "records.deadline_passed"
    )
    assert validation.deadline(2020, "2019", dt.date(2020, 12, 1), published=False) == []
    assert validation.deadline(2015, "2007", dt.date(2016, 4, 1), published=True) == []


def test_the_period_must_be_the_calendar_year(report, office_editor, seed_registry):
    doc = report.current()
    wrong = doc.preface.replace("自2015年1月1日起", "自2014年1月1日起")
    from gongkai.annualreport import validation

    doc.preface = wrong
    assert [f.kind for f in validation.period(doc)] == ["records.period_text"]


def test_the_leader_approves_and_no_one_else(report, office_editor, reviewer, leader, seed_registry):
    report = _checked(report, office_editor, seed_registry)
    for person in (office_editor, reviewer):
        with pytest.raises(PermissionDeniedError):
            services.do_approve_report(
                report, actor=person, expected_version=report.version, registry=seed_registry
            )
    report = services.do_approve_report(
        report, actor=leader, expected_version=report.version, registry=seed_registry, now=NOW
    )
    assert report.status == Status.APPROVED and report.approved_by == leader


def test_a_draft_cannot_be_approved_or_published(report, leader, reviewer):
    with pytest.raises(TransitionError):
        services.do_approve_report(report, actor=leader, expected_version=report.version)
    with pytest.raises(TransitionError):
        services.do_publish_report(report, actor=reviewer, expected_version=report.version)


def test_a_checked_report_is_not_edited(report, office_editor, seed_registry):
    report = _checked(report, office_editor, seed_registry)
    key = report.current().passages()[0].key
    with pytest.raises(TransitionError):
        services.do_save_edits(
            report, passages={key: "改"}, actor=office_editor, expected_version=report.version
        )


def test_the_leader_returns_it_with_a_reason(report, office_editor, leader, seed_registry):
    report = _checked(report, office_editor, seed_registry)
    with pytest.raises(ActError):
        services.do_return_report(report, reason="", actor=leader, expected_version=report.version)
    report = services.do_return_report(
        report, reason="第二部分再充实", actor=leader, expected_version=report.version
    )
    assert report.status == Status.DRAFT and report.return_reason == "第二部分再充实"


@pytest.fixture
def approved(report, office_editor, leader, seed_registry):
    report = _checked(report, office_editor, seed_registry)
    return services.do_approve_report(
        report, actor=leader, expected_version=report.version, registry=seed_registry
    )


def test_publishing_freezes_the_report_and_announces_it_in_the_catalog(approved, reviewer, pdf_stub):
    from gongkai.catalog.choices import Status as RecordStatus

    published = services.do_publish_report(approved, actor=reviewer, expected_version=approved.version)
    approved.refresh_from_db()
    assert approved.status == Status.PUBLISHED
    assert published.number == 1 and published.pdf[:4] == b"%PDF"
    record = published.record
    assert record.status == RecordStatus.PUBLISHED and record.category.code == "annual-reports"
    assert record.name == "吉林省公安厅2015年度政府信息公开工作报告"
    assert record.attachments.get().extension == ".pdf"
    assert "9695条" in published.html
    with pytest.raises(PublishedReportChangeError):
        published.save()
    with pytest.raises(PublishedReportChangeError):
        PublishedReport.objects.filter(pk=published.pk).update(title="改")


def test_the_one_who_put_it_up_does_not_publish_it(approved, office_editor, pdf_stub, departments):
    from conftest import _staff

    both = _staff("both", "两职", departments["office"], ["reviewer"])
    approved.checked_by = both
    approved.save()
    with pytest.raises(PermissionDeniedError):
        services.do_publish_report(approved, actor=both, expected_version=approved.version)
    with pytest.raises(PermissionDeniedError):
        services.do_publish_report(approved, actor=office_editor, expected_version=approved.version)


def test_a_new_draft_changes_and_the_published_one_stays(approved, reviewer, office_editor, pdf_stub):
    from gongkai.annualreport.diff import compare

    published = services.do_publish_report(approved, actor=reviewer, expected_version=approved.version)
    approved.refresh_from_db()
    changed = fakes.registry({**SEED, "catalog.publications.total": 9700})
    report = services.do_redraft_report(
        approved, actor=office_editor, expected_version=approved.version, registry=changed
    )
    assert report.status == Status.DRAFT
    assert "9700条" in report.current().plain_text()
    published.refresh_from_db()
    assert "9695条" in published.as_document().plain_text() and "9695条" in published.html
    changes = compare(published.as_document(), report.current())
    assert [(c.code, c.before, c.after) for c in changes.figures] == [
        ("catalog.publications.total", 9695, 9700)
    ]
    assert [c.key for c in changes.passages] == ["work.published"]
