"""A case's letters are built from the case: who it goes to, what was asked, what was decided, the
office's own wording for the rule set, the contact line and, when adverse, the remedies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.catalog.models import Page
from gongkai.inforequests import services
from gongkai.inforequests.choices import Outcome, PauseKind
from gongkai.inforequests.letters.build import allowed_placeholders, context_for, paragraphs_of
from gongkai.inforequests.letters.pdf import render_pdf
from gongkai.inforequests.models import LetterTemplate
from gongkai.inforequests.tests.acting import at, seen

D = dt.date
BASIS = "《中华人民共和国政府信息公开条例》第三十六条第（二）项"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 2, 10, tzinfo=dt.UTC))


@pytest.fixture
def application(make_application):
    return make_application()


def body(ctx) -> str:
    return "\n".join(ctx.body_paragraphs)


def draft(application, reviewer, outcome=Outcome.GRANTED, **extra):
    services.do_accept_application(application, actor=reviewer, expected_version=seen(application))
    services.do_draft_reply(
        application,
        outcome=outcome,
        legal_basis=extra.pop("legal_basis", BASIS),
        reply_text=extra.pop("reply_text", "您申请的统计数据见附件。\n如有疑问请来电。"),
        actor=reviewer,
        **extra,
        expected_version=seen(application),
    )
    application.refresh_from_db()


def test_it_builds_the_acknowledgement_from_the_case(application, settings):
    settings.AGENCY_NAME = "吉林省公安厅"

    ctx = context_for(application, "acknowledgement")

    assert ctx.recipient == "张三"
    assert ctx.tracking_number == application.tracking_number
    assert ctx.issuing_organ == "吉林省公安厅"
    assert ctx.received_on == D(2021, 6, 1)
    assert ctx.date_issued == D(2021, 6, 1)
    assert "2020年全省机动车保有量统计" in body(ctx)
    assert f"即{application.due_on.year}年{application.due_on.month}月{application.due_on.day}日前" in body(
        ctx
    )
    assert "______" not in body(ctx)
    assert not ctx.remedies


def test_the_contact_comes_from_the_office_page(application):
    ctx = context_for(application, "acknowledgement")

    assert ctx.contact is not None
    assert ctx.contact.office == "吉林省公安厅政府信息公开工作领导小组办公室"
    assert ctx.contact.phone == "0431-82098251"
    assert ctx.contact.address.startswith("吉林省长春市")


def test_settings_can_name_the_contact(application, settings):
    settings.INFOREQUESTS_LETTER_CONTACT = {"office": "公开办", "phone": "0431-1", "address": "人民大街"}

    ctx = context_for(application, "acknowledgement")

    assert ctx.contact_line == "（联系单位：公开办　联系电话：0431-1　地址：人民大街）"


def test_no_contact_page_means_no_contact_line(application):
    Page.objects.filter(slug="contact").delete()

    assert context_for(application, "acknowledgement").contact is None


def test_a_granted_reply_carries_the_office_text_without_remedies(application, reviewer):
    draft(application, reviewer)

    ctx = context_for(application, "reply", on=D(2021, 6, 20))

    assert ctx.outcome == "granted"
    assert ctx.legal_basis == BASIS
    assert ctx.date_issued == D(2021, 6, 20)
    assert ctx.body_paragraphs[0].startswith("本机关于2021年6月1日收到您提出的政府信息公开申请")
    assert ctx.body_paragraphs[1:] == ("您申请的统计数据见附件。", "如有疑问请来电。")
    assert not ctx.remedies


def test_an_adverse_reply_names_the_reconsideration_organ(application, reviewer):
    draft(
        application,
        reviewer,
        Outcome.PARTIAL,
        withheld_note="当事人身份证号码属于个人隐私，不予公开。",
        legal_basis="《中华人民共和国政府信息公开条例》第三十七条",
    )

    ctx = context_for(application, "reply")

    assert ctx.remedies
    assert ctx.reconsideration_organ == "吉林省人民政府"
    assert "向吉林省人民政府申请行政复议" in ctx.remedies_paragraph
    assert ctx.body_paragraphs[-1] == "当事人身份证号码属于个人隐私，不予公开。"


def test_the_holder_agency_fills_the_default_wording_when_no_text_is_drafted(application, reviewer):
    draft(
        application,
        reviewer,
        Outcome.UNABLE_NOT_HELD,
        reply_text="",
        holder_agency="吉林省交通运输厅",
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（五）项",
    )

    ctx = context_for(application, "reply")

    assert "该信息由吉林省交通运输厅负责公开" in body(ctx)


def test_the_office_wording_replaces_the_default_for_its_rule_set(application, reviewer):
    LetterTemplate.objects.create(
        key="reply:granted",
        rules="2019",
        text="{recipient}您好：\n\n您的申请（{tracking_number}）已办结。\n\n{reply_text}",
        updated_at=timezone.now(),
        updated_by=reviewer,
    )
    LetterTemplate.objects.create(
        key="reply:granted", rules="2007", text="旧条例", updated_at=timezone.now(), updated_by=reviewer
    )
    draft(application, reviewer)

    ctx = context_for(application, "reply")

    assert ctx.body_paragraphs == (
        "张三您好：",
        f"您的申请（{application.tracking_number}）已办结。",
        "您申请的统计数据见附件。",
        "如有疑问请来电。",
    )


def test_a_supplement_letter_says_what_to_add_and_by_when(application, reviewer):
    pause = services.do_request_supplement(
        application,
        request_text="请写明所需信息的年份。",
        actor=reviewer,
        on=D(2021, 6, 2),
        expected_version=seen(application),
    )

    application.refresh_from_db()
    ctx = context_for(application, "supplement")
    assert pause.limit_on is not None

    assert "请写明所需信息的年份。" in body(ctx)
    assert f"请于{pause.limit_on.year}年{pause.limit_on.month}月{pause.limit_on.day}日前" in body(ctx)
    assert ctx.date_issued == D(2021, 6, 2)


def test_each_consultation_has_its_own_letter_to_its_party(application, reviewer):
    first = services.do_start_consultation(
        application,
        kind=PauseKind.THIRD_PARTY,
        party="某某有限公司",
        request_text="商业秘密",
        actor=reviewer,
        expected_version=seen(application),
    )
    # The answer came on 10 June and the second letter went out that day: recorded then.
    services.do_end_consultation(
        application,
        on=D(2021, 6, 10),
        response_text="不同意",
        actor=reviewer,
        expected_version=seen(application),
        now=at(D(2021, 6, 10)),
    )
    services.do_start_consultation(
        application,
        kind=PauseKind.OTHER_AGENCY,
        party="吉林省交通运输厅",
        request_text="数据来源",
        actor=reviewer,
        expected_version=seen(application),
        now=at(D(2021, 6, 10)),
    )

    assert context_for(application, "consultation", pause=first).recipient == "某某有限公司"
    latest = context_for(application, "consultation")
    assert latest.recipient == "吉林省交通运输厅"
    assert "贵方的数据来源" in body(latest)
    assert "张三" in body(latest)


def test_an_extension_letter_says_the_days_approved_and_the_new_date(application, reviewer, office_head):
    services.do_accept_application(application, actor=reviewer, expected_version=seen(application))
    services.do_extend_application(
        application,
        extra_workdays=10,
        reason="需要调取档案。",
        actor=office_head,
        on=D(2021, 6, 8),
        expected_version=seen(application),
        now=at(D(2021, 6, 8)),
    )
    application.refresh_from_db()

    ctx = context_for(application, "extension")

    new = application.extended_due_on
    assert "答复期限延长10个工作日" in body(ctx)
    assert f"本机关将于{new.year}年{new.month}月{new.day}日前作出答复" in body(ctx)
    assert "因需要调取档案，" in body(ctx)


@pytest.mark.parametrize("kind", ["supplement", "consultation", "extension", "reply"])
def test_a_letter_the_case_does_not_have_is_refused(application, kind):
    with pytest.raises(LookupError):
        context_for(application, kind)


def test_a_2015_case_uses_the_2007_wording(make_application):
    old = make_application(received_on=D(2015, 6, 1))

    ctx = context_for(old, "acknowledgement")

    assert ctx.rules == "2007"
    assert "15个工作日内" in body(ctx)


def test_the_letter_renders(application, reviewer):
    draft(application, reviewer)

    assert render_pdf(context_for(application, "reply")).startswith(b"%PDF")


def test_template_text_splits_on_blank_lines():
    assert paragraphs_of("第一段\n续行\n\n  \n第二段\r\n") == ["第一段续行", "第二段"]


def test_the_allowed_placeholders_are_the_common_ones_the_default_and_the_case():
    allowed = allowed_placeholders("reply:unable.not_held", "2019")

    assert {"recipient", "tracking_number", "holder", "holder_contact", "reply_text"} <= allowed
    assert "fee_amount" not in allowed


def test_a_consultation_written_as_a_sentence_leaves_a_blank_to_fill(application, reviewer):
    services.do_start_consultation(
        application,
        kind=PauseKind.THIRD_PARTY,
        party="某某有限公司",
        request_text="所申请信息涉及贵方，请于15个工作日内提出意见。",
        actor=reviewer,
        expected_version=seen(application),
    )

    text = body(context_for(application, "consultation"))

    assert "贵方的______，" in text
    assert "涉及贵方的所申请信息" not in text
