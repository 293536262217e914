"""The exported report page in a browser: at 1280 and 390 px the page is no wider than the
viewport (table 三 scrolls inside its own focusable region on a phone), no axe-core violation,
checked on both forms of the report."""

from __future__ import annotations

import pytest

from gongkai.annualreport.exports import to_html, year_charts
from gongkai.annualreport.exports.samples import HISTORY, narrative_2015, national_2021

from .test_portal_layouts import AXE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.mark.parametrize("phone", [False, True], ids=["1280", "390"])
@pytest.mark.parametrize("form", ["national", "narrative"])
def test_the_report_page_fits_and_passes_axe(new_context, shot, phone, form):
    doc = national_2021() if form == "national" else narrative_2015()
    page = new_context(phone=phone)
    page.set_content(to_html(doc, charts=year_charts(doc, HISTORY)))
    shot(page, form)
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    page.evaluate(AXE)
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => v.id + ' ' + v.impact)"""
    )
    assert violations == []
    if form == "national":
        region = page.locator(".ar-table-wrap").nth(4)
        assert region.get_attribute("tabindex") == "0"
        if phone:  # table 三 is wider than the phone: it scrolls inside its region
            assert region.evaluate("el => el.scrollWidth > el.clientWidth")
