"""Staff accounts (issue 12): password rules, idle expiry, an alert on a sign-in from a new
address, HSTS and Secure cookies on HTTPS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import PASSWORD
from gongkai.accounts import security
from gongkai.core.models import OutboxEvent


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short1!", "至少需要 10 个字符"),
        ("password123", "常见"),
        ("8405927361", "只包含数字"),
        ("editor2026", "相似"),
    ],
    ids=["short", "common", "numeric", "username"],
)
def test_weak_passwords_are_refused_with_the_reason(editor, password, why):
    def reasons(language):
        with translation.override(language):
            try:
                validate_password(password, user=editor)
            except ValidationError as exc:
                return " ".join(exc.messages)
        raise AssertionError("accepted")

    assert why in reasons("zh-hans")
    with translation.override("en"):  # ours in English once the catalogue has it (security.po)
        short = translation.gettext("密码太短，至少需要 %(n)d 个字符。") % {"n": 10}
    assert any(word in reasons("en") for word in ("common", "numeric", "similar", short))


def test_a_good_password_passes(editor):
    validate_password("户籍窗口-Spring-2026", user=editor)  # three kinds (passwords.ComplexityValidator)


def test_the_minimum_length_is_configurable(settings, editor):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 16},
        }
    ]
    with pytest.raises(ValidationError):
        validate_password("fifteen-chars-x", user=editor)


def _sign_in(client, user, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=ip)


def test_an_idle_session_ends_and_the_login_page_says_why(client, editor, time_machine, settings):
    settings.STAFF_IDLE_MINUTES = 30
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    assert _sign_in(client, editor).status_code == 302
    assert client.get("/workbench/").status_code == 200
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 29, tzinfo=dt.UTC))
    assert client.get("/workbench/").status_code == 200  # activity renews the half hour
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))

    response = client.get("/workbench/", follow=True)

    assert response.redirect_chain[0][0].startswith("/accounts/login/?expired=idle")
    assert "30 分钟未操作" in response.content.decode()
    assert "_auth_user_id" not in client.session
    client.cookies["gk_lang"] = "en"
    with translation.override("en"):
        expected = security.idle_message()
    assert expected in client.get("/accounts/login/?expired=idle").content.decode()


def test_a_post_after_idle_expiry_is_not_performed(client, editor, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    _sign_in(client, editor)
    client.get("/workbench/")
    time_machine.move_to(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC))

    response = client.post("/workbench/records/new/", {"name": "x"})

    assert response.status_code == 302 and response["Location"] == "/accounts/login/?expired=idle"


def test_a_sign_in_from_a_new_address_mails_the_person(client, editor, django_capture_on_commit_callbacks):
    editor.email = "editor@example.com"
    editor.save()
    _sign_in(client, editor, "10.0.0.1")  # the first sign-in: nothing to compare with
    client.logout()
    _sign_in(client, editor, "10.0.0.1")  # a known address
    assert mail.outbox == []
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        _sign_in(client, editor, "203.0.113.9")

    assert OutboxEvent.objects.filter(code=security.NEW_ADDRESS_EVENT).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@example.com"]
    assert "203.0.113.9" in message.body and "editor" in message.body
    assert "密码" not in message.subject and PASSWORD not in message.body


def test_a_mail_server_down_does_not_stop_the_sign_in(
    client, editor, settings, django_capture_on_commit_callbacks
):
    editor.email = "editor@example.com"
    editor.save()
    _sign_in(client, editor, "10.0.0.1")
    client.logout()
    settings.EMAIL_BACKEND = "gongkai.accounts.tests.test_staff_security.DownBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_in(client, editor, "203.0.113.9")

    assert response.status_code == 302
    assert client.get("/workbench/").status_code == 200
    event = OutboxEvent.objects.get(code=security.NEW_ADDRESS_EVENT)
    assert not event.deliveries.filter(state="done").exists()  # left for the outbox to retry


class DownBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_https_answers_carry_hsts_and_secure_cookies(client, editor):
    response = client.get("/accounts/login/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies["csrftoken"]["secure"] is True
    signed_in = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD}, secure=True)
    assert signed_in.cookies["sessionid"]["secure"] is True


def test_http_in_development_keeps_working_without_them(client, editor):
    response = client.get("/accounts/login/")

    assert "Strict-Transport-Security" not in response
    assert not response.cookies["csrftoken"]["secure"]
