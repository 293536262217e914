"""Public and workbench pages: the form keeps what was typed, the rate limit, follow and rate with
the query code, the public sees only published answers, staff see only what they may."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import PASSWORD
from gongkai.engagement import services
from gongkai.engagement.choices import InquiryStatus
from gongkai.engagement.models import Inquiry
from gongkai.engagement.tests.conftest import at

pytestmark = pytest.mark.django_db


def _form(client, **overrides):
    page = client.get(reverse("engagement:ask"))
    token = page.context["form"].initial["token"]
    data = {
        "token": token,
        "kind": "inquiry",
        "topic": "exit_entry",
        "title": "签注办理时间",
        "question": "赴台签注需要几天？",
        "wants_public": "on",
        "asker_name": "孙先生",
        "phone": "13904311111",
        "email": "",
    }
    data.update(overrides)
    return data


def test_ask_keeps_what_was_typed_and_says_why_in_chinese(client):
    response = client.post(reverse("engagement:ask"), _form(client, phone="", email="", title=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写标题。" in body
    assert "请至少填写联系电话或电子邮箱中的一项" in body
    assert "赴台签注需要几天？" in body and "孙先生" in body
    assert Inquiry.objects.count() == 0


def test_ask_gives_number_and_code_once(client):
    data = _form(client)
    response = client.post(reverse("engagement:ask"), data)
    assert response.status_code == 302
    done = client.get(response["Location"])
    inquiry = Inquiry.objects.get()
    assert inquiry.number in done.content.decode()
    code = done.context["code"]
    assert services.check_query_code(inquiry, code)
    # The same form sent twice (a double click) makes one inquiry and shows no new code.
    client.post(reverse("engagement:ask"), data)
    assert Inquiry.objects.count() == 1


def test_ask_rate_limited_keeps_input(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "inquiry": (2, 3600)}
    for n in range(2):
        assert client.post(reverse("engagement:ask"), _form(client, question=f"问题{n}")).status_code == 302
    response = client.post(reverse("engagement:ask"), _form(client, question="第三个问题"))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode() and "第三个问题" in response.content.decode()
    assert Inquiry.objects.count() == 2


def test_held_inquiry_says_so_without_showing_the_findings(client):
    client.post(reverse("engagement:ask"), _form(client, question="我的身份证110101199003074514怎么补办"))
    inquiry = Inquiry.objects.get()
    assert inquiry.status == InquiryStatus.HELD
    done = client.get(reverse("engagement:done"))
    assert "公开办核查后再办理" in done.content.decode()


def test_public_sees_only_published_answers(client, answered, reviewer):
    hidden, _ = answered()
    shown, _ = answered(title="驾驶证换证", question="驾驶证到期在哪换？")
    services.do_publish_inquiry(
        shown,
        public_question="驾驶证到期在哪换？",
        public_answer="到车管所或网上办理。",
        actor=reviewer,
        version=shown.version,
    )
    listing = client.get(reverse("engagement:answers")).content.decode()
    assert "驾驶证换证" in listing and "办理港澳通行证需要什么材料" not in listing
    assert client.get(reverse("engagement:answer", args=[shown.number])).status_code == 200
    assert client.get(reverse("engagement:answer", args=[hidden.number])).status_code == 404
    page = client.get(reverse("engagement:answer", args=[shown.number])).content.decode()
    assert "刘女士" not in page and "13904310000" not in page


def test_follow_and_rate_with_the_code(client, answered, reviewer):
    inquiry, code = answered()
    inquiry = services.do_reply_inquiry(inquiry, actor=reviewer, version=inquiry.version)
    wrong = client.post(reverse("engagement:follow"), {"number": inquiry.number, "code": "XXXXXXXX"})
    assert wrong.status_code == 400 and "编号或查询码不正确" in wrong.content.decode()
    right = client.post(reverse("engagement:follow"), {"number": inquiry.number.lower(), "code": code})
    body = right.content.decode()
    assert right.status_code == 200 and "出入境接待大厅" in body and "提交评价" in body
    missing = client.post(reverse("engagement:rate"), {"number": inquiry.number, "code": code})
    assert missing.status_code == 400 and "请选择满意、基本满意或不满意" in missing.content.decode()
    rated = client.post(
        reverse("engagement:rate"),
        {"number": inquiry.number, "code": code, "rating": "satisfied", "comment": "很快"},
    )
    assert rated.status_code == 200 and "感谢您的评价" in rated.content.decode()
    assert Inquiry.objects.get(pk=inquiry.pk).rating == "satisfied"
    again = client.post(
        reverse("engagement:rate"), {"number": inquiry.number, "code": code, "rating": "unsatisfied"}
    )
    assert Inquiry.objects.get(pk=inquiry.pk).rating == "satisfied"
    assert "提交评价" not in again.content.decode()


def test_wrong_codes_are_rate_limited(client, ask, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "inquiry_code": (3, 600)}
    inquiry, code = ask()
    for _n in range(3):
        client.post(reverse("engagement:follow"), {"number": inquiry.number, "code": "BAD"})
    blocked = client.post(reverse("engagement:follow"), {"number": inquiry.number, "code": code})
    assert blocked.status_code == 429 and "查询过于频繁" in blocked.content.decode()


def test_staff_queue_flags_and_contact_visibility(
    client, ask, reviewer, editor, other_editor, leader, departments
):
    held, _ = ask(dt.date(2015, 6, 1), question="电话13812345678")
    routed, _ = ask(dt.date(2015, 6, 1), question="别的问题")
    services.do_route_inquiry(routed, departments["exit_entry"], actor=reviewer, version=routed.version)
    client.login(username="reviewer", password=PASSWORD)
    queue = client.get(reverse("workbench:engagement_staff:inquiries"))
    assert queue.status_code == 200
    flags = {k: n for k, _label, n in queue.context["flags"]}
    assert flags["held"] == 1 and flags["overdue"] == 2 and flags["three_months"] == 2
    assert "超过三个月未答复" in queue.content.decode()
    detail = client.get(reverse("workbench:engagement_staff:inquiry", args=[held.pk])).content.decode()
    assert '<mark class="finding finding-phone"' in detail and "13812345678" in detail and "刘女士" in detail
    client.logout()
    client.login(username="editor", password=PASSWORD)
    assert client.get(reverse("workbench:engagement_staff:inquiry", args=[held.pk])).status_code == 404
    mine = client.get(reverse("workbench:engagement_staff:inquiry", args=[routed.pk])).content.decode()
    # The department answers the question; the asker is the office's to see (test_contact_masking).
    assert "刘**" in mine and "刘女士" not in mine and "提交答复" in mine
    client.logout()
    client.login(username="leader", password=PASSWORD)
    seen = client.get(reverse("workbench:engagement_staff:inquiry", args=[routed.pk])).content.decode()
    assert "刘女士" not in seen and "13904310000" not in seen
    client.logout()
    client.login(username="traffic_editor", password=PASSWORD)
    assert client.get(reverse("workbench:engagement_staff:inquiry", args=[routed.pk])).status_code == 404


def test_staff_moves_through_pages_and_stale_version(client, answered, reviewer):
    inquiry, _ = answered()
    client.login(username="reviewer", password=PASSWORD)
    url = reverse("workbench:engagement_staff:inquiry_move", args=[inquiry.pk, "publish"])
    refused = client.post(
        url,
        {"version": inquiry.version, "public_question": "电话13904310000的人问", "public_answer": "答复内容"},
    )
    assert refused.status_code == 400
    assert "电话13904310000的人问" in refused.content.decode()
    stale = client.post(url, {"version": inquiry.version - 1, "public_question": "问", "public_answer": "答"})
    assert stale.status_code == 409
    done = client.post(url, {"version": inquiry.version, "public_question": "问题", "public_answer": "答复"})
    assert done.status_code == 302
    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.PUBLISHED


def test_statistics_page_has_charts_and_tables(client, answered, reviewer):
    inquiry, code = answered(dt.date(2015, 3, 2))
    inquiry = services.do_reply_inquiry(
        inquiry, actor=reviewer, version=inquiry.version, now=at(dt.date(2015, 3, 3))
    )
    services.do_rate_inquiry(inquiry, code, "satisfied", now=at(dt.date(2015, 3, 4)))
    client.login(username="reviewer", password=PASSWORD)
    page = client.get(
        reverse("workbench:engagement_staff:stats"), {"start": "2015-01-01", "end": "2015-12-31"}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("<svg") >= 5 and "<script" not in body.split("</header>", 1)[-1].split("<footer", 1)[0]
    assert '<table class="chart-table">' in body and "100.0" in body
    bad = client.get(
        reverse("workbench:engagement_staff:stats"), {"start": "2015-12-31", "end": "2015-01-01"}
    )
    assert bad.status_code == 200 and "晚于结束日期" in bad.content.decode()
