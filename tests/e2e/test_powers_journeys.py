"""The power and approval lists in the browser: a visitor finds the passport service guide, reads
its materials and flowchart and prints it on A4; a department imports its list from XLSX with one
bad row, is told which row and why, fixes it, and the office publishes the list with its notice."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import unicodedata

import pdfplumber
import pytest
from playwright.sync_api import expect

from tests.e2e.test_editor_to_publication import PASSWORD, both_widths, log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

A4_POINTS = (595.28, 841.89)


def _publish_passport(editor, reviewer, departments) -> None:
    from gongkai.powers import services

    data = {
        "list_kind": "approvals",
        "category": "licensing",
        "code": "JL-CRJ-001",
        "name": "普通护照签发",
        "legal_basis": "《中华人民共和国护照法》第五条、第六条",
        "department": departments["exit_entry"],
        "level": "province",
        "conditions": "具有中华人民共和国国籍并定居在国内的中国公民。",
        "statutory_days": 15,
        "promised_days": 7,
        "fee": "每本120元",
        "place": "户籍所在地公安机关出入境管理部门",
        "hours": "工作日 8:30—16:30",
        "phone": "0431-82098251",
        "materials": [
            {"name": "居民身份证", "form": "both", "copies": 1, "note": ""},
            {"name": "近期免冠照片", "form": "original", "copies": 1, "note": ""},
        ],
        "steps": [
            {"number": 1, "name": "受理", "post": "受理窗口民警", "time_limit": "即时", "next_steps": "2", "basis": ""},
            {"number": 2, "name": "审核", "post": "审核岗", "time_limit": "5个工作日", "next_steps": "准予:3；不予:4",
             "basis": ""},
            {"number": 3, "name": "制证发证", "post": "制证中心", "time_limit": "2个工作日", "next_steps": "", "basis": ""},
            {"number": 4, "name": "书面告知不予签发理由", "post": "审核岗", "time_limit": "", "next_steps": "",
             "basis": "《护照法》第十三条"},
        ],
    }  # fmt: skip
    item = services.do_create_item(
        data, set_on=dt.date(2004, 7, 1), set_document="吉政发〔2004〕1号", actor=editor
    )
    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    edition = services.do_propose_edition("approvals", title="行政审批事项目录", actor=editor)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)


def test_a_visitor_finds_the_passport_guide_reads_it_and_prints_it_on_a4(
    live_server, new_context, shot, editor, reviewer, departments, tmp_path
):
    _publish_passport(editor, reviewer, departments)
    base = live_server.url
    page = new_context()
    page.goto(base + "/powers/approvals/")
    page.get_by_role("link", name="普通护照签发").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("普通护照签发")
    page.get_by_role("link", name="查看办事指南").click()
    expect(page.get_by_text("居民身份证").first).to_be_visible()
    flowchart = page.locator("svg.flowchart").first
    expect(flowchart).to_be_visible()
    assert "受理" in (flowchart.text_content() or "")
    both_widths(page, shot, "passport-guide")

    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    path = tmp_path / "guide.pdf"
    path.write_bytes(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert 1 <= len(document.pages) <= 3, "a service guide prints on a few A4 pages"
        for printed in document.pages:
            # A4 (Chromium rounds the paper to whole hundredths of an inch)
            assert abs(printed.width - A4_POINTS[0]) < 2 and abs(printed.height - A4_POINTS[1]) < 2
            # nothing is cut at the right edge: every character lies inside the page
            assert all(char["x1"] <= printed.width + 0.5 for char in printed.chars)
        # Chromium's PDF maps some glyphs to radicals (⼯ for 工, ⺠ for 民): NFKC reads back the
        # Kangxi ones; the words checked avoid the others.
        text = unicodedata.normalize(
            "NFKC", "\n".join(printed.extract_text() or "" for printed in document.pages)
        )
    assert "身份证" in text and "免冠照片" in text and "普通护照签发" in text and "15" in text
    assert "工作人员登录" not in text  # the print view leaves the site's navigation out
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    assert (tmp_path / "page-1.png").stat().st_size > 5_000


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["清单", "职权类别", "事项编码", "事项名称", "设定依据", "实施部门", "办理流程"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    "权力清单",
    "行政处罚",
    "CF-001",
    "违反治安管理行为处罚",
    "《治安管理处罚法》第二条",
    "出入境管理局",
    "",
]
BAD = ["权力清单", "行政处罚", "CF-002", "非法入境处罚", "《出境入境管理法》第七十一条", "出入境管理局",
       "1|受理|窗口|即时|5"]  # fmt: skip


def test_a_department_imports_its_list_fixes_a_bad_row_and_the_office_publishes_it(
    live_server, new_context, shot, editor, reviewer, tmp_path
):
    from gongkai.powers.models import PowerItem

    base = live_server.url
    page = new_context()
    log_in(page, base, "editor", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="权责清单").click()
    page.goto(base + "/workbench/powers/import/")

    broken = tmp_path / "清单.xlsx"
    broken.write_bytes(_xlsx([GOOD, BAD]))
    page.set_input_files("#i-file", str(broken))
    page.get_by_role("button", name="导入").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("未导入任何事项")
    expect(alert).to_contain_text("第 3 行“办理流程”列")
    shot(page, "import-refused")
    assert not PowerItem.objects.exists()

    fixed = tmp_path / "清单-改.xlsx"
    fixed.write_bytes(_xlsx([GOOD, [*BAD[:6], "1|受理|窗口|即时|"]]))
    page.set_input_files("#i-file", str(fixed))
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("status")).to_contain_text("新建 2 项")

    for item in PowerItem.objects.order_by("code"):
        page.goto(f"{base}/workbench/powers/{item.pk}/")
        page.get_by_role("button", name="提交审核").click()
        expect(page.get_by_role("status")).to_be_visible()
    log_out(page, base)

    log_in(page, base, "reviewer", PASSWORD)
    for item in PowerItem.objects.order_by("code"):
        page.goto(f"{base}/workbench/powers/{item.pk}/")
        page.get_by_role("button", name="审核通过").click()
        expect(page.get_by_role("status")).to_be_visible()
    log_out(page, base)

    log_in(page, base, "editor", PASSWORD)
    page.goto(base + "/workbench/powers/editions/")
    page.select_option("#e-list", "powers")
    page.fill("#e-title", "关于公布行政职权清单的通告")
    page.get_by_role("button", name="提请发布").click()
    expect(page.get_by_role("status")).to_be_visible()
    log_out(page, base)

    log_in(page, base, "reviewer", PASSWORD)
    page.goto(base + "/workbench/powers/editions/")
    page.get_by_role("button", name="发布清单").click()
    expect(page.get_by_role("status")).to_be_visible()
    both_widths(page, shot, "editions")
    notice = page.get_by_role("link", name="关于公布行政职权清单的通告").get_attribute("href")
    assert notice

    # The notice is a published record of the catalog; the items are on the public list.
    visitor = new_context(phone=True)
    visitor.goto(base + notice)
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("关于公布行政职权清单的通告")
    visitor.goto(base + "/powers/")
    expect(visitor.get_by_role("link", name="违反治安管理行为处罚").first).to_be_visible()
    shot(visitor, "public-list-phone")
