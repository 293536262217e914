"""A re-sent application (Back, then send again) is told so in plain words: in the acknowledgement
e-mail (delivered to a real SMTP server on this machine) and on its status page, with the day the
earlier one was received, never its number, code or content; a code proved elsewhere learns only that
there is an earlier copy."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client

from gongkai.inforequests.models import Application

NOTICE_MAIL = "请注意：我们已于 2026-06-01 收到一份与本次相同的申请"
NOTICE_PAGE = "这份申请可能是重复提交"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db, time_machine):
    cache.clear()
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC))
    yield
    cache.clear()


def fresh_form(client: Client) -> dict[str, str]:
    """The form as a visitor finds it (a new token each time it is shown, as after Back)."""
    match = re.search(rb'name="token" value="([^"]+)"', client.get("/apply/").content)
    assert match
    return {
        "token": match.group(1).decode(),
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_type": "居民身份证",
        "id_number": "220102198001011234",
        "phone": "13900000000",
        "email": "zhangsan@example.com",
        "information_title": "2025年全省机动车保有量统计",
        "description": "按市州分列",
        "form_wanted": "electronic",
        "delivery": "email",
        "declaration": "on",
    }


def code_in(body: str) -> str:
    match = re.search(r"查询码：([A-Z0-9]{8})", body)
    assert match
    return match.group(1)


@pytest.fixture
def sent_twice(client, time_machine, smtp_server, django_capture_on_commit_callbacks):
    """The same request sent on 1 June and again the next morning; the two acknowledgement mails."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/apply/", fresh_form(client))
    time_machine.move_to(dt.datetime(2026, 6, 2, 9, tzinfo=dt.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/apply/", fresh_form(client))
    first, second = Application.objects.order_by("pk")
    assert second.likely_duplicate_of == first
    mails = [m.get_body().get_content() for m in smtp_server.wait_for(2)]
    return first, second, mails


def test_the_acknowledgement_of_the_copy_says_it_is_likely_a_re_send(sent_twice):
    first, second, (first_mail, second_mail) = sent_twice

    assert NOTICE_MAIL in second_mail
    assert "本次提交可能是重复提交" in second_mail and "您不必再次提交" in second_mail
    assert second.tracking_number in second_mail
    assert first.tracking_number not in second_mail
    assert code_in(first_mail) not in second_mail
    assert "220102198001011234" not in second_mail


def test_the_first_acknowledgement_says_nothing_of_it(sent_twice):
    _first, _second, (first_mail, _second_mail) = sent_twice

    assert "重复提交" not in first_mail


def look_up(browser: Client, application: Application, code: str) -> str:
    browser.post("/apply/status/", {"tracking_number": application.tracking_number, "query_code": code})
    response = browser.get(f"/apply/status/{application.tracking_number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_status_page_of_the_copy_says_so_with_the_day(client, sent_twice):
    first, second, (first_mail, second_mail) = sent_twice

    body = look_up(client, second, code_in(second_mail))

    assert NOTICE_PAGE in body
    assert "我们已于 2026-06-01 收到一份与这份相同的申请" in body
    assert "您不必再次提交" in body
    assert first.tracking_number not in body and code_in(first_mail) not in body


def test_a_code_proved_on_another_browser_learns_there_is_a_copy_but_not_when(sent_twice):
    first, second, (_first_mail, second_mail) = sent_twice

    body = look_up(Client(), second, code_in(second_mail))

    assert NOTICE_PAGE in body
    assert "在这份申请之前不久，我们还收到一份与它相同的申请" in body
    assert "2026-06-01" not in body.split(NOTICE_PAGE, 1)[1].split("</div>", 1)[0]
    assert first.tracking_number not in body


def test_the_first_application_s_status_page_has_no_notice(client, sent_twice):
    first, _second, (first_mail, _second_mail) = sent_twice

    assert NOTICE_PAGE not in look_up(client, first, code_in(first_mail))
