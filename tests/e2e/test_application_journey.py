"""From an online application to the reply in the applicant's hands: a person applies on a phone,
the office assigns it, the department gives its opinion, the office drafts, the office head
approves, and the applicant downloads the reply letter and finds it in their mailbox (a real SMTP
server on this machine)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PASSWORD = "correct-horse-battery"  # the personas' password (conftest.py)
TITLE = "2025年全省出入境证件签发数量统计"
EMAIL = "lisi@example.com"
REPLY = "您申请的2025年全省出入境证件签发数量统计见附件。"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/workbench/")


def open_move(page: Page, name: str) -> Any:
    move = page.locator(f"#move-{name}")
    move.locator("summary").click()
    return move


def test_an_online_application_is_answered_and_the_reply_reaches_the_applicant(
    live_server, new_context, shot, smtp_server, reviewer, office_head, dept_staff
):
    from gongkai.inforequests.models import Application, LetterDelivery

    base = live_server.url

    # -- a person applies on a phone and is given a tracking number and a query code
    applicant = new_context(phone=True)
    applicant.goto(base + "/apply/")
    applicant.fill("#id_applicant_name", "李四")
    applicant.fill("#id_id_number", "22010219850505123X")
    applicant.fill("#id_phone", "13900001111")
    applicant.fill("#id_email", EMAIL)
    applicant.fill("#id_information_title", TITLE)
    applicant.check("input[name=form_wanted][value=electronic]")
    applicant.check("input[name=delivery][value=email]")
    applicant.check("#id_declaration")
    applicant.get_by_role("button", name="提交申请").click()
    applicant.wait_for_url(base + "/apply/done/")
    receipt = applicant.get_by_role("status")
    expect(receipt).to_contain_text("受理编号")
    tracking = re.search(r"GK\d{4}-\d{5}", receipt.inner_text())
    assert tracking
    code = applicant.locator(".receipt .code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    shot(applicant, "receipt-phone")
    application = Application.objects.get(tracking_number=tracking.group(0))
    [ack] = smtp_server.wait_for(1)
    assert tracking.group(0) in str(ack["Subject"])

    # -- the office reviewer opens the case from the queue and assigns the exit-entry bureau
    office = new_context()
    log_in(office, base, "reviewer")
    office.goto(base + "/workbench/requests/")
    office.get_by_role("link", name=tracking.group(0)).click()
    office.wait_for_url(f"{base}/workbench/requests/{application.pk}/")
    assign = open_move(office, "assign")
    assign.locator("select[name=departments]").select_option(label="出入境管理局")
    assign.get_by_role("button", name="交办部门").click()
    expect(office.get_by_role("status")).to_contain_text("已交办。")
    expect(office.locator("table.letters")).to_contain_text("受理通知书")

    # -- a staff member of that bureau gives the opinion
    department = new_context()
    log_in(department, base, "exit_staff")
    department.goto(f"{base}/workbench/requests/{application.pk}/")
    opinion = open_move(department, "opinion")
    opinion.locator("textarea[name=opinion]").fill("该统计数据可以公开，已整理为附件。")
    opinion.locator("select[name=suggested_outcome]").select_option("granted")
    opinion.get_by_role("button", name="填写部门意见").click()
    expect(department.get_by_role("status")).to_contain_text("部门意见已提交公开办。")

    # -- the reviewer drafts the reply: 予以公开
    office.reload()
    expect(office.locator("body")).to_contain_text("该统计数据可以公开")
    draft = open_move(office, "draft")
    draft.locator("select[name=outcome]").select_option("granted")
    draft.locator("input[name=legal_basis]").fill("《中华人民共和国政府信息公开条例》第三十六条第（二）项")
    draft.locator("textarea[name=reply_text]").fill(REPLY)
    draft.get_by_role("button", name="起草答复").click()
    expect(office.get_by_role("status")).to_contain_text("答复已起草，等待审批。")
    expect(office.locator("table.letters")).to_contain_text("答复书（待审批）")

    # -- the office head approves
    head = new_context()
    log_in(head, base, "office_head")
    head.goto(f"{base}/workbench/requests/{application.pk}/")
    approve = open_move(head, "approve")
    approve.get_by_role("button", name="审批通过并答复").click()
    expect(head.get_by_role("status")).to_contain_text("答复已审批，申请已办结。")
    expect(head.locator(".badge.closed")).to_have_text("已办结")
    shot(head, "case-closed")

    # -- the applicant looks the case up and downloads the reply letter
    applicant.goto(base + "/apply/status/")
    applicant.fill("#id_tracking_number", tracking.group(0))
    applicant.fill("#id_query_code", code)
    applicant.get_by_role("button", name="查询").click()
    expect(applicant.locator(".stage")).to_have_text("已办结")
    expect(applicant.locator("main")).to_contain_text("予以公开")
    expect(applicant.locator("main")).to_contain_text(REPLY)
    with applicant.expect_download() as download_info:
        applicant.get_by_role("link", name="下载答复书（PDF）").click()
    download = download_info.value
    assert download.suggested_filename == f"reply-{tracking.group(0)}.pdf"
    path = download.path()
    assert path is not None
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"
    shot(applicant, "status-closed-phone")

    # -- and the reply letter is in their mailbox, its delivery recorded
    ack, reply = smtp_server.wait_for(2)
    assert [to for _sender, to, _data in smtp_server.messages] == [[EMAIL], [EMAIL]]
    assert "答复书" in str(reply["Subject"])
    [attachment] = list(reply.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    delivery = LetterDelivery.objects.get(application=application)
    assert (delivery.letter_kind, delivery.method) == ("reply", "email")
