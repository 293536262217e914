"""Two-factor sign-in on a phone (issue 12): a member of staff with no administrator role enrols at
the first sign-in, keeps the recovery codes, signs in with one; a demo account signs in with the
code its page shows."""

from __future__ import annotations

import urllib.parse

import pyotp
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PASSWORD = "correct-horse-battery"  # the personas' password (conftest.py)


def password_step(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_staff_member_enrols_on_a_phone_and_signs_in_with_a_recovery_code(
    live_server, new_context, shot, editor, settings
):
    settings.TOTP_REQUIRED_ROLES = ["*"]
    base = live_server.url
    page = new_context(phone=True)

    password_step(page, base, "editor")
    page.wait_for_url(base + "/accounts/two-factor/")
    expect(page.get_by_text("工作人员须启用两步验证")).to_be_visible()
    fits(page)
    shot(page, "enrol-phone")
    link = page.get_by_role("link", name="在本机的身份验证器应用中添加")
    uri = link.get_attribute("href") or ""
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)["secret"][0]
    assert page.locator("code.totp-secret").inner_text().replace(" ", "") == secret
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="确认启用").click()
    expect(page.get_by_role("heading", name="恢复码")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    fits(page)
    shot(page, "recovery-codes-phone")
    page.get_by_role("link", name="我已保存，进入工作台").click()
    page.wait_for_url(base + "/workbench/")
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(base + "/")

    password_step(page, base, "editor")
    page.wait_for_url(base + "/accounts/login/code/")
    page.fill("#id_code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_text("动态口令不正确或已使用过")).to_be_visible()
    fits(page)
    shot(page, "wrong-code-phone")
    page.fill("#id_code", codes[0])
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(base + "/workbench/")
    expect(page.get_by_role("heading", level=1, name="概览")).to_be_visible()


def test_a_demo_account_signs_in_with_the_code_its_page_shows(
    live_server, new_context, shot, reviewer, settings
):
    from gongkai.accounts import twofactor

    settings.TOTP_REQUIRED_ROLES = ["*"]
    twofactor.do_enrol_demo(reviewer)
    base = live_server.url
    page = new_context(phone=True)

    password_step(page, base, "reviewer")
    page.wait_for_url(base + "/accounts/login/code/")
    code = page.locator(".demo-code").inner_text()
    fits(page)
    shot(page, "demo-code-phone")
    page.fill("#id_code", code)
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(base + "/workbench/")
    expect(page.get_by_role("heading", level=1, name="概览")).to_be_visible()
