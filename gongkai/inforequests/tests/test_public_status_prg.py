"""The status answer by POST-redirect-GET: the code never in an address, Back and reload show the
answer again, and another browser (or the same one after half an hour) is asked for the code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from gongkai.inforequests.views.public import VERIFIED_COOKIE


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db, time_machine):
    cache.clear()
    time_machine.move_to(dt.datetime(2021, 6, 8, 10, tzinfo=dt.UTC))
    yield
    cache.clear()


def test_it_answers_a_look_up_with_a_redirect_that_carries_no_code(client, make_application):
    app = make_application()

    response = client.post(
        "/apply/status/", {"tracking_number": app.tracking_number, "query_code": app.query_code}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/apply/status/{app.tracking_number}/"
    assert app.query_code not in response["Location"]
    cookie = response.cookies[VERIFIED_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/apply/status/"
    assert app.query_code not in cookie.value


def test_reload_shows_the_answer_again_without_sending_anything(client, make_application):
    app = make_application()
    client.post("/apply/status/", {"tracking_number": app.tracking_number, "query_code": app.query_code})

    first = client.get(f"/apply/status/{app.tracking_number}/")
    again = client.get(f"/apply/status/{app.tracking_number}/")

    for response in (first, again):
        assert response.status_code == 200
        assert "申请办理进度" in response.content.decode()
        assert "张三" in response.content.decode()
        assert "no-store" in response["Cache-Control"]


def test_another_browser_with_the_address_is_asked_for_the_code(client, make_application):
    app = make_application()
    client.post("/apply/status/", {"tracking_number": app.tracking_number, "query_code": app.query_code})

    response = Client().get(f"/apply/status/{app.tracking_number}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "张三" not in body
    assert 'name="query_code"' in body
    assert f'value="{app.tracking_number}"' in body  # the number is filled in, the code is not


def test_the_proof_lapses_after_half_an_hour(client, make_application, time_machine):
    app = make_application()
    client.post("/apply/status/", {"tracking_number": app.tracking_number, "query_code": app.query_code})

    time_machine.shift(dt.timedelta(minutes=31))
    response = client.get(f"/apply/status/{app.tracking_number}/")

    assert "张三" not in response.content.decode()
    assert "查询结果只保留 30 分钟" in response.content.decode()


def test_a_proof_for_one_application_does_not_open_another(client, make_application):
    mine, other = make_application(), make_application(applicant_name="李四")
    client.post("/apply/status/", {"tracking_number": mine.tracking_number, "query_code": mine.query_code})

    response = client.get(f"/apply/status/{other.tracking_number}/")

    assert "李四" not in response.content.decode()
