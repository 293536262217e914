"""Workbench and public pages of the annual report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD as PASSWORD_LOGIN
from gongkai.annualreport import services
from gongkai.annualreport.choices import Status
from gongkai.annualreport.models import AnnualReport


@pytest.fixture
def report(office_editor, seed_registry):
    return services.do_create_report(2015, actor=office_editor, registry=seed_registry)


def _login(client, user):
    client.login(username=user.username, password=PASSWORD_LOGIN)
    return client


def test_the_office_drafts_a_report_from_the_list(client, office_editor):
    _login(client, office_editor)
    page = client.get(reverse("workbench:annualreport_staff:list"))
    assert page.status_code == 200 and "起草" in page.content.decode()
    answer = client.post(reverse("workbench:annualreport_staff:list"), {"year": "2015", "form": ""})
    report = AnnualReport.objects.get(year=2015)
    assert answer.status_code == 302 and report.form == "narrative"
    again = client.post(reverse("workbench:annualreport_staff:list"), {"year": "abc"}, follow=True)
    assert "请填写年度" in again.content.decode()


def test_the_draft_links_each_number_to_its_records(client, office_editor, report):
    page = _login(client, office_editor).get(reverse("workbench:annualreport_staff:detail", args=[report.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    url = reverse("workbench:annualreport_staff:figure", args=["powers.approvals.department.before"])
    assert f'href="{url}?year=2015"' in html
    assert "textarea" in html


def test_a_stale_save_keeps_what_was_typed(client, office_editor, report):
    _login(client, office_editor)
    answer = client.post(
        reverse("workbench:annualreport_staff:edit", args=[report.pk]),
        {"version": str(report.version - 1), "p:work.intro": "办公室重写的开头。"},
    )
    assert answer.status_code == 409
    html = answer.content.decode()
    assert "办公室重写的开头。" in html and "已被他人处理或修改" in html
    report.refresh_from_db()
    assert report.edits == {}


def test_an_edit_is_saved_and_validation_finds_what_it_broke(client, office_editor, report):
    _login(client, office_editor)
    press = next(p for p in report.current().passages() if p.key == "work.press")
    client.post(
        reverse("workbench:annualreport_staff:edit", args=[report.pk]),
        {"version": str(report.version), "p:work.press": press.text.replace("17场", "18场")},
    )
    report.refresh_from_db()
    assert "18场" in report.current().plain_text()
    client.post(
        reverse("workbench:annualreport_staff:move", args=[report.pk, "validate"]),
        {"version": str(report.version)},
    )
    page = client.get(reverse("workbench:annualreport_staff:detail", args=[report.pk]))
    assert "不再写明业务记录中的数字 17" in page.content.decode()


def test_leaders_read_and_others_are_refused(client, leader, editor, report):
    assert (
        _login(client, leader)
        .get(reverse("workbench:annualreport_staff:detail", args=[report.pk]))
        .status_code
        == 200
    )
    client.logout()
    assert (
        _login(client, editor)
        .get(reverse("workbench:annualreport_staff:detail", args=[report.pk]))
        .status_code
        == 403
    )


def test_the_figure_page_lists_what_a_number_counts(client, office_editor, make_record):
    make_record(status="published")
    _login(client, office_editor)
    url = reverse("workbench:annualreport_staff:figure", args=["catalog.records.published.total"])
    import datetime as dt

    year = dt.date.today().year
    page = client.get(f"{url}?year={year}")
    assert page.status_code == 200 and "共1条记录" in page.content.decode()
    assert client.get(f"{url}").status_code == 404
    unknown = reverse("workbench:annualreport_staff:figure", args=["nosuch.app.figure"])
    assert client.get(f"{unknown}?year={year}").status_code == 404


def test_the_public_sees_only_published_reports(client, report):
    assert client.get(reverse("annualreport:index")).status_code == 200
    assert client.get(reverse("annualreport:report", args=[2015])).status_code == 404
    assert client.get(reverse("annualreport:pdf", args=[2015])).status_code == 404


@pytest.fixture
def published(office_editor, leader, reviewer, report, seed_registry, pdf_stub):
    """The 2015 report checked by the office, approved by the leader and published."""
    from gongkai.annualreport.tests.test_workflow import NOW

    common = {"registry": seed_registry, "now": NOW}
    report = services.do_check_report(report, actor=office_editor, expected_version=report.version, **common)
    report = services.do_approve_report(report, actor=leader, expected_version=report.version, **common)
    services.do_publish_report(report, actor=reviewer, expected_version=report.version)
    report.refresh_from_db()
    return report


def test_a_published_report_is_public_with_its_pdf(client, published):
    report = published
    assert report.status == Status.PUBLISHED
    index = client.get(reverse("annualreport:index")).content.decode()
    assert "吉林省公安厅2015年度政府信息公开工作报告" in index
    page = client.get(reverse("annualreport:report", args=[2015]))
    assert page.status_code == 200 and "9695" in page.content.decode()
    pdf = client.get(reverse("annualreport:pdf", args=[2015]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_the_published_page_and_record_hold_the_report_alone_not_a_second_document(client, published):
    """The exports' standalone document (its own <html>, <title>, <main>) was stored and shown
    inside the portal page: two <main>, a second <title>, and on the catalog record (whose
    sanitiser keeps the text of what it drops) the title written twice."""
    from lxml import html as lxml_html  # type: ignore[import-untyped]

    stored = published.publications.get().html
    assert "<!DOCTYPE" not in stored and "<main" not in stored and "<title" not in stored
    page = lxml_html.fromstring(client.get(reverse("annualreport:report", args=[2015])).content)
    assert len(page.xpath("//main")) == 1 and len(page.xpath("//title")) == 1
    assert [h.text_content() for h in page.xpath("//h1")] == ["吉林省公安厅2015年度政府信息公开工作报告"]
    record = published.publications.get().record
    answer = client.get(record.get_absolute_url())
    text = lxml_html.fromstring(answer.content).xpath("//main")[0].text_content()
    assert answer.status_code == 200 and "吉林省公安厅2015年度政府信息公开工作报告 吉林省公安厅" not in text
    body = lxml_html.fromstring(record.body)
    assert [h.text_content() for h in body.xpath("//h2")] == ["吉林省公安厅2015年度政府信息公开工作报告"]
    assert body.xpath("//h3")[0].text_content() == "一、工作开展情况及成效"


def test_downloads(client, office_editor, report):
    _login(client, office_editor)
    answer = client.get(reverse("workbench:annualreport_staff:download", args=[report.pk, "json"]))
    assert answer.status_code == 200 and b"work.press" in answer.content
    assert (
        client.get(reverse("workbench:annualreport_staff:download", args=[report.pk, "exe"])).status_code
        == 404
    )


def test_a_published_version_downloads_from_the_detail_pages_link(client, office_editor, published):
    report = published
    _login(client, office_editor)
    url = reverse("workbench:annualreport_staff:download", args=[report.pk, "json"])
    detail = client.get(reverse("workbench:annualreport_staff:detail", args=[report.pk])).content.decode()
    assert f"{url}?published=1" in detail
    answer = client.get(url, {"published": "1"})
    assert answer.status_code == 200 and b"work.press" in answer.content
    assert client.get(url, {"published": "2"}).status_code == 404
    assert client.get(url, {"published": "9" * 30}).status_code == 404


def test_nul_and_control_characters_typed_into_a_passage_are_dropped(client, office_editor, report):
    _login(client, office_editor)
    client.post(
        reverse("workbench:annualreport_staff:edit", args=[report.pk]),
        {"version": str(report.version), "p:work.intro": "开头\x00改写\x07。"},
    )
    report.refresh_from_db()
    assert "\x00" not in str(report.edits) and "\x07" not in str(report.edits)
    assert "开头改写。" in str(report.edits)


def test_a_year_that_has_not_begun_is_refused(client, office_editor):
    _login(client, office_editor)
    answer = client.post(reverse("workbench:annualreport_staff:list"), {"year": "2100"}, follow=True)
    assert "尚未开始" in answer.content.decode()
    assert not AnnualReport.objects.filter(year=2100).exists()
