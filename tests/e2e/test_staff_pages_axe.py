"""The main staff pages pass axe-core (vendor/axe.min.js) with no serious or critical violation, at
1280 px and at 390 px (also with large text): what the editor, the reviewer and the audit
administrator see every day."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "correct-horse-battery"  # the personas' password (conftest.py)

EDITOR_PAGES = ["/workbench/", "/workbench/records/", "/workbench/records/new/", "record", "edit"]
REVIEWER_PAGES = [
    "/workbench/",
    "record",
    "/workbench/review/",
    "/workbench/requests/",
    "case",
    "/workbench/requests/stats/",
    "/workbench/engagement/stats/",
    "/workbench/powers/",
    "/workbench/press/",
    "/workbench/engagement/",
    "/workbench/reports/",
]
AUDITOR_PAGES = ["/workbench/", "/workbench/audit/"]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/workbench/")


def serious_violations(page: Page) -> list[str]:
    """Each serious or critical violation, with every element it was found on."""
    page.evaluate(AXE)  # through the DevTools protocol: the page's CSP does not apply
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .flatMap(v => v.nodes.map(n => v.impact + ' ' + v.id + ' ' + n.target.join(' ')
                + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\\s+/g, ' ').slice(0, 160) : '')))"""
    )
    return list(found)


@pytest.fixture
def staff_data(make_record, make_application, auditor):
    make_record(status="submitted", name="关于调整出入境证件办理时限和收费标准并推行网上预约的通知")
    make_record(status="published")
    record = make_record(status="draft", body="<h2>办理须知</h2><ul><li>居民身份证</li></ul><p>正文。</p>")
    return {
        "record": f"/workbench/records/{record.pk}/",
        "edit": f"/workbench/records/{record.pk}/edit/",
        "case": f"/workbench/requests/{make_application().pk}/",
    }


@pytest.mark.parametrize(
    ("phone", "large"), [(False, False), (True, False), (True, True)], ids=["1280", "390", "390-large"]
)
def test_the_main_staff_pages_have_no_serious_axe_violation(
    live_server, new_context, staff_data, phone, large
):
    base = live_server.url
    problems: list[str] = []
    for username, paths in [
        ("editor", EDITOR_PAGES),
        ("reviewer", REVIEWER_PAGES),
        ("auditor", AUDITOR_PAGES),
    ]:
        page = new_context(phone=phone)
        if large:  # the large-text setting (gk_large) the portal's header offers
            page.context.add_cookies([{"name": "gk_large", "value": "1", "url": base}])
        log_in(page, base, username)
        for path in paths:
            path = staff_data.get(path, path)
            response = page.goto(base + path)
            assert response is not None and response.status == 200, f"{username} {path}"
            problems.extend(f"{username} {path}: {v}" for v in serious_violations(page))
        page.context.close()
    assert not problems, f"{len(problems)} serious or critical axe violations:\n" + "\n".join(problems)
