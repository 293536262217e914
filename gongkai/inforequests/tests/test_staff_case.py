"""The case page: each move through a form, the version guard, permissions, masking."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import PASSWORD
from gongkai.inforequests import services
from gongkai.inforequests.choices import Outcome, ReviewResult, Status
from gongkai.inforequests.models import Application
from gongkai.inforequests.tests.acting import seen

D = dt.date


def case_url(app):
    return reverse("workbench:inforequests_staff:case", args=[app.pk])


def action_url(app, name):
    return reverse("workbench:inforequests_staff:action", args=[app.pk, name])


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The queue caches the year's on-time rate per day; frozen days repeat across tests."""
    cache.clear()
    yield
    cache.clear()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def now_2021(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 3, 9, tzinfo=dt.UTC))


def test_a_reviewer_runs_a_case_to_its_reply(client, make_application, reviewer, office_head, now_2021):
    app = make_application()
    login(client, reviewer)
    page = client.get(case_url(app))
    assert page.status_code == 200
    text = page.content.decode()
    assert "220102198001011234" in text  # the office handles it: unmasked
    assert "2021-06-30" in text  # the due date in the clock box
    assert "端午节" in text or "节假日" in text  # the holiday crossed is explained
    r = client.post(action_url(app, "accept"), {"version": app.version})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS and app.handler == reviewer
    r = client.post(
        action_url(app, "draft"),
        {
            "version": app.version,
            "outcome": Outcome.GRANTED,
            "legal_basis": "第三十六条第（二）项",
            "reply_text": "见附件",
        },
    )
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.REPLY_DRAFTED
    r = client.post(action_url(app, "approve"), {"version": app.version, "on": "2021-06-03"})
    assert r.status_code == 403  # a reviewer does not approve, and never the reply they drafted
    login(client, office_head)
    r = client.post(action_url(app, "approve"), {"version": app.version, "on": "2021-06-03"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.CLOSED and app.replied_on == D(2021, 6, 3)
    page = client.get(case_url(app)).content.decode()
    assert "审批答复，办结" in page and "按期答复" in page


def test_a_stale_version_is_refused_and_the_input_kept(client, make_application, reviewer, now_2021):
    app = make_application()
    login(client, reviewer)
    stale = app.version
    services.do_accept_application(app, actor=reviewer, expected_version=seen(app))
    r = client.post(
        action_url(app, "draft"),
        {"version": stale, "outcome": Outcome.PARTIAL, "legal_basis": "第三十七条",
         "reply_text": "我写了很长的答复", "withheld_note": "第三方信息"},
    )  # fmt: skip
    assert r.status_code == 409
    text = r.content.decode()
    assert "已被他人处理或修改" in text
    assert "我写了很长的答复" in text and "第三方信息" in text
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS and app.outcome == ""
    assert f'name="version" value="{app.version}"' in text  # resubmitting now works


def test_a_refused_move_shows_the_reason(client, make_application, reviewer, now_2021):
    app = make_application()
    services.do_accept_application(app, actor=reviewer, expected_version=seen(app))
    app.refresh_from_db()
    login(client, reviewer)
    r = client.post(
        action_url(app, "draft"),
        {"version": app.version, "outcome": Outcome.PARTIAL, "legal_basis": "第三十七条", "reply_text": "x"},
    )
    assert r.status_code == 200
    assert "部分公开须写明不予公开的部分及理由" in r.content.decode()


def test_supplement_consultation_extension_and_review(
    client, make_application, reviewer, office_head, time_machine, now_2021
):
    app = make_application()
    login(client, reviewer)
    r = client.post(action_url(app, "supplement"),
                    {"version": app.version, "on": "2021-06-03", "request_text": "请写明文号", "reply_workdays": 15})  # fmt: skip
    assert r.status_code == 302, r.content.decode()
    app.refresh_from_db()
    assert app.status == Status.AWAITING_SUPPLEMENT
    r = client.post(action_url(app, "receive_supplement"),
                    {"version": app.version, "on": "2021-06-03", "response_text": "文号为…"})  # fmt: skip
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS and app.clock_start == D(2021, 6, 3)
    client.post(action_url(app, "consult"),
                {"version": app.version, "on": "2021-06-03", "kind": "third_party", "party": "某公司",
                 "request_text": "是否同意"})  # fmt: skip
    app.refresh_from_db()
    assert app.status == Status.IN_CONSULTATION
    client.post(
        action_url(app, "end_consult"), {"version": app.version, "on": "2021-06-03", "response_text": "同意"}
    )
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS
    extension = {"version": app.version, "on": "2021-06-03", "extra_workdays": 10, "reason": "数据量大"}
    r = client.post(action_url(app, "extend"), extension)
    assert r.status_code == 403  # reviewers do not approve extensions
    login(client, office_head)
    r = client.post(action_url(app, "extend"), extension)
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.extended and app.effective_due_on == app.extended_due_on
    app = services.do_draft_reply(app, outcome=Outcome.GRANTED, legal_basis="第三十六条", reply_text="x",
                                  actor=reviewer, expected_version=seen(app))  # fmt: skip
    # A week later the reply is approved and delivered; the review comes in July, its result in September.
    time_machine.move_to(dt.datetime(2021, 6, 10, 9, tzinfo=dt.UTC))
    login(client, office_head)  # the session does not outlive days
    app = services.do_approve_reply(app, actor=office_head, on=D(2021, 6, 10), expected_version=seen(app))
    login(client, reviewer)
    client.post(action_url(app, "delivery"), {"version": app.version, "letter_kind": "reply", "method": "email",
                                              "delivered_on": "2021-06-10", "reference": ""})  # fmt: skip
    assert app.deliveries.count() == 1
    time_machine.move_to(dt.datetime(2021, 7, 1, 9, tzinfo=dt.UTC))
    login(client, reviewer)
    app.refresh_from_db()
    client.post(action_url(app, "review"), {"version": app.version, "kind": "reconsideration",
                                            "filed_on": "2021-07-01", "body": "省政府"})  # fmt: skip
    review = app.reviews.get()
    time_machine.move_to(dt.datetime(2021, 9, 1, 9, tzinfo=dt.UTC))
    login(client, reviewer)
    app.refresh_from_db()
    r = client.post(action_url(app, "decide_review"), {"version": app.version, "review": review.pk,
                                                       "result": "upheld", "decided_on": "2021-09-01"})  # fmt: skip
    review.refresh_from_db()
    assert review.result == ReviewResult.UPHELD
    page = client.get(case_url(app)).content.decode()
    for label in ("告知补正", "收到补正", "开始征求意见", "延期答复", "登记送达", "登记复议/诉讼结果"):
        assert label in page


def test_a_department_gives_its_opinion(
    client, make_application, reviewer, dept_staff, departments, now_2021
):
    app = make_application()
    services.do_assign_application(app, departments=[departments["exit_entry"]], due_on=D(2021, 6, 10),
                                   instructions="请提供", actor=reviewer, expected_version=seen(app))  # fmt: skip
    app.refresh_from_db()
    login(client, dept_staff)
    page = client.get(case_url(app))
    assert page.status_code == 200
    assert "填写部门意见" in page.content.decode()
    assignment = app.assignments.get()
    r = client.post(action_url(app, "opinion"), {"version": app.version, "assignment": assignment.pk, "on": "2021-06-03",
                                                 "opinion": "可以公开", "suggested_outcome": "granted"})  # fmt: skip
    assert r.status_code == 302
    assignment.refresh_from_db()
    assert assignment.opinion == "可以公开" and assignment.answered_by == dept_staff
    # Department staff cannot accept or draft.
    r = client.post(action_url(app, "draft"), {"version": app.version, "outcome": "granted",
                                               "legal_basis": "x", "reply_text": "x"})  # fmt: skip
    assert r.status_code == 403
    assert Application.objects.get(pk=app.pk).status == Status.IN_PROGRESS


def test_a_department_not_assigned_gets_404(client, make_application, other_editor, dept_staff, now_2021):
    app = make_application()
    login(client, other_editor)
    assert client.get(case_url(app)).status_code == 404
    assert client.post(action_url(app, "accept"), {"version": 1}).status_code == 404
    login(client, dept_staff)
    assert client.get(case_url(app)).status_code == 404


def test_a_leader_sees_masked_data_a_handler_the_full_number(
    client, make_application, leader, reviewer, now_2021
):
    app = make_application()
    login(client, leader)
    text = client.get(case_url(app)).content.decode()
    assert "2201**********1234" in text
    assert "220102198001011234" not in text and "13900000000" not in text
    assert "139****0000" in text
    login(client, reviewer)
    assert "220102198001011234" in client.get(case_url(app)).content.decode()


def test_an_unknown_move_is_404(client, make_application, reviewer, now_2021):
    app = make_application()
    login(client, reviewer)
    assert client.post(action_url(app, "explode"), {"version": 1}).status_code == 404
