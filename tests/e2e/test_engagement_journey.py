"""互动交流 in the browser: a member of the public on a phone asks a question (a first try without
the question keeps what was typed and says why in Chinese), is given the number and the query code;
the office routes it to the exit-entry department, whose editor answers; the office publishes the
answer; the asker follows it with the code, reads the answer and rates it, and the public page
shows the question, the answer and the rating."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_editor_to_publication import PASSWORD, log_in, log_out
from tests.e2e.test_pressroom_journey import _check

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

TITLE = "办理港澳通行证需要什么材料"
QUESTION = "请问在长春办理往来港澳通行证需要带哪些材料？多长时间能拿到？"
ANSWER = "携带居民身份证和户口簿到户籍所在地出入境接待大厅办理，7个工作日可领证。"


def _open_inquiry(page, base: str, title: str) -> None:
    page.goto(base + "/workbench/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="互动交流").click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def test_a_question_is_asked_routed_answered_published_followed_and_rated(
    live_server, new_context, shot, editor, reviewer, departments
):
    from gongkai.engagement.models import Inquiry

    base = live_server.url
    visitor = new_context(phone=True)
    visitor.goto(base + "/interact/")
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("互动交流")
    _check(visitor, shot, "index")
    visitor.get_by_role("main").get_by_role("link", name="我要咨询").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("我要咨询")
    _check(visitor, shot, "ask")

    # A first try without the question: nothing is made, what was typed stays, the reason is in words.
    visitor.select_option("#id_topic", "exit_entry")
    visitor.fill("#id_title", TITLE)
    visitor.fill("#id_asker_name", "刘女士")
    visitor.fill("#id_phone", "13904310000")
    visitor.get_by_role("button", name="提交").click()
    summary = visitor.get_by_role("alert")
    expect(summary).to_contain_text("请修改下面 1 处问题后再提交；您已填写的内容都还在。")
    expect(summary.get_by_role("link", name="内容：请填写内容。")).to_be_visible()
    expect(visitor.locator("#id_question_error")).to_have_text("请填写内容。")
    expect(visitor.locator("#id_title")).to_have_value(TITLE)
    expect(visitor.locator("#id_asker_name")).to_have_value("刘女士")
    expect(visitor.locator("#id_phone")).to_have_value("13904310000")
    expect(visitor.locator("#id_topic")).to_have_value("exit_entry")
    assert not Inquiry.objects.exists()
    _check(visitor, shot, "ask-refused")
    summary.get_by_role("link", name="内容：请填写内容。").click()
    expect(visitor.locator("#id_question")).to_be_focused()

    visitor.fill("#id_question", QUESTION)
    visitor.get_by_role("button", name="提交").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("已收到您的咨询")
    receipt = visitor.get_by_role("status")
    expect(receipt).to_contain_text("已收到，正在分办")
    number = visitor.locator("#inquiry-number").inner_text().strip()
    code = visitor.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z]{2}\d{4}-\d{5}", number), number
    assert code
    expect(visitor.get_by_text("查询码只显示这一次")).to_be_visible()
    _check(visitor, shot, "done")

    # The office routes it to the exit-entry department.
    staff = new_context()
    log_in(staff, base, "reviewer", PASSWORD)
    _open_inquiry(staff, base, TITLE)
    expect(staff.locator("#inquiry-status")).to_have_text("待分办")
    expect(staff.get_by_text("13904310000")).to_be_visible()  # the office sees the contact details
    staff.select_option("#m-dept", label="出入境管理局")
    staff.get_by_role("button", name="分办").click()
    expect(staff.get_by_role("status").first).to_contain_text("已完成：分办。")
    expect(staff.locator("#inquiry-status")).to_have_text("部门办理中")
    log_out(staff, base)

    # The department's editor answers.
    log_in(staff, base, "editor", PASSWORD)
    _open_inquiry(staff, base, TITLE)
    staff.fill("#m-answer", ANSWER)
    staff.get_by_role("button", name="提交答复").click()
    expect(staff.get_by_role("status").first).to_contain_text("已完成：答复。")
    expect(staff.locator("#inquiry-status")).to_have_text("已答复待审核")
    expect(staff.locator("#department-answer")).to_have_text(ANSWER)
    log_out(staff, base)

    # Following it before the office has decided: the answer is not shown yet.
    visitor.get_by_role("link", name="查询答复").click()
    expect(visitor.locator("#id_number")).to_have_value(number)
    visitor.fill("#id_code", code)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator("#inquiry-stage")).to_have_text("答复正在审核")
    expect(visitor.locator("#inquiry-answer")).to_have_count(0)

    # The office publishes the answer (the texts it may edit are filled in).
    log_in(staff, base, "reviewer", PASSWORD)
    _open_inquiry(staff, base, TITLE)
    expect(staff.locator("#m-pq")).to_have_value(QUESTION)
    expect(staff.locator("#m-pa")).to_have_value(ANSWER)
    staff.get_by_role("button", name="公开答复").click()
    expect(staff.get_by_role("status").first).to_contain_text("已完成：公开答复。")
    expect(staff.locator("#inquiry-status")).to_have_text("已答复并公开")
    shot(staff, "staff-published")

    # The asker follows it with the code and rates the answer.
    visitor.goto(base + "/interact/follow/")
    visitor.fill("#id_number", number.lower())  # read as typed, in either case
    visitor.fill("#id_code", code)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator("#inquiry-stage")).to_have_text("已答复，并在网站公开")
    expect(visitor.locator("#inquiry-answer")).to_have_text(ANSWER)
    _check(visitor, shot, "follow-answered")
    visitor.get_by_label("满意", exact=True).check()
    visitor.fill("#id_comment", "答复清楚，谢谢。")
    visitor.get_by_role("button", name="提交评价").click()
    expect(visitor.get_by_role("status")).to_contain_text("感谢您的评价。")
    expect(visitor.locator("#inquiry-rating")).to_contain_text("您的评价：满意")
    expect(visitor.get_by_role("button", name="提交评价")).to_have_count(0)  # rated once
    _check(visitor, shot, "rated")

    visitor.get_by_role("link", name="查看公开页面").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator("#public-question")).to_have_text(QUESTION)
    expect(visitor.locator("#public-answer")).to_have_text(ANSWER)
    facts = visitor.locator("dl.facts")
    expect(facts).to_contain_text("出入境管理局")
    expect(facts).to_contain_text("满意")
    expect(visitor.get_by_text("刘女士")).to_have_count(0)  # the asker's name is never public
    expect(visitor.get_by_text("13904310000")).to_have_count(0)
    _check(visitor, shot, "answer")

    visitor.goto(base + "/interact/answers/")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    _check(visitor, shot, "answers")

    staff.reload()
    expect(staff.locator("dl.facts").first).to_contain_text("满意：答复清楚，谢谢。")
