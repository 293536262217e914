"""A visitor finds a record by searching, on a phone and on a desktop, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture
def published(make_record):
    visa = make_record(status="published")
    make_record(
        status="published",
        name="交通安全出行提示",
        summary="雨雪天气减速慢行。",
        body="<p>冬季道路结冰，请谨慎驾驶。</p>",
        doc_number="",
    )
    return visa


@pytest.mark.parametrize(
    ("phone", "js"),
    [(False, True), (True, True), (True, False)],
    ids=["desktop", "phone", "phone-nojs"],
)
def test_visitor_searches_and_reads_a_record(live_server, new_context, shot, published, phone, js):
    page = new_context(phone=phone, js=js)
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("link", name=published.name)).to_be_visible()
    shot(page, "home")

    page.get_by_role("searchbox", name="检索政府信息").fill("签证")
    page.get_by_role("searchbox", name="检索政府信息").press("Enter")
    page.wait_for_url(re.compile(r"/catalog/search/\?q="))
    expect(page.get_by_role("status")).to_contain_text("找到 1 条结果")
    result = page.locator("ol.results > li")
    expect(result).to_have_count(1)
    expect(result.locator("a.title mark").first).to_have_text("签证")
    expect(page.get_by_role("searchbox", name="检索词")).to_have_value("签证")
    assert "交通安全" not in page.locator("ol.results").inner_text()
    shot(page, "search")

    result.locator("a.title").click()
    page.wait_for_url(re.compile(r"/catalog/r/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(published.name)
    meta = page.locator("table.meta-table")
    expect(meta.get_by_role("rowheader", name="索引号")).to_be_visible()
    expect(meta).to_contain_text(published.index_number)
    expect(meta).to_contain_text("吉公通〔2015〕12号")
    expect(meta).to_contain_text("2015-06-01")
    expect(page.locator(".record-body")).to_contain_text("延吉口岸签证业务正式启动")
    # the <script> the editor pasted was removed, not shown or run
    expect(page.locator(".record-body script")).to_have_count(0)
    assert "alert(1)" not in page.locator(".record-body").inner_text()
    if phone:
        # nothing sticks out sideways on a phone
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], width
    shot(page, "record")


def test_unpublished_is_404_and_withdrawn_shows_its_notice(live_server, page, shot, make_record):
    draft = make_record(status="draft", name="内部草稿不应公开")
    approved = make_record(status="approved", name="已审核尚未发布")
    withdrawn = make_record(status="withdrawn", name="已被替代的旧通告")

    for record in (draft, approved):
        response = page.goto(f"{live_server.url}/catalog/r/{record.index_number}/")
        assert response is not None and response.status == 404
        expect(page.locator("body")).not_to_contain_text(record.name)

    response = page.goto(f"{live_server.url}/catalog/r/{withdrawn.index_number}/")
    assert response is not None and response.status == 410
    gone = page.locator(".gone-page")  # the 410 page of its own: what, when, why, and the ways on
    expect(gone).to_contain_text("已经撤回")
    expect(gone).to_contain_text("已被新文件替代")
    expect(gone).to_contain_text(withdrawn.index_number)
    expect(gone.get_by_role("search")).to_be_visible()
    expect(page.locator(".record-body")).to_have_count(0)
    shot(page, "withdrawn")

    page.goto(f"{live_server.url}/catalog/search/?q=旧通告")
    expect(page.get_by_role("status")).to_contain_text("找到 0 条结果")


def test_keyboard_skip_link_comes_first_and_moves_focus_to_main(live_server, page, shot, published):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_class("skip-link")
    expect(focused).to_have_text("跳到正文")
    box = focused.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is on screen"
    shot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # the next Tab continues inside the main content (the search box), not in the header
    page.keyboard.press("Tab")
    expect(page.locator("#home-q")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    shot(page, "focus-ring")


def _font_px(page) -> float:
    return float(page.locator("html").evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def test_large_text_and_english_toggle_and_persist(live_server, new_context, shot, published):
    """Plain forms and cookies: they work without JavaScript, so the journey runs without it.

    Cached public pages (/, /catalog/, records) keep one copy per display choice: the choice neither
    fails to apply nor leaks to the next visitor.
    """
    page = new_context(js=False)
    body = page.locator("body")
    page.goto(live_server.url + "/catalog/")  # cached from now on, in standard size
    expect(body).not_to_have_class(re.compile(r"large-text"))
    base = _font_px(page)

    page.get_by_role("button", name="大字版").click()
    expect(page.get_by_role("button", name="标准字体")).to_have_attribute("aria-pressed", "true")
    expect(body).to_have_class(re.compile(r"large-text"))
    assert page.url == live_server.url + "/catalog/", "back on the page the visitor was reading"
    assert _font_px(page) > base
    for path in ("/", "/catalog/pages/guide/", published.get_absolute_url(), "/catalog/search/?q=签证"):
        page.goto(live_server.url + path)
        expect(body).to_have_class(re.compile(r"large-text"))
    shot(page, "large-text")

    other = new_context(js=False)
    other.goto(live_server.url + "/catalog/")
    expect(other.locator("body")).not_to_have_class(re.compile(r"large-text"))
    expect(other.get_by_role("button", name="大字版")).to_have_attribute("aria-pressed", "false")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/catalog/search/\?q="))
    expect(page.get_by_role("button", name="中文")).to_be_visible()
    expect(page.get_by_role("button", name="Standard text")).to_be_visible()
    expect(body).to_have_class(re.compile(r"large-text"))
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.get_by_role("navigation").first
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    expect(page.locator(".skip-link")).to_have_text("Skip to main content")
    shot(page, "english")
    other.goto(live_server.url + "/")
    expect(other.locator("html")).to_have_attribute("lang", "zh-CN")

    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_role("button", name="标准字体").click()
    expect(page.get_by_role("button", name="大字版")).to_have_attribute("aria-pressed", "false")
    expect(body).not_to_have_class(re.compile(r"large-text"))
    assert _font_px(page) == base
    page.goto(live_server.url + "/catalog/")
    expect(body).not_to_have_class(re.compile(r"large-text"))
