"""Inquiries through the services: holds with places, routing and answering by the right people,
publishing only clean public text, rating with the query code, due days on the working-day calendar."""

import datetime as dt

import pytest
from django.db import connection

from gongkai.core import acts
from gongkai.core.models import AuditEvent, CalendarYear
from gongkai.engagement import services
from gongkai.engagement.choices import InquiryStatus
from gongkai.engagement.models import Inquiry, InquiryTransition
from gongkai.engagement.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_submit_numbers_seals_contact_and_counts_working_days(ask):
    # 2015-09-30 (Wed): 1–7 October is the National Day holiday, 10 October (Sat) a working day.
    inquiry, code = ask(dt.date(2015, 9, 30))
    assert inquiry.number == "ZX2015-00001"
    assert code and len(code) == 8
    assert inquiry.status == InquiryStatus.SUBMITTED
    assert inquiry.due_workdays == 5
    # Working days after 30 Sep: 8, 9, 10 (make-up Saturday), 12, 13 October.
    assert inquiry.due_on == dt.date(2015, 10, 13)
    assert not inquiry.due_estimated
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, asker_name FROM engagement_inquiry WHERE id = %s", [inquiry.pk])
        raw = cursor.fetchone()
    assert "13904310000" not in raw[0] and raw[0].startswith("enc1$")
    assert raw[1].startswith("enc1$")
    assert Inquiry.objects.get(pk=inquiry.pk).phone == "13904310000"
    assert services.check_query_code(inquiry, code.lower())
    assert not services.check_query_code(inquiry, "WRONG000")
    event = AuditEvent.objects.get(action="engagement.inquiry.submitted")
    assert event.object_id == str(inquiry.pk)
    second, _code = ask(dt.date(2015, 9, 30), question="另一个问题：签注怎么办？")
    assert second.number == "ZX2015-00002"


def test_configured_workdays(ask, settings):
    settings.ENGAGEMENT_ANSWER_WORKDAYS = 10
    inquiry, _code = ask(dt.date(2015, 6, 1))
    assert inquiry.due_workdays == 10
    assert inquiry.due_on == dt.date(2015, 6, 15)


def test_unknown_calendar_year_is_estimated_not_refused(ask):
    CalendarYear.objects.filter(year=2015).delete()
    inquiry, _code = ask(dt.date(2015, 9, 30))
    assert inquiry.due_estimated
    assert inquiry.due_on == dt.date(2015, 10, 7)  # weekdays only: 1, 2, 5, 6, 7 October


def test_identity_number_and_phone_in_public_text_hold_with_places(ask):
    text = "我的身份证号110101199003074514，电话13812345678，护照丢了怎么办？"
    inquiry, _code = ask(question=text)
    assert inquiry.status == InquiryStatus.HELD
    kinds = [(f["kind"], f["text"], f["start"], f["end"]) for f in inquiry.findings]
    assert ("id_number", "110101199003074514", 6, 24) in kinds
    assert ("phone", "13812345678", 27, 38) in kinds
    for f in inquiry.findings:
        assert text[f["start"] : f["end"]] == f["text"]


def test_personal_data_in_a_private_question_does_not_hold(ask):
    inquiry, _code = ask(question="我的身份证号110101199003074514，换证要多久？", wants_public=False)
    assert inquiry.status == InquiryStatus.SUBMITTED
    assert inquiry.findings  # the office still sees it marked


def test_links_repeats_and_duplicates_are_held(ask):
    link, _ = ask(question="详情请看 www.example-ads.com 优惠多多")
    assert link.status == InquiryStatus.HELD and link.findings[0]["kind"] == "link"
    repeated, _ = ask(question="为什么为什么为什么为什么不给办理")
    assert repeated.status == InquiryStatus.HELD
    assert {f["kind"] for f in repeated.findings} == {"repeated"}
    first, _ = ask(question="同一个问题，发多次。")
    assert first.status == InquiryStatus.SUBMITTED
    again, _ = ask(question="同一个问题， 发多次。")
    assert again.status == InquiryStatus.HELD
    assert again.findings[-1]["kind"] == "duplicate" and again.findings[-1]["earlier"] == first.number


def test_full_width_digits_are_found_in_place(ask):
    text = "电话：１３８１２３４５６７８"
    inquiry, _ = ask(question=text)
    f = inquiry.findings[0]
    assert f["kind"] == "phone" and text[f["start"] : f["end"]] == "１３８１２３４５６７８"


def test_only_the_office_releases_routes_and_publishes(ask, editor, reviewer, departments, other_editor):
    inquiry, _ = ask(question="电话13812345678")
    assert inquiry.status == InquiryStatus.HELD
    with pytest.raises(acts.PermissionDeniedError):
        services.do_release_inquiry(inquiry, actor=editor, version=inquiry.version)
    inquiry = services.do_release_inquiry(
        inquiry, actor=reviewer, version=inquiry.version, reason="仅含本人电话"
    )
    with pytest.raises(acts.PermissionDeniedError):
        services.do_route_inquiry(inquiry, departments["exit_entry"], actor=editor, version=inquiry.version)
    inquiry = services.do_route_inquiry(
        inquiry, departments["exit_entry"], actor=reviewer, version=inquiry.version
    )
    assert inquiry.status == InquiryStatus.ROUTED
    with pytest.raises(acts.PermissionDeniedError):  # another department
        services.do_answer_inquiry(inquiry, "答复", actor=other_editor, version=inquiry.version)
    with pytest.raises(acts.PermissionDeniedError):  # the office does not answer for the department
        services.do_answer_inquiry(inquiry, "答复", actor=reviewer, version=inquiry.version)
    inquiry = services.do_answer_inquiry(
        inquiry, "请到出入境大厅办理。", actor=editor, version=inquiry.version
    )
    with pytest.raises(acts.PermissionDeniedError):
        services.do_publish_inquiry(
            inquiry, public_question="问", public_answer="答", actor=editor, version=inquiry.version
        )
    steps = list(InquiryTransition.objects.filter(inquiry=inquiry).values_list("to_status", flat=True))
    assert steps == ["submitted", "routed", "answered"]


def test_stale_version_changes_nothing(ask, reviewer, departments):
    inquiry, _ = ask()
    services.do_route_inquiry(inquiry, departments["exit_entry"], actor=reviewer, version=inquiry.version)
    with pytest.raises(acts.ConflictError):
        services.do_route_inquiry(inquiry, departments["traffic"], actor=reviewer, version=inquiry.version)
    assert Inquiry.objects.get(pk=inquiry.pk).department == departments["exit_entry"]


def test_publish_refuses_personal_data_in_the_public_text(answered, reviewer):
    inquiry, _ = answered()
    with pytest.raises(acts.ActError) as refused:
        services.do_publish_inquiry(
            inquiry,
            public_question="我是刘某，电话13904310000，请问办证材料？",
            public_answer=inquiry.answer,
            actor=reviewer,
            version=inquiry.version,
        )
    assert "第 8 至 18 字" in str(refused.value) and "13904310000" in str(refused.value)
    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.ANSWERED
    # An office's phone number in the answer is public information.
    published = services.do_publish_inquiry(
        inquiry,
        public_question="请问办证材料？",
        public_answer="请携带身份证办理，咨询电话0431-82098251。",
        actor=reviewer,
        version=inquiry.version,
        now=at(dt.date(2015, 6, 3)),
    )
    assert published.status == InquiryStatus.PUBLISHED
    assert published.replied_on == dt.date(2015, 6, 3)


def test_private_question_is_replied_not_published(answered, reviewer):
    inquiry, _ = answered(wants_public=False)
    with pytest.raises(acts.TransitionError):
        services.do_publish_inquiry(
            inquiry, public_question="问", public_answer="答", actor=reviewer, version=inquiry.version
        )
    inquiry = services.do_reply_inquiry(
        inquiry, actor=reviewer, version=inquiry.version, now=at(dt.date(2015, 6, 2))
    )
    assert inquiry.status == InquiryStatus.REPLIED and inquiry.replied_on == dt.date(2015, 6, 2)


def test_rating_needs_the_code_an_answer_and_happens_once(answered, reviewer):
    inquiry, code = answered()
    with pytest.raises(acts.TransitionError):  # not answered to the asker yet
        services.do_rate_inquiry(inquiry, code, "satisfied")
    inquiry = services.do_reply_inquiry(inquiry, actor=reviewer, version=inquiry.version)
    with pytest.raises(acts.PermissionDeniedError):
        services.do_rate_inquiry(inquiry, "BADCODE1", "satisfied")
    with pytest.raises(acts.ActError):
        services.do_rate_inquiry(inquiry, code, "excellent")
    inquiry = services.do_rate_inquiry(inquiry, code, "basically", "还行", now=at(dt.date(2015, 6, 5)))
    assert inquiry.rating == "basically" and inquiry.rating_comment == "还行"
    with pytest.raises(acts.TransitionError):
        services.do_rate_inquiry(inquiry, code, "satisfied")
    assert AuditEvent.objects.filter(action="engagement.inquiry.rated").count() == 1


def test_send_back_and_reject_need_reasons(ask, reviewer, editor, departments):
    inquiry, _ = ask()
    with pytest.raises(acts.ActError):
        services.do_reject_inquiry(inquiry, actor=reviewer, version=inquiry.version, reason=" ")
    inquiry = services.do_route_inquiry(
        inquiry, departments["exit_entry"], actor=reviewer, version=inquiry.version
    )
    with pytest.raises(acts.ActError):
        services.do_send_back_inquiry(inquiry, actor=editor, version=inquiry.version, reason="")
    inquiry = services.do_send_back_inquiry(
        inquiry, actor=editor, version=inquiry.version, reason="应由交管局办理"
    )
    assert inquiry.status == InquiryStatus.SUBMITTED
    inquiry = services.do_reject_inquiry(
        inquiry, actor=reviewer, version=inquiry.version, reason="与公安工作无关"
    )
    assert inquiry.status == InquiryStatus.REJECTED


def test_same_form_twice_is_one_inquiry(inquiry_data):
    first, code = services.do_submit_inquiry(
        inquiry_data, now=at(dt.date(2015, 6, 1)), idempotency_key="web:abc"
    )
    again, none = services.do_submit_inquiry(
        inquiry_data, now=at(dt.date(2015, 6, 1)), idempotency_key="web:abc"
    )
    assert again.pk == first.pk and code and none is None
    assert Inquiry.objects.count() == 1


def test_bad_input_is_refused_in_words(inquiry_data):
    with pytest.raises(acts.ActError, match="联系电话或电子邮箱"):
        services.do_submit_inquiry({**inquiry_data, "phone": "", "email": ""})
    with pytest.raises(acts.ActError, match="标题"):
        services.do_submit_inquiry({**inquiry_data, "title": "  "})
    with pytest.raises(acts.ActError, match="电子邮箱"):
        services.do_submit_inquiry({**inquiry_data, "email": "not-an-email"})


def test_overdue_on_the_calendar_and_three_months(ask):
    inquiry, _ = ask(dt.date(2015, 9, 30))
    assert inquiry.due_on == dt.date(2015, 10, 13)
    assert not inquiry.overdue_on(dt.date(2015, 10, 13))
    assert inquiry.overdue_on(dt.date(2015, 10, 14))
    assert not services.unanswered_three_months(inquiry, dt.date(2015, 12, 29))
    assert services.unanswered_three_months(inquiry, dt.date(2015, 12, 30))
    assert services.months_before(dt.date(2015, 5, 31), 3) == dt.date(2015, 2, 28)


def test_reminders_once_a_day(ask, reviewer, departments):
    due_soon, _ = ask(dt.date(2015, 6, 1))  # due 8 June
    later, _ = ask(dt.date(2015, 6, 5), question="另一个问题")  # due 12 June
    reminded = services.remind_due(dt.date(2015, 6, 5), now=at(dt.date(2015, 6, 5), 8))
    assert [i.pk for i in reminded] == [due_soon.pk]
    assert services.remind_due(dt.date(2015, 6, 5), now=at(dt.date(2015, 6, 5), 9)) == []
    reminded = services.remind_due(dt.date(2015, 6, 11), now=at(dt.date(2015, 6, 11), 8))
    assert {i.pk for i in reminded} == {due_soon.pk, later.pk}
    events = AuditEvent.objects.filter(action="engagement.inquiry.reminded")
    assert events.count() == 3
    last = events.filter(object_id=str(due_soon.pk)).order_by("-at").first()
    assert last is not None and last.after is not None and last.after["overdue"] is True
