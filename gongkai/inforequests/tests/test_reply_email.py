"""When the reply is approved, an applicant who gave an e-mail address gets the reply letter (PDF)
at once, after commit, from a real SMTP server on this machine; the delivery is recorded. A mail
failure never undoes the approval and logs no personal data."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from typing import Any

import pytest

from gongkai.core.models import AuditEvent
from gongkai.inforequests import services
from gongkai.inforequests.choices import Outcome, Status
from gongkai.inforequests.models import LetterDelivery
from gongkai.inforequests.tests.acting import seen

D = dt.date
APPROVED_ON = dt.date(2021, 6, 21)
PERSONAL = ("张三", "zhangsan@example.com", "220102198001011234", "13900000000")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 21, 10, tzinfo=dt.UTC))  # the day of APPROVED_ON


@pytest.fixture
def drafted(make_application, reviewer):
    def make(**applicant: Any) -> Any:
        application = make_application(**applicant)
        services.do_accept_application(application, actor=reviewer, expected_version=seen(application))
        services.do_draft_reply(
            application,
            outcome=Outcome.GRANTED,
            legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
            reply_text="您申请的统计数据见附件。",
            actor=reviewer,
            expected_version=seen(application),
        )
        return application

    return make


def approve(application, office_head, on=APPROVED_ON):
    return services.do_approve_reply(
        application, actor=office_head, on=on, expected_version=seen(application)
    )


def test_it_mails_the_reply_letter_after_commit(
    drafted, office_head, smtp_server, django_capture_on_commit_callbacks
):
    application = drafted()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approve(application, office_head)
        assert smtp_server.messages == []  # nothing leaves before the approval is committed

    assert len(callbacks) == 1
    [(sender, recipients, data)] = smtp_server.messages
    assert sender == "gongkai@example.gov.cn"
    assert recipients == ["zhangsan@example.com"]
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert application.tracking_number in str(message["Subject"])
    assert application.tracking_number in message.get_body().get_content()  # type: ignore[union-attr]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"reply-{application.tracking_number}.pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_the_delivery_is_recorded_on_the_approval_day(
    drafted, office_head, smtp_server, django_capture_on_commit_callbacks
):
    application = drafted()
    with django_capture_on_commit_callbacks(execute=True):
        approve(application, office_head, on=D(2021, 6, 18))

    delivery = LetterDelivery.objects.get(application=application)
    assert (delivery.letter_kind, delivery.method, delivery.delivered_on) == (
        "reply",
        "email",
        D(2021, 6, 18),
    )
    assert delivery.recorded_by == office_head
    assert AuditEvent.objects.filter(
        action="inforequests.letter.delivered", object_id=str(application.pk)
    ).exists()


def test_an_address_given_with_postal_delivery_still_gets_the_mail(
    drafted, office_head, smtp_server, django_capture_on_commit_callbacks
):
    application = drafted(delivery="post", address="长春市人民大街1号")
    with django_capture_on_commit_callbacks(execute=True):
        approve(application, office_head)

    assert len(smtp_server.messages) == 1


def test_no_address_no_mail(drafted, office_head, smtp_server, django_capture_on_commit_callbacks):
    application = drafted(email="", delivery="post", address="长春市人民大街1号")
    # The approval's domain event is still delivered after commit; its subscriber sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        approve(application, office_head)

    assert smtp_server.messages == []
    assert not LetterDelivery.objects.exists()


def test_a_reply_recorded_long_after_the_fact_is_not_mailed(
    drafted, office_head, smtp_server, django_capture_on_commit_callbacks
):
    application = drafted()
    with django_capture_on_commit_callbacks(execute=True):
        approve(application, office_head, on=D(2021, 6, 1))

    assert smtp_server.messages == []


def test_a_refused_approval_sends_nothing(drafted, reviewer, smtp_server, django_capture_on_commit_callbacks):
    application = drafted()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(services.RequestError):
        services.do_approve_reply(
            application, actor=reviewer, expected_version=seen(application)
        )  # a reviewer may not approve

    assert callbacks == []
    assert smtp_server.messages == []


def test_a_mail_failure_keeps_the_approval_and_logs_no_personal_data(
    drafted, office_head, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens on discard
    settings.EMAIL_TIMEOUT = 2
    application = drafted()

    with django_capture_on_commit_callbacks(execute=True):
        approve(application, office_head)

    application.refresh_from_db()
    assert application.status == Status.CLOSED
    assert not LetterDelivery.objects.exists()
    assert application.tracking_number in caplog.text
    for personal in PERSONAL:
        assert personal not in caplog.text


def test_a_closed_case_makes_the_queue_forget_the_years_on_time_figure(drafted, office_head):
    from django.core.cache import cache

    from gongkai.core import clock

    key = services.on_time_cache_key(clock.today())
    cache.set(key, {"replied": 0, "on_time": 0, "rate": None})
    approve(drafted(), office_head)
    assert cache.get(key) is None
