"""The annual report in the browser, issue 10: the office opens the 2015 draft, follows a figure to
the records it counts, edits a passage, sees the validation failure it introduced (a part that no
longer adds up) and is refused the leader until it fixes it; the office's reviewer puts it to the
leader, the leader approves, and a second reviewer publishes it (four eyes: not whoever put it to
the leader or edited its text, and the page says why); a visitor finds it in the 年度报告 column,
reads it, and downloads its PDF.

The smallest data that makes it real: three press conferences of 2015 (and one of 2016, which
the 2015 figure must not count), made through the press room's services; every other figure of
the report is read from the (empty) records of the other apps, as the live site would."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_editor_to_publication import PASSWORD, log_in, log_out
from tests.e2e.test_portal_layouts import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SHOTS = Path("/work/notes/shots")
TITLE = "吉林省公安厅2015年度政府信息公开工作报告"
SPEAKERS = [{"name": "金明", "post": "副局长", "organisation": "出入境管理局"}]
CONFERENCES = [
    ("全省公安机关出入境便民措施新闻发布会", dt.date(2015, 3, 18), "government"),
    ("延吉口岸签证业务启动新闻发布会", dt.date(2015, 6, 2), "agency"),
    ("交通安全宣传月新闻发布会", dt.date(2015, 11, 9), "agency"),
    ("2016年春运交通安全新闻发布会", dt.date(2016, 1, 12), "agency"),  # another year's
]
# The office's edit of 二是加大政策解读回应力度: a third kind of conference that makes the parts
# (1 + 2 + 1) more than the total (3), and a sentence of its own that stays.
BROKEN_PART = "、与省直部门联合召开1场"
OWN_SENTENCE = "每场发布会后均在门户网站发布问答实录。"


def _conferences(editor, reviewer, department) -> None:
    from gongkai.pressroom import services

    for title, held_on, host in CONFERENCES:
        conference = services.do_create_conference(
            {
                "title": title,
                "held_on": held_on,
                "host": host,
                "venue": "省公安厅新闻发布厅",
                "department": department,
                "speakers": SPEAKERS,
                "topics": title.removesuffix("新闻发布会"),
            },
            actor=editor,
        )
        services.do_publish_conference(conference, actor=reviewer, expected_version=conference.version)


def _shoot(page, name: str) -> None:
    """/work/notes/shots/h4_<name>_1280.png and _390.png; at 390 px nothing scrolls sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"h4_{name}_1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / f"h4_{name}_390.png"), full_page=True)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    assert scroll <= PHONE["width"], f"{name}: {scroll} px wide at 390 px"


def _move(page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def _press_passage(page):
    return page.locator("#p-work\\.press")


def test_the_office_drafts_fixes_the_leader_approves_and_the_public_reads_the_2015_report(
    live_server, new_context, editor, reviewer, leader, departments, tmp_path
):
    from conftest import _staff
    from gongkai.annualreport.models import AnnualReport, PublishedReport

    office = _staff("office_editor", "何指挥", departments["office"], ["editor"])
    publisher = _staff("reviewer2", "刘公开", departments["office"], ["reviewer"])
    _conferences(editor, reviewer, departments["exit_entry"])
    base = live_server.url

    # -- the office drafts the 2015 report from the records and opens it
    page = new_context()
    log_in(page, base, office.username, PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="年度报告").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("政府信息公开工作年度报告")
    page.fill("#new-year", "2015")
    page.get_by_role("button", name="起草").click()
    expect(page.get_by_role("status")).to_contain_text("已根据业务记录起草2015年度报告。")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#main")).to_contain_text("状态：草稿")
    report = AnnualReport.objects.get(year=2015)
    detail = f"{base}/workbench/reports/{report.pk}/"
    press = _press_passage(page)
    expect(press).to_contain_text("共召开新闻发布会3场，其中以省政府名义召开1场、以本机关名义召开2场")

    # -- a figure opens the records it counts: the three conferences of 2015, not 2016's
    press.get_by_role("link", name="3", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2015年度：统计数字来源")
    counted = page.locator("main section").first
    expect(counted.get_by_role("heading", level=2)).to_have_text(re.compile(r"：3\s*场$"))
    expect(counted).to_contain_text("共3条记录")
    items = counted.locator("ol > li")
    expect(items).to_have_count(3)
    for title, held_on, _host in CONFERENCES:
        if held_on.year == 2015:
            expect(counted).to_contain_text(title)
    expect(counted).not_to_contain_text("2016年春运交通安全新闻发布会")
    page.go_back()

    # -- the office edits the passage: a part too many
    press = _press_passage(page)
    press.get_by_text("修改此段", exact=True).click()
    area = page.locator("#t-work\\.press")
    drafted = area.input_value()
    broken = drafted.replace("以本机关名义召开2场", "以本机关名义召开2场" + BROKEN_PART) + OWN_SENTENCE
    assert broken != drafted + OWN_SENTENCE
    area.fill(broken)
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_role("status")).to_contain_text("已保存。请重新校验。")
    expect(_press_passage(page)).to_contain_text("办公室已修改此段")

    # -- the validation lists the failure with its place; the report cannot go to the leader
    _move(page, "校验")
    findings = page.locator("#findings")
    failure = findings.locator("li.finding.error").filter(has_text="各部分之和与总数不符")
    expect(failure).to_have_count(1)
    expect(failure).to_contain_text("1 + 2 + 1 = 4，而总数为3场")
    expect(failure.locator(".place")).to_contain_text("位置")
    _shoot(page, "draft_failure")
    place = failure.locator(".place").inner_text()
    _move(page, "校验通过，提请领导审批")
    refusal = page.get_by_role("status").and_(page.locator(".error"))
    expect(refusal).to_contain_text("校验未通过")
    expect(refusal).to_contain_text("各部分之和与总数不符：1 + 2 + 1 = 4")
    report.refresh_from_db()
    assert report.status == "draft" and report.checked_by is None

    # The leader may read the draft, but there is nothing to approve yet.
    boss = new_context()
    log_in(boss, base, leader.username, PASSWORD)
    boss.goto(detail)
    expect(boss.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(boss.get_by_role("button", name="审批通过")).to_have_count(0)

    # -- the office fixes the passage (its own sentence stays) and validates again
    page.goto(detail)
    _press_passage(page).get_by_text("修改此段", exact=True).click()
    area = page.locator("#t-work\\.press")
    area.fill(area.input_value().replace(BROKEN_PART, ""))
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_role("status")).to_contain_text("已保存。请重新校验。")
    _move(page, "校验")
    findings = page.locator("#findings")
    expect(findings).not_to_contain_text("各部分之和与总数不符")
    expect(findings).not_to_contain_text(place)
    # Published in 2026, the 2015 report is late (2007 Regulations Art. 31: by 31 March 2016):
    # the office states why and accepts the warning.
    late = findings.locator("li.finding.warning").filter(has_text="已超过")
    expect(late).to_contain_text("2016-03-31")
    late.locator("input[name=reason]").fill("补录2015年度报告，原报告已于2016年3月以纸质形式报送。")
    late.get_by_role("button", name="说明理由并接受").click()
    expect(page.get_by_role("status")).to_contain_text("已接受该问题。")
    expect(page.locator("#findings")).to_contain_text("已接受：补录2015年度报告")
    expect(page.locator("#findings li.finding.error")).to_have_count(0)
    log_out(page, base)

    # -- the office's reviewer puts it to the leader (validated again on the way)
    desk = new_context()
    log_in(desk, base, reviewer.username, PASSWORD)
    desk.goto(detail)
    _move(desk, "校验通过，提请领导审批")
    expect(desk.get_by_role("status")).to_contain_text("校验通过，已提请领导审批。")
    expect(desk.locator("#main")).to_contain_text("状态：已校验待审批")
    expect(desk.get_by_role("button", name="审批通过")).to_have_count(0)

    # -- the leader approves
    boss.goto(detail)
    _move(boss, "审批通过")
    expect(boss.get_by_role("status")).to_contain_text("已审批通过。")
    expect(boss.locator("#main")).to_contain_text("状态：领导已审批")
    expect(boss.get_by_role("button", name="发布到“年度报告”栏目")).to_have_count(0)

    # -- four eyes: who put it to the leader (or edited its text) may not publish it, and the page
    #    says why; a second reviewer, who did neither, does
    desk.goto(detail)
    expect(desk.locator("#main")).to_contain_text("状态：领导已审批")
    expect(desk.get_by_role("button", name="发布到“年度报告”栏目")).to_have_count(0)
    expect(desk.locator("#four-eyes")).to_have_text(
        "您提请了此报告的审批，须由另一名公开办审核员发布（双人审核）。"
    )
    second = new_context()
    log_in(second, base, publisher.username, PASSWORD)
    second.goto(detail)
    _move(second, "发布到“年度报告”栏目")
    expect(second.get_by_role("status")).to_contain_text("年度报告已发布。")
    expect(second.locator("#main")).to_contain_text("状态：已发布")
    published = PublishedReport.objects.get(year=2015)
    assert (published.report.checked_by, published.approved_by, published.published_by) == (
        reviewer,
        leader,
        publisher,
    )

    # -- a visitor finds it in the 年度报告 column, reads it, and downloads the PDF
    visitor = new_context()
    visitor.goto(base + "/")
    visitor.get_by_role("navigation", name="主导航").get_by_role("link", name="年度报告").click()
    visitor.get_by_role("link", name=TITLE).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(visitor.locator("#main")).to_contain_text(OWN_SENTENCE)
    expect(visitor.locator("#main")).not_to_contain_text("联合召开")
    _shoot(visitor, "public_record")
    attachment = visitor.locator("#main a[href]").filter(has_text=".pdf").first
    _assert_pdf(visitor, attachment.get_attribute("href"), tmp_path / "record.pdf")

    visitor.goto(base + "/reports/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor).to_have_url(f"{base}/reports/2015/")
    body = visitor.locator("#main")
    expect(body).to_contain_text("共召开新闻发布会3场，其中以省政府名义召开1场、以本机关名义召开2场")
    expect(body).to_contain_text(OWN_SENTENCE)
    # The report is shown inside the portal's page, not as a second document in it.
    expect(visitor.locator("main")).to_have_count(1)
    expect(visitor.locator("title")).to_have_count(1)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert not serious_violations(visitor)
    _shoot(visitor, "public_report")
    pdf = visitor.get_by_role("link", name="下载PDF")
    _assert_pdf(visitor, pdf.get_attribute("href"), tmp_path / "report.pdf")


def _assert_pdf(page, href: str | None, path: Path) -> None:
    assert href
    response = page.request.get(urljoin(page.url, href))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    data = response.body()
    assert data[:4] == b"%PDF"
    if shutil.which("pdftotext"):
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert TITLE in re.sub(r"\s+", "", text)
