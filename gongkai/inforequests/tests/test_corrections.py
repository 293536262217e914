"""Requests to correct information about the applicant (2019 Art. 41): decided by the office head or a
leader, closed through the transition table, kept out of table 三 and counted on their own."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import PASSWORD
from gongkai.core.models import AuditEvent
from gongkai.inforequests import services, stats
from gongkai.inforequests.choices import (
    CORRECTION_LEGAL_BASIS,
    CorrectionOutcome,
    Outcome,
    RequestKind,
    Status,
)
from gongkai.inforequests.models import Application, ApplicationTransition
from gongkai.inforequests.tests.acting import seen

D = dt.date
CORRECTION = RequestKind.CORRECTION.value


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def now_2021(time_machine):
    """Mid-June 2021: the decisions these tests date 3 or 10 June are already made (never ahead)."""
    time_machine.move_to(dt.datetime(2021, 6, 11, 9, tzinfo=dt.UTC))


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def case_url(app):
    return reverse("workbench:inforequests_staff:case", args=[app.pk])


def action_url(app, name):
    return reverse("workbench:inforequests_staff:action", args=[app.pk, name])


def correction(make_application, **overrides):
    return make_application(
        request_kind=CORRECTION,
        information_title="本人户籍登记信息",
        description="出生日期登记为1980年1月1日，应为1980年1月10日；附出生医学证明。",
        **overrides,
    )


# Service rules ----------------------------------------------------------------------------------


def test_the_head_corrects_and_the_case_closes_through_the_table(make_application, office_head, now_2021):
    app = correction(make_application)

    app = services.do_decide_correction(
        app,
        outcome=CorrectionOutcome.CORRECTED,
        note="经核实，已将出生日期更正为1980年1月10日。",
        forwarded_to="",
        actor=office_head,
        on=D(2021, 6, 10),
        expected_version=seen(app),
    )

    assert app.status == Status.CLOSED
    assert app.correction_outcome == CorrectionOutcome.CORRECTED
    assert app.outcome == ""  # no table 三 outcome
    assert app.legal_basis == CORRECTION_LEGAL_BASIS
    assert app.reply_text.startswith("经核实")
    assert app.replied_on == D(2021, 6, 10)
    assert app.closed_at is not None
    moves = list(
        ApplicationTransition.objects.filter(application=app).values_list("from_status", "to_status")
    )
    assert moves[-2:] == [(Status.RECEIVED, Status.REPLY_DRAFTED), (Status.REPLY_DRAFTED, Status.CLOSED)]
    event = AuditEvent.objects.get(action="inforequests.correction.decided", object_id=str(app.pk))
    assert event.after is not None
    assert event.after["correction_outcome"] == "corrected"


def test_forwarding_names_the_agency_that_can_correct(make_application, office_head, leader, now_2021):
    app = correction(make_application)
    with pytest.raises(services.RequestError, match="有权机关"):
        services.do_decide_correction(
            app,
            outcome=CorrectionOutcome.FORWARDED,
            note="已转送",
            forwarded_to="  ",
            actor=office_head,
            expected_version=seen(app),
        )
    app.refresh_from_db()
    assert app.status == Status.RECEIVED

    app = services.do_decide_correction(
        app,
        outcome=CorrectionOutcome.FORWARDED,
        note="本机关无权更正，已转送长春市公安局朝阳区分局。",
        forwarded_to="长春市公安局朝阳区分局",
        actor=leader,
        expected_version=seen(app),
    )
    assert app.status == Status.CLOSED
    assert app.forwarded_to == "长春市公安局朝阳区分局"


def test_forwarded_to_is_kept_only_when_forwarding(make_application, office_head, now_2021):
    new = correction(make_application)
    app = services.do_decide_correction(
        new,
        outcome=CorrectionOutcome.NOT_INACCURATE,
        note="经核实，登记信息与原始档案一致。",
        forwarded_to="某机关",
        actor=office_head,
        expected_version=seen(new),
    )
    assert app.correction_outcome == CorrectionOutcome.NOT_INACCURATE
    assert app.forwarded_to == ""


def test_a_reviewer_alone_cannot_decide(make_application, reviewer, now_2021):
    app = correction(make_application)
    with pytest.raises(services.PermissionDeniedError):
        services.do_decide_correction(
            app,
            outcome=CorrectionOutcome.CORRECTED,
            note="已更正",
            forwarded_to="",
            actor=reviewer,
            expected_version=seen(app),
        )


def test_the_decision_is_checked(make_application, office_head, now_2021):
    app = correction(make_application)
    with pytest.raises(services.RequestError, match="更正决定"):
        services.do_decide_correction(
            app, outcome="granted", note="x", forwarded_to="", actor=office_head, expected_version=seen(app)
        )
    with pytest.raises(services.RequestError, match="告知申请人"):
        services.do_decide_correction(
            app,
            outcome=CorrectionOutcome.CORRECTED,
            note=" ",
            forwarded_to="",
            actor=office_head,
            expected_version=seen(app),
        )
    with pytest.raises(services.RequestError, match="早于"):
        services.do_decide_correction(
            app,
            outcome=CorrectionOutcome.CORRECTED,
            note="已更正",
            forwarded_to="",
            actor=office_head,
            on=D(2021, 5, 1),
            expected_version=seen(app),
        )


def test_only_correction_requests_get_a_correction_decision(make_application, office_head, now_2021):
    app = make_application()
    with pytest.raises(services.RequestError, match="第四十一条"):
        services.do_decide_correction(
            app,
            outcome=CorrectionOutcome.CORRECTED,
            note="已更正",
            forwarded_to="",
            actor=office_head,
            expected_version=seen(app),
        )
    app.refresh_from_db()
    assert app.status == Status.RECEIVED


def test_a_closed_correction_cannot_be_decided_again(make_application, office_head, now_2021):
    app = correction(make_application)
    services.do_decide_correction(
        app,
        outcome=CorrectionOutcome.CORRECTED,
        note="已更正",
        forwarded_to="",
        actor=office_head,
        expected_version=seen(app),
    )
    with pytest.raises(services.RequestError, match="已办结"):
        services.do_decide_correction(
            app,
            outcome=CorrectionOutcome.NOT_INACCURATE,
            note="准确",
            forwarded_to="",
            actor=office_head,
            expected_version=seen(app),
        )


def test_a_correction_request_gets_no_disclosure_reply(make_application, reviewer, now_2021):
    app = correction(make_application)
    with pytest.raises(services.RequestError, match="更正决定"):
        services.do_draft_reply(
            app,
            outcome=Outcome.GRANTED,
            legal_basis="第三十六条",
            reply_text="见附件",
            actor=reviewer,
            expected_version=seen(app),
        )
    app.refresh_from_db()
    assert app.status == Status.RECEIVED and app.outcome == ""


def test_a_correction_in_progress_can_be_decided(make_application, reviewer, office_head, now_2021):
    new = correction(make_application)
    app = services.do_accept_application(new, actor=reviewer, expected_version=seen(new))
    app = services.do_decide_correction(
        app,
        outcome=CorrectionOutcome.CORRECTED,
        note="已更正",
        forwarded_to="",
        actor=office_head,
        expected_version=seen(app),
    )
    assert app.status == Status.CLOSED
    assert app.handler == reviewer


# Statistics -------------------------------------------------------------------------------------


def test_a_correction_request_changes_no_cell_of_table_3(make_application, reviewer, office_head, now_2021):
    new = make_application()
    disclosure = services.do_accept_application(new, actor=reviewer, expected_version=seen(new))
    services.do_draft_reply(
        disclosure,
        outcome=Outcome.GRANTED,
        legal_basis="第三十六条",
        reply_text="见附件",
        actor=reviewer,
        expected_version=seen(disclosure),
    )
    services.do_approve_reply(
        disclosure, actor=office_head, on=D(2021, 6, 10), expected_version=seen(disclosure)
    )
    make_application()  # still open at the end of the period
    before = stats.table_3(D(2021, 1, 1), D(2021, 12, 31))

    decided = correction(make_application)
    services.do_decide_correction(
        decided,
        outcome=CorrectionOutcome.CORRECTED,
        note="已更正",
        forwarded_to="",
        actor=office_head,
        expected_version=seen(decided),
    )
    correction(make_application)  # an open correction request
    correction(make_application, applicant_kind="commercial", contact_person="李四")

    after = stats.table_3(D(2021, 1, 1), D(2021, 12, 31))
    assert after == before
    assert stats.check_table_3(after) == []
    assert after["new_received"]["total"] == 2
    assert after["carried_forward"]["total"] == 1


def test_corrections_are_counted_by_outcome(make_application, office_head, now_2021):
    for outcome, forwarded_to in (
        (CorrectionOutcome.CORRECTED, ""),
        (CorrectionOutcome.CORRECTED, ""),
        (CorrectionOutcome.FORWARDED, "长春市公安局"),
        (CorrectionOutcome.NOT_INACCURATE, ""),
    ):
        new = correction(make_application)
        services.do_decide_correction(
            new,
            outcome=outcome,
            note="已告知",
            forwarded_to=forwarded_to,
            actor=office_head,
            on=D(2021, 6, 10),
            expected_version=seen(new),
        )
    correction(make_application)  # received, not yet decided
    make_application()  # a disclosure request is not a correction
    correction(make_application, received_on=D(2020, 6, 1))  # received before the period

    figures = stats.corrections(D(2021, 1, 1), D(2021, 12, 31))

    assert figures == {
        "received": 5,
        "decided": 4,
        "corrected": 2,
        "forwarded": 1,
        "not_inaccurate": 1,
    }
    assert stats.corrections(D(2022, 1, 1), D(2022, 12, 31))["received"] == 0


@pytest.fixture
def one_of_each(make_application, reviewer, office_head, time_machine):
    """A disclosure reply on time (due 30 June) and a correction decided late, both received 1 June."""
    time_machine.move_to(dt.datetime(2021, 8, 2, 9, tzinfo=dt.UTC))
    new = make_application()
    disclosure = services.do_accept_application(new, actor=reviewer, expected_version=seen(new))
    services.do_draft_reply(
        disclosure,
        outcome=Outcome.GRANTED,
        legal_basis="第三十六条",
        reply_text="见附件",
        actor=reviewer,
        expected_version=seen(disclosure),
    )
    services.do_approve_reply(
        disclosure, actor=office_head, on=D(2021, 6, 15), expected_version=seen(disclosure)
    )
    new = correction(make_application)
    services.do_decide_correction(
        new,
        outcome=CorrectionOutcome.CORRECTED,
        note="已更正",
        forwarded_to="",
        actor=office_head,
        on=D(2021, 7, 15),
        expected_version=seen(new),
    )


def test_processing_times_count_the_two_kinds_apart(one_of_each):
    disclosure = stats.processing_times(D(2021, 1, 1), D(2021, 12, 31))
    assert (disclosure.count, disclosure.on_time, disclosure.on_time_rate) == (1, 1, 1.0)
    assert disclosure.longest == 9  # 1 → 15 June 2021, the Dragon Boat holiday on the 14th

    decided = stats.processing_times(D(2021, 1, 1), D(2021, 12, 31), RequestKind.CORRECTION)
    assert (decided.count, decided.on_time, decided.on_time_rate) == (1, 0, 0.0)
    assert decided.shortest is not None and decided.shortest > 20


def test_the_queue_rate_counts_disclosure_replies_only(client, one_of_each, leader):
    login(client, leader)
    r = client.get(reverse("workbench:inforequests_staff:queue"))
    assert r.context["on_time"] == {"replied": 1, "on_time": 1, "rate": 1.0}
    assert "100%" in r.content.decode()


def test_the_stats_page_times_corrections_apart(client, one_of_each, office_head):
    login(client, office_head)
    r = client.get(reverse("workbench:inforequests_staff:stats"), {"from": "2021-01-01", "to": "2021-12-31"})
    assert r.context["times"].count == 1
    assert r.context["correction_times"].count == 1
    text = r.content.decode()
    assert "按期答复率（1 / 1）" in text
    assert "按期作出决定 0 / 1 件" in text


def test_the_stats_page_shows_the_corrections_table(client, make_application, office_head, now_2021):
    new = correction(make_application)
    services.do_decide_correction(
        new,
        outcome=CorrectionOutcome.FORWARDED,
        note="已转送",
        forwarded_to="长春市公安局",
        actor=office_head,
        expected_version=seen(new),
    )
    login(client, office_head)
    page = client.get(
        reverse("workbench:inforequests_staff:stats"), {"from": "2021-01-01", "to": "2021-12-31"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "更正申请（第四十一条）" in text
    assert "无权更正，已转送有权机关" in text
    assert "勾稽关系不成立" not in text


# The public form and status page ---------------------------------------------------------------


@pytest.fixture
def public_day(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC))


def _form_data(client, **overrides):
    page = client.get("/apply/")
    token = re.search(rb'name="token" value="([^"]+)"', page.content)
    assert token
    return {
        "token": token.group(1).decode(),
        "request_kind": CORRECTION,
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_type": "居民身份证",
        "id_number": "220102198001011234",
        "phone": "13900000000",
        "email": "",
        "address": "长春市朝阳区人民大街1号",
        "postcode": "130000",
        "information_title": "本人户籍登记信息",
        "information_doc_number": "",
        "description": "出生日期登记有误，附出生医学证明。",
        "form_wanted": "paper",
        "delivery": "post",
        "declaration": "on",
        **overrides,
    }


def test_the_form_offers_both_kinds_with_both_help_texts(client, public_day):
    text = client.get("/apply/").content.decode()
    assert "申请获取政府信息" in text
    assert "申请更正与本人相关的政府信息（第四十一条）" in text
    assert 'name="request_kind"' in text
    assert "申请获取信息的：" in text and "申请更正的（必填）" in text


def test_the_public_submits_a_correction_request(client, public_day):
    response = client.post("/apply/", _form_data(client))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.request_kind == RequestKind.CORRECTION
    assert application.description.startswith("出生日期")


def test_a_correction_request_needs_its_evidence(client, public_day):
    response = client.post("/apply/", _form_data(client, description=" "))
    assert response.status_code == 200
    assert "证据" in response.content.decode()
    assert not Application.objects.exists()


def test_a_disclosure_request_is_still_the_default(client, public_day):
    text = client.get("/apply/").content.decode()
    assert re.search(r'name="request_kind" value="disclosure"[^>]*checked', text)
    data = _form_data(client, description="")
    del data["request_kind"]  # a page opened before the choice existed
    assert client.post("/apply/", data).status_code == 302
    assert Application.objects.get().request_kind == RequestKind.DISCLOSURE


def test_the_status_page_says_the_decision_in_words(client, make_application, office_head, time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 3, 9, tzinfo=dt.UTC))
    app = correction(make_application)
    services.do_decide_correction(
        app,
        outcome=CorrectionOutcome.FORWARDED,
        note="本机关无权更正，已转送。",
        forwarded_to="长春市公安局朝阳区分局",
        actor=office_head,
        expected_version=seen(app),
    )
    response = client.post(
        "/apply/status/",
        follow=True,
        data={"tracking_number": app.tracking_number, "query_code": app.query_code},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "无权更正，已转送有权机关" in text
    assert "长春市公安局朝阳区分局" in text
    assert "下载答复书（PDF）" in text  # the decision letter (test_correction_letter.py)


# The staff case page ----------------------------------------------------------------------------


def test_the_head_decides_on_the_case_page(client, make_application, office_head, now_2021):
    app = correction(make_application)
    login(client, office_head)
    text = client.get(case_url(app)).content.decode()
    assert 'id="move-correct"' in text
    assert 'id="move-draft"' not in text
    r = client.post(
        action_url(app, "correct"),
        {
            "version": app.version,
            "correction_outcome": "forwarded",
            "forwarded_to": "",
            "note": "已转送",
            "on": "2021-06-03",
        },
    )
    assert r.status_code == 200
    assert "有权机关" in r.content.decode()
    app.refresh_from_db()
    assert app.status == Status.RECEIVED
    r = client.post(
        action_url(app, "correct"),
        {
            "version": app.version,
            "correction_outcome": "corrected",
            "forwarded_to": "",
            "note": "已更正出生日期。",
            "on": "2021-06-03",
        },
    )
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.CLOSED
    assert app.correction_outcome == CorrectionOutcome.CORRECTED
    text = client.get(case_url(app)).content.decode()
    assert "已核实并更正" in text
    assert CORRECTION_LEGAL_BASIS in text


def test_a_reviewer_sees_no_decision_form_and_is_refused(client, make_application, reviewer, now_2021):
    app = correction(make_application)
    login(client, reviewer)
    text = client.get(case_url(app)).content.decode()
    assert 'id="move-correct"' not in text
    assert 'id="move-draft"' not in text
    assert 'id="move-accept"' in text
    r = client.post(
        action_url(app, "correct"),
        {"version": app.version, "correction_outcome": "corrected", "note": "已更正", "on": "2021-06-03"},
    )
    assert r.status_code == 403
    app.refresh_from_db()
    assert app.status == Status.RECEIVED


def test_a_disclosure_case_keeps_the_draft_form(client, make_application, office_head, now_2021):
    app = make_application()
    login(client, office_head)
    text = client.get(case_url(app)).content.decode()
    assert 'id="move-draft"' in text
    assert 'id="move-correct"' not in text
    r = client.post(
        action_url(app, "correct"),
        {"version": app.version, "correction_outcome": "corrected", "note": "已更正", "on": "2021-06-03"},
    )
    # The head may decide corrections, but this case is not one: refused, in words, nothing changed.
    assert r.status_code == 200
    assert "只有更正政府信息申请（第四十一条）才能作出更正决定。" in r.content.decode()
    app.refresh_from_db()
    assert app.status == Status.RECEIVED and app.correction_outcome == ""
