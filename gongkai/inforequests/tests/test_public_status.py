"""An applicant looks up their application with the tracking number and query code: the stage in
plain words, the dates and how they were computed, and at the end the reply and its letter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from gongkai.inforequests import services
from gongkai.inforequests.choices import Outcome
from gongkai.inforequests.tests.acting import seen

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db, time_machine):
    cache.clear()
    time_machine.move_to(dt.datetime(2021, 6, 8, 10, tzinfo=dt.UTC))
    yield
    cache.clear()


@pytest.fixture
def application(make_application):
    return make_application()


@pytest.fixture
def closed(application, reviewer, office_head, time_machine):
    services.do_accept_application(application, actor=reviewer, expected_version=seen(application))
    services.do_draft_reply(
        application,
        outcome=Outcome.GRANTED,
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
        reply_text="您申请的统计数据见附件。\n如有疑问请来电。",
        actor=reviewer,
        expected_version=seen(application),
    )
    time_machine.move_to(dt.datetime(2021, 6, 20, 10, tzinfo=dt.UTC))  # the day it is approved
    approved = services.do_approve_reply(
        application, actor=office_head, on=D(2021, 6, 20), expected_version=seen(application)
    )
    approved.query_code = application.query_code  # type: ignore[attr-defined]
    return approved


def look_up(client, application, code=None, **extra):
    return client.post(
        "/apply/status/",
        follow=True,
        data={"tracking_number": application.tracking_number, "query_code": code or application.query_code},
        **extra,
    )


def test_it_shows_the_form(client):
    response = client.get("/apply/status/")

    assert response.status_code == 200
    assert 'name="tracking_number"' in response.content.decode()


def test_it_shows_the_stage_dates_and_how_they_were_computed(client, application):
    response = look_up(client, application)

    assert response.status_code == 200
    body = response.content.decode()
    assert application.tracking_number in body
    assert "已收到申请" in body
    assert "2021-06-01" in body  # received
    assert "2021-06-30" in body  # due: 20 working days, Dragon Boat Festival (14 June) off
    assert "自 2021-06-01 次日起计 20 个工作日" in body
    assert "尚未办结" in body
    assert "张三" in body


def test_it_never_shows_the_identity_number_unmasked(client, application):
    body = look_up(client, application).content.decode()

    assert "220102198001011234" not in body
    assert "2201**********1234" in body
    assert "13900000000" not in body
    assert "zhangsan@example.com" not in body


def test_the_code_is_not_case_or_space_sensitive(client, application):
    response = look_up(client, application, code=f" {application.query_code.lower()} ")

    assert response.status_code == 200
    assert "申请办理进度" in response.content.decode()
    assert "2021-06-30" in response.content.decode()


@pytest.mark.parametrize("wrong", ["code", "number"])
def test_a_wrong_code_or_number_gets_one_generic_message(client, application, wrong):
    data = {"tracking_number": application.tracking_number, "query_code": "WRONG234"}
    if wrong == "number":
        data = {"tracking_number": "GK2021-99999", "query_code": application.query_code}

    response = client.post("/apply/status/", follow=True, data=data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "受理编号或查询码不正确" in body
    assert "2021-06-30" not in body
    assert "张三" not in body
    assert f'value="{data["tracking_number"]}"' in body  # what was typed is kept


def test_look_ups_are_rate_limited(client, application, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "status": (3, 600)}
    for _ in range(3):
        look_up(client, application, code="WRONG234")

    response = look_up(client, application)

    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()
    assert "2021-06-30" not in response.content.decode()


def test_an_extension_shows_the_extended_due_date(client, application, reviewer, office_head):
    services.do_accept_application(application, actor=reviewer, expected_version=seen(application))
    services.do_extend_application(
        application,
        extra_workdays=20,
        reason="需要调取档案",
        actor=office_head,
        on=D(2021, 6, 8),
        expected_version=seen(application),
    )

    body = look_up(client, application).content.decode()

    assert "延长后的答复期限" in body
    assert "经批准延长 20 个工作日" in body


def test_a_closed_application_shows_the_reply_and_its_letter(client, closed):
    body = look_up(client, closed).content.decode()

    assert "已办结" in body
    assert "予以公开" in body
    assert "您申请的统计数据见附件。" in body
    assert "2021-06-20" in body
    link = f"/apply/status/{closed.tracking_number}/reply.pdf"
    assert link in body

    letter = client.get(link)

    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")


def test_the_letter_needs_the_code_first(client, closed):
    response = client.get(f"/apply/status/{closed.tracking_number}/reply.pdf")

    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_an_open_application_has_no_letter(client, application):
    look_up(client, application)

    response = client.get(f"/apply/status/{application.tracking_number}/reply.pdf")

    assert response.status_code == 404


def test_pages_with_a_code_are_not_cached(client, application):
    response = look_up(client, application)

    assert "no-store" in response["Cache-Control"]
