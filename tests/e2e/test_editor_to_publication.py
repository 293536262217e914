"""From draft to the public portal: an editor writes, a reviewer approves and publishes, a visitor finds it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

NAME = "关于调整出入境证件办理时限的通知"
WORD = "时限"  # a 2-character word of the name
PASSWORD = "correct-horse-battery"  # the personas' password (conftest.py)
BODY = "自2015年7月1日起，普通护照办理时限由15个工作日缩短为10个工作日。"


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/workbench/")
    expect(page.get_by_role("heading", level=1, name="概览")).to_be_visible()


def log_out(page, base: str) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(base + "/")
    response = page.goto(base + "/workbench/")
    assert response is not None
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def both_widths(page, shot, name: str) -> None:
    shot(page, name)
    page.set_viewport_size(PHONE)
    # nothing makes the page scroll sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    shot(page, name + "-phone")
    page.set_viewport_size(DESKTOP)


def test_editor_drafts_reviewer_publishes_visitor_finds(live_server, new_context, shot, editor, reviewer):
    from gongkai.catalog.models import Publication, Record
    from gongkai.core.models import AuditEvent

    base = live_server.url
    page = new_context()

    # -- the editor drafts a record; a malformed document number is refused in Chinese, nothing is lost
    log_in(page, base, "editor", PASSWORD)
    both_widths(page, shot, "editor-dashboard")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="新建信息").click()
    page.wait_for_url(base + "/workbench/records/new/")
    page.fill("#id_name", NAME)
    page.fill("#id_doc_number", "吉公发2015-12")
    page.fill("#id_formed_on", "2015-06-01")
    expect(page.locator("#id_issuer")).to_have_value("吉林省公安厅")  # prefilled
    page.select_option("#id_department", label="出入境管理局")
    page.select_option("#id_category", label="政策文件 › 规范性文件")
    page.select_option("#id_genre", label="通知")
    page.fill("#id_keywords", "护照,办理时限")
    page.fill("#id_summary", "普通护照办理时限缩短为10个工作日。")
    # The body is typed in the editor (catalog/editor.js), which keeps the hidden textarea in step.
    page.locator("#id_body_area").click()
    page.keyboard.type(BODY)
    page.select_option("#id_validity", label="有效")
    page.select_option("#id_secrecy", label="非涉密")
    page.select_option("#id_attribute", label="主动公开")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()

    expect(page.get_by_role("alert")).to_contain_text("请修改下面 1 处问题后再保存；您已填写的内容都还在。")
    error = page.locator(".field.has-error")
    expect(error).to_have_count(1)
    expect(error.locator(".errorlist")).to_have_text(
        "文号格式应为“机关代字〔年份〕序号号”，如：吉公发〔2015〕12号。"
    )
    expect(page.locator("#id_doc_number")).to_have_attribute("aria-invalid", "true")
    for selector, value in [
        ("#id_name", NAME),
        ("#id_doc_number", "吉公发2015-12"),
        ("#id_formed_on", "2015-06-01"),
        ("#id_issuer", "吉林省公安厅"),
        ("#id_keywords", "护照,办理时限"),
        ("#id_summary", "普通护照办理时限缩短为10个工作日。"),
        ("#id_body", f"<p>{BODY}</p>"),
        ("#id_validity", "in_force"),
        ("#id_secrecy", "non_secret"),
        ("#id_attribute", "proactive"),
        ("#id_genre", "notice"),
    ]:
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#id_category option:checked")).to_have_text("政策文件 › 规范性文件")
    expect(page.locator("#id_department option:checked")).to_have_text("出入境管理局")
    assert Record.objects.filter(name=NAME).count() == 0
    both_widths(page, shot, "editor-form-errors")

    page.fill("#id_doc_number", "吉公发〔2015〕12号")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/workbench/records/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("已保存草稿")
    record = Record.objects.get(name=NAME)
    assert record.status == "draft" and record.doc_number == "吉公发〔2015〕12号"
    expect(page.locator("table.meta-table")).to_contain_text(record.index_number)

    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_role("status")).to_contain_text("已提交公开办审核。")
    expect(page.locator(".badge.submitted")).to_have_text("待审核")
    expect(page.get_by_role("button", name="提交审核")).to_have_count(0)
    log_out(page, base)

    # not public yet
    response = page.goto(f"{base}/catalog/r/{record.index_number}/")
    assert response is not None and response.status == 404

    # -- the reviewer approves and publishes (a double click publishes once)
    log_in(page, base, "reviewer", PASSWORD)
    expect(page.locator("#waiting + .table-scroll table")).to_contain_text(NAME)
    both_widths(page, shot, "reviewer-dashboard")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="审核队列").click()
    page.wait_for_url(base + "/workbench/review/")
    row = page.locator("tbody tr", has_text=NAME)
    expect(row).to_have_count(1)
    expect(row.locator(".badge.submitted")).to_be_visible()
    both_widths(page, shot, "review-queue")
    row.get_by_role("link", name=NAME).click()
    page.wait_for_url(f"{base}/workbench/records/{record.pk}/")

    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_role("status")).to_contain_text("公开属性审核通过。")
    expect(page.locator(".badge.approved")).to_have_text("已审核")

    publish_posts = []
    page.on(
        "request", lambda r: publish_posts.append(r) if r.method == "POST" and "/publish/" in r.url else None
    )
    page.get_by_role("button", name="发布").dblclick()
    expect(page.locator(".badge.published")).to_have_text("已发布")
    expect(page.get_by_role("link", name="查看公开页面")).to_be_visible()
    expect(page.get_by_role("button", name="发布")).to_have_count(0)
    # Chromium folds the second submission of a form into the first navigation; whatever it sends,
    # the server must publish once
    assert 1 <= len(publish_posts) <= 2
    # a resent form (stale version) is refused, not published twice
    record.refresh_from_db()
    replay = page.request.post(
        f"{base}/workbench/records/{record.pk}/publish/",
        form={
            "csrfmiddlewaretoken": page.locator("input[name=csrfmiddlewaretoken]").first.input_value(),
            "version": str(record.version - 1),
        },
    )
    assert replay.ok  # redirected back to the record page with an explanation
    assert "该信息已被他人处理或修改" in replay.text()
    assert Publication.objects.filter(record=record).count() == 1
    published_events = AuditEvent.objects.filter(
        action="catalog.record.published", object_type="catalog.record", object_id=str(record.pk)
    )
    assert published_events.count() == 1
    page.reload()
    timeline = page.locator("ol.timeline")
    # Staff read the acts in words; the dotted codes are a hint for auditors only.
    for label in ("创建草稿", "提交审核", "公开属性审核通过"):
        expect(timeline).to_contain_text(label)
    expect(timeline).not_to_contain_text("catalog.record.")
    expect(timeline.locator("li", has_text="李审核 发布")).to_have_count(1)
    both_widths(page, shot, "record-timeline")

    # -- a visitor searches a word of its name and opens it
    visitor = new_context(phone=True)
    visitor.goto(base + "/")
    visitor.get_by_role("searchbox", name="检索政府信息").fill(WORD)
    visitor.get_by_role("button", name="检索").click()
    visitor.wait_for_url(re.compile(r"/catalog/search/\?q="))
    hit = visitor.locator("ol.results > li", has_text=NAME)
    expect(hit).to_have_count(1)
    expect(hit.locator("a.title mark")).to_have_text(WORD)
    hit.locator("a.title").click()
    visitor.wait_for_url(re.compile(r"/catalog/r/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(visitor.locator("table.meta-table")).to_contain_text(record.index_number)
    expect(visitor.locator("table.meta-table")).to_contain_text("吉公发〔2015〕12号")
    expect(visitor.locator(".record-body")).to_contain_text(BODY)
    shot(visitor, "visitor-record-phone")


def test_publishing_shows_on_cached_pages_once_the_cache_is_cleared(
    live_server, new_context, reviewer, make_record
):
    """Public pages are cached for PUBLIC_CACHE_SECONDS; a record published meanwhile appears after that."""
    from django.core.cache import cache

    from gongkai.catalog import services

    approved = make_record(status="approved", name="关于启用新版出入境证件的公告")
    early = new_context()
    early.goto(live_server.url + "/catalog/c/policy-rules/")
    expect(early.locator("main")).not_to_contain_text(approved.name)
    services.do_publish_record(approved, actor=reviewer, expected_version=approved.version)
    # within PUBLIC_CACHE_SECONDS the cached copy is served (the browser also keeps it: max-age)
    later = new_context()
    later.goto(live_server.url + "/catalog/c/policy-rules/")
    expect(later.locator("main")).not_to_contain_text(approved.name)
    cache.clear()  # what waiting PUBLIC_CACHE_SECONDS does
    visitor = new_context()
    visitor.goto(live_server.url + "/catalog/c/policy-rules/")
    expect(visitor.get_by_role("link", name=approved.name)).to_be_visible()
    visitor.goto(live_server.url + "/")
    expect(visitor.get_by_role("link", name=approved.name)).to_be_visible()
    visitor.goto(live_server.url + approved.get_absolute_url())
    expect(visitor.get_by_role("heading", level=1)).to_have_text(approved.name)


def test_a_field_error_is_announced_with_its_field(live_server, page, editor):
    log_in(page, live_server.url, "editor", PASSWORD)
    page.goto(live_server.url + "/workbench/records/new/")
    page.fill("#id_name", NAME)
    page.fill("#id_doc_number", "吉公发2015-12")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    expect(page.locator("#id_doc_number")).to_have_accessible_description(
        re.compile("文号格式应为"), timeout=1000
    )
