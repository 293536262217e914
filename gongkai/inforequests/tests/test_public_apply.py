"""A member of the public applies online: what they typed is kept on an error, a double click makes
one application, the receipt shows the tracking number and code, and a flood is refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache

from gongkai.inforequests.models import Application

ID_NUMBER = "220102198001011234"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db, time_machine):
    cache.clear()
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC))
    yield
    cache.clear()


def form_token(response) -> str:
    match = re.search(rb'name="token" value="([^"]+)"', response.content)
    assert match, "the form carries an idempotency token"
    return match.group(1).decode()


@pytest.fixture
def form_data(client):
    token = form_token(client.get("/apply/"))
    return {
        "token": token,
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_type": "居民身份证",
        "id_number": ID_NUMBER,
        "phone": "13900000000",
        "email": "",
        "address": "长春市朝阳区人民大街1号",
        "postcode": "130000",
        "information_title": "2025年全省机动车保有量统计",
        "information_doc_number": "",
        "description": "按市州分列",
        "form_wanted": "electronic",
        "delivery": "post",
        "declaration": "on",
    }


def test_it_shows_the_form_to_anyone(client):
    response = client.get("/apply/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "申请政府信息公开" in body
    assert 'name="declaration"' in body
    assert 'aria-current="page"' in body  # the 依申请公开 navigation item


def test_it_receives_an_application_and_shows_the_receipt(client, form_data):
    response = client.post("/apply/", form_data)

    assert response.status_code == 302
    assert response["Location"] == "/apply/done/"
    application = Application.objects.get()
    assert application.channel == "online"
    assert application.received_on == dt.date(2026, 6, 1)  # the day of submission (Art. 31)
    assert application.applicant_name == "张三"
    assert application.id_number == ID_NUMBER
    assert application.due_on is not None
    receipt = client.get("/apply/done/")
    body = receipt.content.decode()
    assert application.tracking_number in body
    code = re.search(r'class="code">([A-Z0-9]{8})<', body)
    assert code
    from gongkai.inforequests.services import check_query_code

    assert check_query_code(application, code.group(1))
    assert ID_NUMBER not in body
    assert "2201**********1234" in body


def test_a_double_submit_makes_one_application_and_the_same_receipt(client, form_data):
    client.post("/apply/", form_data)
    first = client.get("/apply/done/").content.decode()
    again = client.post("/apply/", form_data)

    assert again.status_code == 302
    assert Application.objects.count() == 1
    second = client.get("/apply/done/").content.decode()
    code = re.search(r'class="code">([A-Z0-9]{8})<', first)
    assert code and code.group(1) in second


def test_a_new_form_makes_a_new_application(client, form_data):
    client.post("/apply/", form_data)
    client.post("/apply/", {**form_data, "token": form_token(client.get("/apply/"))})

    assert Application.objects.count() == 2


def test_it_keeps_what_was_typed_and_says_what_is_wrong(client, form_data):
    response = client.post(
        "/apply/",
        {
            **form_data,
            "id_number": "220102198001011235",
            "information_title": "",
            "description": "",
            "delivery": "email",
            "declaration": "",
        },
    )

    assert response.status_code == 200
    assert Application.objects.count() == 0
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert "校验位不符" in body
    assert "二者至少填一项" in body
    assert "请填写电子邮箱" in body
    assert "请阅读并勾选承诺" in body
    # What was typed is still there.
    assert 'value="220102198001011235"' in body
    assert 'value="长春市朝阳区人民大街1号"' in body
    assert f'value="{form_data["token"]}"' in body
    # The summary links to each field and each field's errors are described by id.
    assert 'href="#id_id_number"' in body
    assert 'id="id_id_number_error"' in body
    assert 'aria-describedby="id_id_number_helptext id_id_number_error"' in body
    assert 'href="#id_delivery_0"' not in body  # delivery itself is valid; the e-mail is missing
    assert 'href="#id_email"' in body


def test_it_accepts_a_lower_case_x_check_character(client, form_data):
    response = client.post("/apply/", {**form_data, "id_number": "11010519491231002x"})

    assert response.status_code == 302
    assert Application.objects.get().id_number == "11010519491231002X"


def test_an_organisation_names_its_kind_and_contact(client, form_data):
    data = {
        **form_data,
        "applicant_kind": "research",
        "applicant_name": "吉林大学法学院",
        "id_type": "统一社会信用代码",
        "id_number": "12220000412759478F",
    }
    response = client.post("/apply/", data)
    assert response.status_code == 200
    assert "请填写联系人" in response.content.decode()

    response = client.post("/apply/", {**data, "contact_person": "李老师"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant_kind == "research"
    assert application.contact_person == "李老师"


def test_it_records_help_needed_and_a_proactive_suggestion(client, form_data):
    client.post(
        "/apply/",
        {
            **form_data,
            "needs_assistance": "on",
            "assistance_note": "需要大字版材料",
            "suggests_proactive": "on",
            "information_title": "",
        },
    )

    application = Application.objects.get()
    assert application.needs_assistance
    assert application.assistance_note == "需要大字版材料"
    assert application.suggests_proactive
    assert application.information_title == ""
    assert application.description == "按市州分列"


def test_too_many_submissions_are_refused_without_losing_input(client, form_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "apply": (2, 600)}
    client.post("/apply/", {**form_data, "token": form_token(client.get("/apply/"))})
    client.post("/apply/", {**form_data, "token": form_token(client.get("/apply/"))})

    response = client.post("/apply/", {**form_data, "description": "第三次"})

    assert response.status_code == 429
    body = response.content.decode()
    assert "提交过于频繁" in body
    assert "第三次" in body
    assert Application.objects.count() == 2


def test_the_limit_is_per_address(client, form_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "apply": (1, 600)}
    client.post("/apply/", form_data, REMOTE_ADDR="10.0.0.1")

    response = client.post(
        "/apply/", {**form_data, "token": form_token(client.get("/apply/"))}, REMOTE_ADDR="10.0.0.2"
    )

    assert response.status_code == 302
    assert Application.objects.count() == 2


def test_the_receipt_page_needs_a_submission(client):
    response = client.get("/apply/done/")

    assert response.status_code == 302
    assert response["Location"] == "/apply/"


def test_the_form_speaks_english(client):
    client.cookies["gk_lang"] = "en"

    response = client.get("/apply/")

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "<h1>申请政府信息公开</h1>" not in response.content.decode()


def test_an_application_is_received_even_in_a_year_without_schedule(client, form_data, time_machine):
    # The law requires receipt either way: the due date stays open until the schedule is entered.
    time_machine.move_to(dt.datetime(2099, 12, 1, 10, tzinfo=dt.UTC))

    response = client.post("/apply/", form_data)

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.due_on is None
    assert application.received_on == dt.date(2099, 12, 1)
