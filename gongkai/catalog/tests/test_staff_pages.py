"""The workbench record pages: permissions, clear messages, nothing typed is lost."""

import pytest

from gongkai.catalog.choices import Status
from gongkai.catalog.models import Publication, Record
from gongkai.core.models import AuditEvent


@pytest.fixture
def form_data(leaf_category, departments):
    return {
        "name": "关于调整户籍业务办理时间的通知",
        "doc_number": "吉公发〔2015〕8号",
        "formed_on": "2015-06-01",
        "issuer": "吉林省公安厅",
        "department": departments["exit_entry"].pk,
        "category": leaf_category.pk,
        "genre": "notice",
        "keywords": "户籍",
        "summary": "调整户籍业务办理时间。",
        "body": "<p>正文</p>",
        "validity": "in_force",
        "secrecy": "non_secret",
        "attribute": "proactive",
        "attribute_basis": "",
        "attribute_reason": "",
    }


def test_the_workbench_needs_login(client):
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_editor_creates_a_draft(client, editor, form_data):
    client.force_login(editor)
    response = client.post("/workbench/records/new/", form_data)
    assert response.status_code == 302
    record = Record.objects.get(name=form_data["name"])
    assert record.status == Status.DRAFT
    assert client.get(f"/workbench/records/{record.pk}/").status_code == 200


def test_a_bad_document_number_keeps_everything_typed(client, editor, form_data):
    client.force_login(editor)
    response = client.post("/workbench/records/new/", {**form_data, "doc_number": "吉公发2015-8"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "文号格式应为" in html
    assert "关于调整户籍业务办理时间的通知" in html
    assert "调整户籍业务办理时间。" in html
    assert not Record.objects.exists()


def test_a_missing_legal_basis_is_explained(client, editor, form_data):
    client.force_login(editor)
    response = client.post("/workbench/records/new/", {**form_data, "attribute": "withheld"})
    assert "须注明法律依据" in response.content.decode()


def test_a_stale_edit_shows_a_conflict_and_keeps_the_input(client, editor, reviewer, make_record, form_data):
    record = make_record()
    client.force_login(editor)
    stale = {**form_data, "name": "我的修改", "version": record.version}
    from gongkai.catalog import services

    services.do_update_record(
        record, {"name": "审核员的修改"}, actor=reviewer, expected_version=record.version
    )
    response = client.post(f"/workbench/records/{record.pk}/edit/", stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "已被他人处理或修改" in html
    assert "我的修改" in html
    record.refresh_from_db()
    assert record.name == "审核员的修改"


def test_other_departments_cannot_see_a_draft(client, other_editor, make_record):
    record = make_record()
    client.force_login(other_editor)
    assert client.get(f"/workbench/records/{record.pk}/").status_code == 404


def test_a_double_click_on_publish_publishes_once(client, reviewer, make_record):
    record = make_record("approved")
    client.force_login(reviewer)
    for _ in range(2):
        client.post(f"/workbench/records/{record.pk}/publish/", {"version": record.version})
    assert Publication.objects.filter(record=record).count() == 1
    assert AuditEvent.objects.filter(action="catalog.record.published", object_id=str(record.pk)).count() == 1


def test_editors_cannot_publish(client, editor, make_record):
    record = make_record("approved")
    client.force_login(editor)
    response = client.post(
        f"/workbench/records/{record.pk}/publish/", {"version": record.version}, follow=True
    )
    assert "只有公开办审核员" in response.content.decode()
    record.refresh_from_db()
    assert record.status == Status.APPROVED


def test_dashboard_flags_records_over_the_limit(client, reviewer, make_record):
    make_record(name="早已超期的通知")
    client.force_login(reviewer)
    html = client.get("/workbench/").content.decode()
    assert "早已超期的通知" in html
    assert "已超期" in html


def test_the_office_edits_the_guide(client, reviewer, editor):
    from gongkai.catalog.models import Page

    page = Page.objects.get(slug="guide")
    client.force_login(editor)
    client.post("/workbench/pages/guide/", {"title": "x", "body": "y", "version": page.version})
    page.refresh_from_db()
    assert page.title == "政府信息公开指南"
    client.force_login(reviewer)
    client.post(
        "/workbench/pages/guide/",
        {"title": "公开指南（2016年版）", "body": "<p>新</p>", "version": page.version},
    )
    page.refresh_from_db()
    assert page.title == "公开指南（2016年版）"
