"""Every public page at 390 px and 1280 px (and in large-text mode on the phone, and at 320 px with
large text, the narrowest phone): no sideways
scrolling (the document is no wider than the viewport), no serious or critical axe-core violation;
on a phone the catalog's filters come before its results; a 404 and a CSRF failure show the
project's own pages, the application form coming back with what was typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_powers_journeys import _publish_passport

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
LONG_NAME = (
    "吉林省公安厅关于进一步规范全省公安机关出入境证件受理、审批、制证和发放工作流程并推行“全程网办”的通知"
)

NARROW_PHONE = {"width": 320, "height": 640}

PUBLIC_PAGES = [
    "/",
    "/catalog/",
    "/catalog/c/policy/",
    "/catalog/c/policy-rules/",
    "/catalog/c/annual-reports/",
    "/catalog/search/?q=签证",
    "/catalog/search/",
    "/catalog/pages/guide/",
    "/catalog/pages/organisation/",
    "/catalog/pages/contact/",
    "/apply/",
    "/apply/status/",
    "/powers/search/?q=护照",  # a result's meta line (list · category · department) wraps
    "/sitemap/",
    "/catalog/r/NO-SUCH-RECORD/",
]


@pytest.fixture
def published(make_record, editor, reviewer, departments):
    make_record(status="published", name=LONG_NAME, doc_number="吉公出〔2015〕108号")
    _publish_passport(editor, reviewer, departments)  # for /powers/search/?q=护照
    return make_record(status="published")


def width(page: Page) -> tuple[int, int]:
    """(the document's width, the viewport's). The viewport as set, not window.innerWidth: a mobile
    browser widens its layout viewport to a too-wide page, so innerWidth grows with the fault."""
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    return int(scroll), int(viewport["width"])


def serious_violations(page: Page) -> list[str]:
    page.evaluate(AXE)  # through the DevTools protocol: the page's CSP does not apply
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
    )
    return list(found)


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@pytest.mark.parametrize(
    ("phone", "large", "narrow"),
    [(False, False, False), (True, False, False), (True, True, False), (True, True, True)],
    ids=["1280", "390", "390-large", "320-large"],
)
def test_every_public_page_fits_and_passes_axe(
    live_server, new_context, shot, published, phone, large, narrow
):
    page = new_context(phone=phone)
    if narrow:
        page.set_viewport_size(NARROW_PHONE)
    if large:
        page.context.add_cookies([{"name": "gk_large", "value": "1", "url": live_server.url}])
    record_url = published.get_absolute_url()
    problems = []
    for path in [*PUBLIC_PAGES, record_url]:
        page.goto(live_server.url + path)
        scroll, inner = width(page)
        if scroll > inner:
            problems.append(f"{path}: {scroll} px wide in a {inner} px viewport")
        problems.extend(f"{path}: {v}" for v in serious_violations(page))
        if path in {"/catalog/", "/catalog/pages/guide/", "/sitemap/", "/catalog/r/NO-SUCH-RECORD/"}:
            shot(page, slug(path))
    page.goto(live_server.url + record_url)
    shot(page, "record")
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_filters_come_before_the_results(live_server, new_context, published):
    page = new_context(phone=True)
    page.goto(live_server.url + "/catalog/")

    filters = page.locator("form.facets").bounding_box()
    results = page.locator("table.record-list").bounding_box()
    assert filters and results
    assert filters["y"] < results["y"]
    assert filters["y"] < 844  # on the first screen
    # each record is a stacked block with its labels, the name first
    row = page.locator("table.record-list tbody tr").first
    expect(row.locator("td").nth(2)).to_be_visible()
    label = row.locator("td").nth(4).evaluate("td => getComputedStyle(td, '::before').content")
    assert "发布日期" in label


def test_an_unknown_record_shows_our_404_with_search(live_server, new_context, shot):
    page = new_context(phone=True)
    response = page.goto(live_server.url + "/catalog/r/NO-SUCH-RECORD/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("没有找到这个页面")
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    page.get_by_role("searchbox", name="检索政府信息").fill("签证")
    page.get_by_role("searchbox", name="检索政府信息").press("Enter")
    page.wait_for_url(re.compile(r"/catalog/search/\?q="))
    shot(page, "after-404")


def test_an_application_without_its_csrf_cookie_comes_back_as_typed(live_server, new_context, shot):
    from gongkai.inforequests.models import Application

    page = new_context(phone=True)
    page.goto(live_server.url + "/apply/")
    page.fill("#id_applicant_name", "王五")
    page.fill("#id_id_number", "22010219850505123X")
    page.fill("#id_phone", "13900002222")
    page.fill("#id_address", "长春市南关区人民大街100号")
    page.fill("#id_information_title", "2015年全省户籍人口统计")
    page.fill("#id_description", "按市州分列的年末户籍人口")
    page.check("input[name=form_wanted][value=paper]")
    page.check("input[name=delivery][value=post]")
    page.check("#id_declaration")
    page.context.clear_cookies()  # the cookie gone (blocked, expired): the check cannot pass

    page.get_by_role("button", name="提交申请").click()

    expect(page.get_by_role("alert").first).to_contain_text("您的申请还没有提交")
    expect(page.locator("#id_applicant_name")).to_have_value("王五")
    expect(page.locator("#id_description")).to_have_value("按市州分列的年末户籍人口")
    assert "CSRF" not in page.content()
    assert not Application.objects.exists()
    scroll, inner = width(page)
    assert scroll <= inner
    shot(page, "csrf-kept")

    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(live_server.url + "/apply/done/")
    assert Application.objects.count() == 1

    # the printable receipt, and Back + reload of the status answer
    page.get_by_role("link", name="打印申请回执").click()
    page.wait_for_url(re.compile(r"/apply/receipt/GK"))
    expect(page.get_by_role("heading", level=1)).to_have_text("政府信息公开申请回执")
    expect(page.locator("main")).to_contain_text("2015年全省户籍人口统计")
    shot(page, "receipt")
    page.emulate_media(media="print")
    expect(page.locator(".print-header")).to_be_visible()
    expect(page.locator(".print-header")).to_contain_text("/apply/receipt/")
    page.emulate_media(media="screen")
