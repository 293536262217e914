"""The record editor refuses a form without losing a word, and a session that ended while typing loses none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "correct-horse-battery"  # the personas' password (conftest.py)
NAME = "关于调整出入境证件办理时限的通知"
BODY = "自2015年7月1日起，普通护照办理时限由15个工作日缩短为10个工作日。"
MORE = "港澳通行证同时调整。"
CATEGORY = "政策文件 › 规范性文件"


def fill_login(page) -> None:
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()


def fill_all_but_the_name(page) -> None:
    page.fill("#id_doc_number", "吉公发〔2015〕12号")
    page.fill("#id_formed_on", "2015-06-01")
    page.select_option("#id_department", label="出入境管理局")
    page.select_option("#id_category", label=CATEGORY)
    page.select_option("#id_genre", label="通知")
    page.fill("#id_keywords", "护照,办理时限")
    page.fill("#id_summary", "普通护照办理时限缩短为10个工作日。")
    page.locator("#id_body_area").click()
    page.keyboard.type(BODY)
    page.select_option("#id_validity", label="有效")
    page.select_option("#id_secrecy", label="非涉密")
    page.select_option("#id_attribute", label="依申请公开")
    page.select_option("#id_attribute_basis", "art27")


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)  # through the DevTools protocol: the page's CSP does not apply
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
    )
    return list(found)


def end_session(page, settings) -> None:
    """The session cookie is gone (expired, or the server forgot it); the CSRF cookie stays."""
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)


def expect_typed_kept(page, body: str) -> None:
    for selector, value in [
        ("#id_doc_number", "吉公发〔2015〕12号"),
        ("#id_formed_on", "2015-06-01"),
        ("#id_keywords", "护照,办理时限"),
        ("#id_summary", "普通护照办理时限缩短为10个工作日。"),
        ("#id_body", f"<p>{body}</p>"),
        ("#id_attribute", "on_request"),
        ("#id_attribute_basis", "art27"),
    ]:
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#id_body_area")).to_have_text(body)  # the editor shows it, not only the textarea
    expect(page.locator("#id_category option:checked")).to_have_text(CATEGORY)
    expect(page.locator("#id_department option:checked")).to_have_text("出入境管理局")


def test_a_refused_form_says_where_and_an_ended_session_loses_nothing(
    live_server, new_context, shot, editor, settings
):
    from gongkai.catalog.models import Record

    base = live_server.url
    page = new_context()
    page.goto(base + "/accounts/login/")
    fill_login(page)
    page.wait_for_url(base + "/workbench/")
    page.goto(base + "/workbench/records/new/")

    # -- refused: a summary at the top names the missing field, links to it, and has the focus
    fill_all_but_the_name(page)
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("请修改下面 1 处问题后再保存；您已填写的内容都还在。")
    expect(page.locator("#error-summary")).to_be_focused()
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "#id_name")
    expect(link).to_contain_text("名称")
    name = page.locator("#id_name")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-describedby", re.compile(r"\bid_name_error\b"))
    expect(page.locator("#id_name_error")).to_be_visible()
    expect_typed_kept(page, BODY)
    assert Record.objects.count() == 0

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "refused-phone")
    assert serious_violations(page) == []
    page.set_viewport_size(DESKTOP)

    link.click()
    expect(name).to_be_focused()
    page.keyboard.type(NAME)

    # -- the session ends while the editor types; the save goes to the login page, nothing is lost
    end_session(page, settings)
    page.locator("#id_body_area").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(MORE)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/workbench/records/new/"))
    expect(page.get_by_role("status").first).to_contain_text("您填写的内容已为您保留")
    assert Record.objects.count() == 0

    fill_login(page)
    page.wait_for_url(base + "/workbench/records/new/")
    expect(page.locator("#draft-restored")).to_contain_text("已恢复您上次未保存的内容")
    expect(page.get_by_role("link", name="丢弃这些内容")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("#id_name")).to_have_value(NAME)
    expect_typed_kept(page, BODY + MORE)
    shot(page, "restored")

    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/workbench/records/\d+/$"))
    record = Record.objects.get(name=NAME)
    assert BODY + MORE in record.body and record.attribute == "on_request"

    # given back once: the form is empty again
    page.goto(base + "/workbench/records/new/")
    expect(page.locator("#draft-restored")).to_have_count(0)
    expect(page.locator("#id_name")).to_have_value("")


def test_a_restored_draft_can_be_discarded(live_server, new_context, editor, settings):
    base = live_server.url
    page = new_context()
    page.goto(base + "/accounts/login/")
    fill_login(page)
    page.wait_for_url(base + "/workbench/")
    page.goto(base + "/workbench/records/new/")
    page.fill("#id_name", NAME)
    end_session(page, settings)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    fill_login(page)
    page.wait_for_url(base + "/workbench/records/new/")
    expect(page.locator("#id_name")).to_have_value(NAME)
    page.get_by_role("link", name="丢弃这些内容").click()
    page.wait_for_load_state()
    expect(page.locator("#draft-restored")).to_have_count(0)
    expect(page.locator("#id_name")).to_have_value("")
