"""After an online application is committed, the applicant gets an acknowledgement by e-mail,
delivered here to a real SMTP server on this machine."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re

import pytest
from django.core.cache import cache

from gongkai.inforequests.models import Application


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db, time_machine):
    cache.clear()
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC))
    yield
    cache.clear()


@pytest.fixture
def form_data(client):
    token = re.search(rb'name="token" value="([^"]+)"', client.get("/apply/").content)
    assert token
    return {
        "token": token.group(1).decode(),
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_type": "居民身份证",
        "id_number": "220102198001011234",
        "phone": "13900000000",
        "email": "zhangsan@example.com",
        "information_title": "2025年全省机动车保有量统计",
        "form_wanted": "electronic",
        "delivery": "email",
        "declaration": "on",
    }


def test_it_mails_the_receipt_after_commit(
    client, form_data, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/apply/", form_data)
        assert smtp_server.messages == []  # nothing is sent before the application is committed

    assert response.status_code == 302
    assert len(callbacks) == 1
    application = Application.objects.get()
    [(sender, recipients, data)] = smtp_server.messages
    assert sender == "gongkai@example.gov.cn"
    assert recipients == ["zhangsan@example.com"]
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert application.tracking_number in str(message["Subject"])
    body = message.get_body().get_content()  # type: ignore[union-attr]
    assert application.tracking_number in body
    assert application.due_on is not None and application.due_on.isoformat() in body
    assert "http://testserver/apply/status/" in body
    code = re.search(r"查询码：([A-Z0-9]{8})", body)
    assert code
    from gongkai.inforequests.services import check_query_code

    assert check_query_code(application, code.group(1))
    assert "220102198001011234" not in body


def test_a_double_submit_sends_one_mail(client, form_data, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/apply/", form_data)
        client.post("/apply/", form_data)

    assert len(smtp_server.messages) == 1


def test_no_mail_without_an_address(client, form_data, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post("/apply/", {**form_data, "email": "", "delivery": "post", "address": "长春市人民大街1号"})

    assert Application.objects.count() == 1
    assert callbacks == []
    assert smtp_server.messages == []


def test_a_mail_server_failure_keeps_the_application(
    client, form_data, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens on discard
    settings.EMAIL_TIMEOUT = 2

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/apply/", form_data)

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.tracking_number in caplog.text
    # The log names the case, never the applicant.
    for personal in ("张三", "zhangsan@example.com", "220102198001011234", "13900000000"):
        assert personal not in caplog.text
