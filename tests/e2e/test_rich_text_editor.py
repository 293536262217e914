"""The record body editor (catalog/editor.js over vendor/squire): headings, lists and a table made with
its toolbar reach the public page; a fragment pasted from Word comes in as clean HTML (a real list, no
mso- styles, no <o:p>, no <style>, no conditional comments), in the posted field and after saving.
The server's sanitiser (core/text.py) has the last word; these tests check what the browser sends."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PASSWORD = "correct-horse-battery"  # the personas' password (conftest.py)

# What Word 2016 puts on the clipboard (text/html) for a heading, a bulleted and a numbered list and
# a paragraph with a font tag, shortened: namespaces, a style block, conditional comments, <o:p>.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=Generator content="Microsoft Word 15">
<style>
<!--
 /* Font Definitions */
 @font-face {font-family:宋体; panose-1:2 1 6 0 3 1 1 1 1 1;}
p.MsoNormal {mso-style-parent:""; margin:0cm; font-size:10.5pt;}
p.MsoListParagraph {mso-style-priority:34; text-indent:21.0pt;}
@list l0:level1 {mso-level-number-format:bullet; mso-level-text:;}
-->
</style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->
</head>
<body lang=ZH-CN style='tab-interval:21.0pt'>
<!--StartFragment-->
<p class=MsoNormal style='mso-outline-level:2'><b><span style='font-size:16.0pt;font-family:黑体;
mso-ascii-font-family:"Times New Roman"'>办理须知</span></b><span lang=EN-US><o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
lang=EN-US style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span
style='font-family:宋体'>携带居民身份证原件</span><span lang=EN-US><o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span
lang=EN-US style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span
style='font-family:宋体'>及复印件一份</span><o:p></o:p></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]--><span
lang=EN-US style='font-family:Symbol'><span style='mso-list:Ignore'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><!--[endif]--><span
style='font-family:宋体'>近期免冠彩色照片一张</span><o:p></o:p></p>
<p class=MsoNormal><font face="仿宋" color="#333333">办理流程如下：</font><o:p></o:p></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span
lang=EN-US><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span
style='font-family:宋体'>网上预约</span><o:p></o:p></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span
lang=EN-US><span style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span
style='font-family:宋体'>窗口受理</span><o:p></o:p></p>
<!--EndFragment-->
</body>
</html>"""

PASTE = """html => {
    const area = document.getElementById('id_body_area');
    area.focus();
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', '办理须知');
    area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/workbench/")


def fill_the_rest(page: Page, name: str) -> None:
    page.fill("#id_name", name)
    page.fill("#id_doc_number", "吉公发〔2015〕12号")
    page.fill("#id_formed_on", "2015-06-01")
    page.select_option("#id_department", label="出入境管理局")
    page.select_option("#id_category", label="政策文件 › 规范性文件")
    page.select_option("#id_genre", label="通知")
    page.fill("#id_summary", "护照办理须知。")
    page.select_option("#id_validity", label="有效")
    page.select_option("#id_secrecy", label="非涉密")
    page.select_option("#id_attribute", label="主动公开")


def tool(page: Page, name: str) -> None:
    page.get_by_role("toolbar", name="正文格式").get_by_role("button", name=name, exact=True).click()


def save(page: Page, name: str):
    from gongkai.catalog.models import Record

    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/workbench/records/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("已保存草稿")
    return Record.objects.get(name=name)


def publish(record, editor, reviewer):
    from gongkai.catalog import services

    record = services.do_submit_record(record, actor=editor, expected_version=record.version)
    record = services.do_approve_record(record, actor=reviewer, expected_version=record.version)
    return services.do_publish_record(record, actor=reviewer, expected_version=record.version)


def test_headings_lists_and_a_table_from_the_toolbar_reach_the_public_page(
    live_server, new_context, shot, editor, reviewer
):
    base = live_server.url
    name = "关于护照办理须知的通知"
    page = new_context()
    log_in(page, base, "editor")
    page.goto(base + "/workbench/records/new/")
    fill_the_rest(page, name)

    area = page.locator("#id_body_area")
    area.click()
    page.keyboard.type("办理须知")
    tool(page, "一级标题")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    tool(page, "正文")
    page.keyboard.type("申请人应携带下列材料：")
    page.keyboard.press("Enter")
    tool(page, "项目列表")
    page.keyboard.type("居民身份证")
    page.keyboard.press("Enter")
    page.keyboard.type("近期照片")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    page.keyboard.type("办理步骤")
    tool(page, "二级标题")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    tool(page, "编号列表")
    page.keyboard.type("网上预约")
    page.keyboard.press("Enter")
    page.keyboard.type("窗口受理")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    tool(page, "插入表格")
    cells = area.locator("table th, table td")
    expect(cells).to_have_count(9)
    for index, text in enumerate(["证件", "时限", "", "普通护照", "10个工作日", "", "", "", ""]):
        if text:
            cells.nth(index).click()
            page.keyboard.type(text)

    # the hidden field the form posts follows the editor
    body = page.locator("#id_body").input_value()
    for fragment in ("<h2>办理须知</h2>", "<h3>办理步骤</h3>", "<li>居民身份证</li>", "<li>窗口受理</li>"):
        assert fragment in re.sub(r"<br>", "", body), body
    assert "<ul>" in body and "<ol>" in body and "<table>" in body, body
    shot(page, "editor-structure")

    record = save(page, name)
    publish(record, editor, reviewer)

    visitor = new_context(phone=True)
    visitor.goto(base + record.get_absolute_url())
    body_el = visitor.locator(".record-body")
    expect(body_el.locator("h2")).to_have_text("办理须知")
    expect(body_el.locator("h3")).to_have_text("办理步骤")
    expect(body_el.locator("ul > li")).to_have_text(["居民身份证", "近期照片"])
    expect(body_el.locator("ol > li")).to_have_text(["网上预约", "窗口受理"])
    expect(body_el.locator("p", has_text="申请人应携带下列材料：")).to_have_count(1)
    table = body_el.locator("table")
    expect(table).to_have_count(1)
    expect(table.locator("tr")).to_have_count(3)
    expect(table.locator("tr").nth(0).locator("th")).to_have_text(["证件", "时限", ""])
    expect(table.locator("tr").nth(1).locator("td")).to_have_text(["普通护照", "10个工作日", ""])
    # at 390 px the table scrolls inside the body, not the page
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    shot(visitor, "public-record-phone")


def test_a_fragment_pasted_from_word_is_cleaned(live_server, new_context, shot, editor, reviewer):
    base = live_server.url
    name = "关于护照办理流程的说明"
    page = new_context()
    log_in(page, base, "editor")
    page.goto(base + "/workbench/records/new/")
    fill_the_rest(page, name)
    page.locator("#id_body_area").click()
    page.evaluate(PASTE, WORD_HTML)
    area = page.locator("#id_body_area")
    expect(area.locator("ol > li")).to_have_count(2)
    expect(area.locator("ul > li > ul > li")).to_have_text("及复印件一份")  # Word's level 2

    def check(html: str) -> None:
        for unwanted in (
            "mso-",
            "o:p",
            "<style",
            "<!--",
            "[if",
            "endif",
            "<font",
            "<span",
            "class=",
            "style=",
        ):
            assert unwanted not in html, f"{unwanted!r} kept in {html}"
        for marker in ("·", "1.", "2."):
            assert marker not in html, f"the list marker {marker!r} kept in {html}"
        flat = re.sub(r"<br>|\s+", "", html)
        # Word's level 2 is a list in the item before it; Squire keeps that item's text in a <div>
        nested = "<ul><li>(<div>)?携带居民身份证原件(</div>)?<ul><li>及复印件一份</li></ul></li><li>近期免冠彩色照片一张</li></ul>"
        assert re.search(nested, flat), html
        assert re.search(r"<ol><li>网上预约</li><li>窗口受理</li></ol>", flat), html
        assert "办理须知" in flat and "办理流程如下：" in flat, html

    posted = page.locator("#id_body").input_value()
    check(posted)
    shot(page, "word-pasted")

    record = save(page, name)
    check(record.body)
    # the saved record opens in the editor as it was saved
    page.goto(f"{base}/workbench/records/{record.pk}/edit/")
    expect(page.locator("#id_body_area > ul > li")).to_have_count(2)
    expect(page.locator("#id_body_area ol > li")).to_have_text(["网上预约", "窗口受理"])
    check(page.locator("#id_body").input_value())

    publish(record, editor, reviewer)
    visitor = new_context()
    visitor.goto(base + record.get_absolute_url())
    items = visitor.locator(".record-body > ul > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("携带居民身份证原件")
    expect(items.nth(0).locator("ul > li")).to_have_text("及复印件一份")
    expect(items.nth(1)).to_have_text("近期免冠彩色照片一张")
    expect(visitor.locator(".record-body ol > li")).to_have_text(["网上预约", "窗口受理"])
    assert "mso-" not in visitor.content()
