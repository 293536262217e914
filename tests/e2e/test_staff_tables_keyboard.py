"""On a phone the workbench's wide tables scroll sideways inside a wrapper; a keyboard user reaches
that wrapper with Tab and scrolls it with the arrow keys, and a screen reader names it (axe
`scrollable-region-focusable`, WCAG 2.1.1). Where the table fits, its wrapper is no stop and no
region (workbench/scroll-regions.js); without JavaScript every wrapper stays one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "correct-horse-battery"  # the personas' password (conftest.py)

REVIEWER_PAGES = [
    "/workbench/",
    "/workbench/review/",
    "/workbench/records/",
    "/workbench/requests/",
    "/workbench/requests/stats/",
    "/workbench/engagement/stats/",
    "/workbench/press/",
    "/workbench/press/interpretations/",
    "/workbench/press/policies/",
    "/workbench/calendar/?year=2015",
    "/workbench/powers/",
    "/workbench/powers/editions/",
    "/workbench/jobs/",
    "/workbench/requests/proactive/",
    "/workbench/requests/letters/",
    "/workbench/engagement/",
    "/workbench/channels/",
    "/workbench/reports/",
    "/workbench/pages/",
]
WIDE = "[...document.querySelectorAll('.table-scroll')].filter(w => w.scrollWidth > w.clientWidth)"


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/workbench/")


def region_problems(page: Page) -> list[str]:
    """Axe findings about scrolling regions, and serious ones on or in a table wrapper."""
    page.evaluate(AXE)  # through the DevTools protocol: the page's CSP does not apply
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.id === 'scrollable-region-focusable'
                || (['serious', 'critical'].includes(v.impact)
                    && v.nodes.some(n => n.target.join(' ').includes('table-scroll'))))
            .map(v => v.id + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
    )
    return list(found)


OVERFLOWS = "(w => w.scrollWidth > w.clientWidth || w.scrollHeight > w.clientHeight)"


def wrappers_are_named_stops(page: Page) -> list[str]:
    """Wrappers that scroll but are not a named Tab stop, and ones that fit but still are a stop."""
    return list(
        page.evaluate(
            f"""() => [...document.querySelectorAll('.table-scroll')]
                .filter(w => {OVERFLOWS}(w)
                    ? w.tabIndex !== 0 || w.getAttribute('role') !== 'region'
                        || !(w.getAttribute('aria-label') || '').trim()
                    : w.hasAttribute('tabindex') || w.hasAttribute('role'))
                .map(w => w.outerHTML.slice(0, 120))"""
        )
    )


def stops(page: Page, selector: str) -> list[bool]:
    """For each wrapper of a table matched by selector: is it a Tab stop and a named region?"""
    return list(
        page.evaluate(
            """s => [...document.querySelectorAll(s)].map(t => t.closest('.table-scroll'))
                .map(w => w.tabIndex === 0 && w.getAttribute('role') === 'region'
                    && !!w.getAttribute('aria-label'))""",
            selector,
        )
    )


def tab_to_first_wide_table(page: Page, limit: int = 200) -> str:
    """Press Tab from the top of the page until the first sideways-scrolling wrapper has the focus."""
    label = page.evaluate(f"() => {WIDE}[0].getAttribute('aria-label')")
    page.locator("body").focus()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement === {WIDE}[0]"):
            return str(label)
    raise AssertionError(f"{page.url}: Tab never reached the table {label!r}")


def tab_reaches_a_wrapper(page: Page, limit: int = 150) -> bool:
    """Press Tab from the top of the page through all its stops: does a table wrapper take the focus?"""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = str(
            page.evaluate(
                "() => document.activeElement === document.body ? 'end'"
                " : document.activeElement.matches('.table-scroll') ? 'wrapper' : ''"
            )
        )
        if where:
            return where == "wrapper"
    raise AssertionError(f"{page.url}: more than {limit} Tab stops")


@pytest.fixture
def workbench_data(make_record, make_application):
    make_record(status="submitted", name="关于调整出入境证件办理时限和收费标准并推行网上预约的通知")
    make_record(status="published")
    make_record(status="draft")
    return make_application()


@pytest.mark.parametrize(
    ("phone", "large"), [(True, False), (True, True), (False, False)], ids=["390", "390-large", "1280"]
)
def test_every_wide_staff_table_is_a_named_keyboard_stop(
    live_server, new_context, workbench_data, reviewer, phone, large
):
    base = live_server.url
    page = new_context(phone=phone)
    if large:
        page.context.add_cookies([{"name": "gk_large", "value": "1", "url": base}])
    log_in(page, base, "reviewer")
    problems: list[str] = []
    for path in [*REVIEWER_PAGES, f"/workbench/requests/{workbench_data.pk}/"]:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert page.locator(".table-scroll").count(), f"{path}: no table wrapper"
        problems.extend(f"{path}: {w}" for w in wrappers_are_named_stops(page))
        scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:  # the table scrolls, not the page
            problems.append(f"{path}: {scroll} px wide in a {inner} px viewport")
        problems.extend(f"{path}: {v}" for v in region_problems(page))
    assert not problems, "\n".join(problems)


def test_the_auditor_scrolls_the_audit_log_by_keyboard(live_server, new_context, workbench_data, auditor):
    base = live_server.url
    page = new_context(phone=True)
    log_in(page, base, "auditor")
    page.goto(base + "/workbench/audit/")
    assert not wrappers_are_named_stops(page)
    assert not region_problems(page)
    assert tab_to_first_wide_table(page) == "审计日志"


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/workbench/requests/stats/", "三、收到和处理政府信息公开申请情况"),
        ("/workbench/calendar/?year=2015", "2015 年节假日与调休"),
        ("/workbench/", "超过公开时限"),
    ],
    ids=["inforequests-stats", "calendar", "dashboard"],
)
def test_tab_reaches_the_table_and_the_arrow_keys_scroll_it(
    live_server, new_context, workbench_data, reviewer, path, label
):
    base = live_server.url
    page = new_context(phone=True)
    log_in(page, base, "reviewer")
    page.goto(base + path)

    assert tab_to_first_wide_table(page) == label
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("role", "region")
    outline = focused.evaluate("w => getComputedStyle(w).outlineStyle")
    assert outline == "solid"  # the focus is visible
    before = focused.evaluate("w => w.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("w => w.scrollLeft > 0", arg=focused.element_handle())
    assert focused.evaluate("w => w.scrollLeft") > before
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("w => w.scrollLeft === 0", arg=focused.element_handle())
    focused.evaluate("w => w.scrollIntoView()")
    page.evaluate("() => window.scrollBy(0, -120)")  # the heading above it in the picture too
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"staff-table-focused-{slug(path)}-390.png"))


def test_a_table_that_fits_is_no_tab_stop_until_the_window_narrows(
    live_server, new_context, workbench_data, reviewer
):
    base = live_server.url
    page = new_context()
    log_in(page, base, "reviewer")
    page.goto(base + "/workbench/requests/")
    table = ".table-scroll > table"

    assert stops(page, table) == [False]  # 1280 px: the queue fits, nothing to scroll
    assert not tab_reaches_a_wrapper(page)
    assert not wrappers_are_named_stops(page)
    assert not region_problems(page)

    page.set_viewport_size({"width": 390, "height": 844})  # the same page, narrowed
    page.wait_for_function(f"() => document.querySelector('{table}').closest('.table-scroll').tabIndex === 0")
    assert stops(page, table) == [True]
    assert tab_to_first_wide_table(page) == "依申请公开"
    assert not wrappers_are_named_stops(page)
    assert not region_problems(page)

    page.locator("body").focus()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(
        f"() => !document.querySelector('{table}').closest('.table-scroll').hasAttribute('tabindex')"
    )
    assert stops(page, table) == [False]


def test_without_javascript_every_wrapper_stays_a_stop(live_server, new_context, workbench_data, reviewer):
    base = live_server.url
    page = new_context(js=False)
    log_in(page, base, "reviewer")
    page.goto(base + "/workbench/requests/")

    assert stops(page, ".table-scroll > table") == [True]  # page.evaluate runs even so
