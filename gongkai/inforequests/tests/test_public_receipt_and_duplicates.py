"""After applying online: a printable receipt; Back and send again flags the second application to
the office as a likely duplicate and tells the sender only the day the first was received; a form sent without its CSRF cookie comes back as typed; the
e-mail field's error in the project's own words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client

from gongkai.inforequests.models import Application

ID_NUMBER = "220102198001011234"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db, time_machine):
    cache.clear()
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC))
    yield
    cache.clear()


def fresh_form(client) -> dict[str, str]:
    """The form as a visitor finds it (a new token each time it is shown, as after Back)."""
    match = re.search(rb'name="token" value="([^"]+)"', client.get("/apply/").content)
    assert match
    return {
        "token": match.group(1).decode(),
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_type": "居民身份证",
        "id_number": ID_NUMBER,
        "phone": "13900000000",
        "email": "",
        "address": "长春市朝阳区人民大街1号",
        "postcode": "130000",
        "information_title": "2025年全省机动车保有量统计",
        "description": "按市州分列",
        "form_wanted": "electronic",
        "delivery": "post",
        "declaration": "on",
    }


def test_it_prints_a_receipt_with_the_number_dates_and_what_was_asked(client):
    client.post("/apply/", fresh_form(client))
    app = Application.objects.get()

    done = client.get("/apply/done/").content.decode()
    assert f"/apply/receipt/{app.tracking_number}/" in done
    response = client.get(f"/apply/receipt/{app.tracking_number}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert app.tracking_number in body
    assert "2026-06-01" in body  # received
    assert app.due_on is not None and app.due_on.isoformat() in body
    assert "2025年全省机动车保有量统计" in body
    assert ID_NUMBER not in body
    assert "no-store" in response["Cache-Control"]


def test_another_browser_gets_no_receipt(client):
    client.post("/apply/", fresh_form(client))
    app = Application.objects.get()

    response = Client().get(f"/apply/receipt/{app.tracking_number}/")

    assert response.status_code == 404
    assert "张三" not in response.content.decode()


def test_back_and_send_again_is_flagged_as_a_likely_duplicate(client):
    client.post("/apply/", fresh_form(client))
    client.post("/apply/", fresh_form(client))  # Back: the form shown again, with a new token

    first, second = Application.objects.order_by("pk")
    assert first.likely_duplicate_of is None
    assert second.likely_duplicate_of == first


def query_code_shown(client) -> str:
    match = re.search(r'<span class="code">([^<]+)</span>', client.get("/apply/done/").content.decode())
    assert match
    return match.group(1)


def test_the_sender_of_a_copy_is_told_when_the_first_was_received_and_nothing_else(client, time_machine):
    client.post("/apply/", fresh_form(client))
    first_code = query_code_shown(client)
    time_machine.move_to(dt.datetime(2026, 6, 2, 9, tzinfo=dt.UTC))  # "did I send it yesterday?"

    client.post("/apply/", fresh_form(client))

    first, second = Application.objects.order_by("pk")
    assert second.likely_duplicate_of == first  # the office is still told
    for page in ("/apply/done/", f"/apply/receipt/{second.tracking_number}/"):
        body = client.get(page).content.decode()
        assert "您此前已提交过相同的申请" in body, page
        assert "我们已于 2026-06-01 收到一份与本次相同的申请" in body, page
        assert "您不必再次提交" in body, page
        assert 'href="/apply/status/"' in body, page
        assert second.tracking_number in body, page  # the new application stands
        assert first.tracking_number not in body, page
        assert first_code not in body, page


def test_a_different_request_gets_no_notice(client):
    client.post("/apply/", fresh_form(client))
    client.post("/apply/", {**fresh_form(client), "information_title": "2025年全省交通事故统计"})

    second = Application.objects.order_by("pk").last()
    assert second is not None
    for page in ("/apply/done/", f"/apply/receipt/{second.tracking_number}/"):
        assert "您此前已提交过相同的申请" not in client.get(page).content.decode(), page


def test_the_first_application_gets_no_notice(client):
    client.post("/apply/", fresh_form(client))

    assert "您此前已提交过相同的申请" not in client.get("/apply/done/").content.decode()


def test_a_receipt_opened_by_the_query_code_elsewhere_gets_no_notice(client):
    client.post("/apply/", fresh_form(client))
    client.post("/apply/", fresh_form(client))
    code = query_code_shown(client)
    second = Application.objects.order_by("pk").last()
    assert second is not None and second.likely_duplicate_of is not None
    other = Client()
    other.post("/apply/status/", {"tracking_number": second.tracking_number, "query_code": code})

    response = other.get(f"/apply/receipt/{second.tracking_number}/")

    assert response.status_code == 200
    assert "您此前已提交过相同的申请" not in response.content.decode()


def test_a_double_click_still_makes_one_application(client):
    data = fresh_form(client)
    client.post("/apply/", data)
    client.post("/apply/", data)

    assert Application.objects.count() == 1


def test_a_different_request_of_the_same_person_is_not_flagged(client):
    client.post("/apply/", fresh_form(client))
    client.post("/apply/", {**fresh_form(client), "information_title": "2025年全省交通事故统计"})

    assert not Application.objects.filter(likely_duplicate_of__isnull=False).exists()


def test_a_post_without_its_csrf_cookie_gives_the_form_back_as_typed():
    browser = Client(enforce_csrf_checks=True)
    data = fresh_form(browser)
    browser.cookies.clear()  # the cookie lost (expired, blocked): the token is no longer matched

    response = browser.post("/apply/", data)

    body = response.content.decode()
    assert response.status_code == 403
    assert "您的申请还没有提交" in body
    assert 'value="张三"' in body
    assert "2025年全省机动车保有量统计" in body
    assert f'value="{data["token"]}"' in body  # sending again still makes one application
    assert "CSRF" not in body
    assert not Application.objects.exists()

    again = browser.post("/apply/", {**data, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert again.status_code == 302
    assert Application.objects.count() == 1


def test_the_email_error_is_in_our_own_words(client):
    response = client.post("/apply/", {**fresh_form(client), "email": "zhangsan@"})

    body = response.content.decode()
    assert "电子邮箱的格式不对" in body
    assert "Enter a valid email" not in body
