"""The project's own pages for a failed CSRF check and for 410 Gone, in Chromium at phone width: a
record form whose token went stale (signed in again in another tab) comes back with what was typed,
and its "重新提交" saves the record; a withdrawn record's address explains itself."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_record_form_errors import (
    BODY,
    NAME,
    fill_all_but_the_name,
    fill_login,
    serious_violations,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_a_stale_token_on_the_record_form_keeps_every_word_and_sends_again(
    live_server, new_context, shot, editor
):
    from gongkai.catalog.models import Record

    base = live_server.url
    page = new_context(phone=True)
    page.goto(base + "/accounts/login/")
    fill_login(page)
    page.wait_for_url(base + "/workbench/")
    page.goto(base + "/workbench/records/new/")
    page.fill("#id_name", NAME)
    fill_all_but_the_name(page)

    # Another tab of the same browser signs out and in again: the form's token is now stale.
    other = page.context.new_page()
    other.goto(base + "/workbench/")
    other.get_by_role("button", name="退出").click()
    other.goto(base + "/accounts/login/")
    fill_login(other)
    other.wait_for_url(base + "/workbench/")
    other.close()

    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("页面已过期，请重新提交")
    expect(page.get_by_label("名称")).to_have_value(NAME)
    expect(page.get_by_label("正文")).to_have_value(re.compile(re.escape(BODY)))
    assert Record.objects.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "csrf-failure-phone")
    assert serious_violations(page) == []

    page.get_by_role("button", name="重新提交").click()
    page.wait_for_url(re.compile(r"/workbench/records/\d+/$"))
    record = Record.objects.get(name=NAME)
    assert BODY in record.body and record.attribute == "on_request" and record.created_by == editor


def test_a_withdrawn_record_has_its_own_page(live_server, new_context, shot, make_record):
    record = make_record("withdrawn")
    page = new_context(phone=True)

    response = page.goto(live_server.url + record.get_absolute_url())

    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("该信息已撤回")
    expect(page.get_by_role("link", name="浏览政府信息公开目录")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "gone-phone")
    assert serious_violations(page) == []


def apply_once(page, base: str) -> tuple[str, str]:
    page.goto(base + "/apply/")
    page.fill("#id_applicant_name", "李四")
    page.fill("#id_id_number", "22010219850505123X")
    page.fill("#id_phone", "13900001111")
    page.fill("#id_information_title", "2025年全省机动车保有量统计")
    page.check("input[name=form_wanted][value=electronic]")
    page.check("input[name=delivery][value=post]")
    page.fill("#id_address", "长春市朝阳区人民大街1号")
    page.check("#id_declaration")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(base + "/apply/done/")
    tracking = re.search(r"GK\d{4}-\d{5}", page.locator(".receipt").inner_text())
    assert tracking
    return tracking.group(0), page.locator(".receipt .code").inner_text().strip()


def test_the_status_page_of_a_re_sent_application_says_so(live_server, new_context, shot):
    base = live_server.url
    page = new_context(phone=True)
    first, _first_code = apply_once(page, base)
    second, code = apply_once(page, base)  # Back and send again, as people do

    page.goto(base + "/apply/status/")
    page.fill("#id_tracking_number", second)
    page.fill("#id_query_code", code)
    page.get_by_role("button", name="查询").click()

    notice = page.locator(".duplicate-notice")
    expect(notice).to_contain_text("这份申请可能是重复提交")
    expect(notice).to_contain_text("您不必再次提交")
    assert first not in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "status-duplicate-phone")
    assert serious_violations(page) == []
