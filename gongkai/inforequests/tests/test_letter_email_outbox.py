"""The closing letter's e-mail rides on the domain event of the act (core/events.py): the job runner
sends it after commit with the letter as issued, retries while the mail server is away, records the
failure once the retries are spent, and never sends it twice."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from gongkai.core import events, jobs
from gongkai.core.models import JobRun, OutboxDelivery, OutboxEvent
from gongkai.inforequests import services
from gongkai.inforequests.choices import Outcome, Status
from gongkai.inforequests.letter_services import issued_letter_pdf
from gongkai.inforequests.models import LetterDelivery

PERSONAL = ("张三", "zhangsan@example.com", "220102198001011234", "13900000000")
SUBSCRIBER = "gongkai.inforequests.notify.mail_closing_letter"


def seen(application):
    """The version a member of staff sees on opening the case."""
    application.refresh_from_db()
    return application.version


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 20, 10, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def drafted(make_application, reviewer):
    application = make_application()
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


def approve(application, office_head):
    return services.do_approve_reply(
        application, actor=office_head, on=dt.date(2021, 6, 18), expected_version=seen(application)
    )


def mail_server_away(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens on discard
    settings.EMAIL_TIMEOUT = 2


def the_run(application) -> JobRun:
    event = OutboxEvent.objects.get(code="inforequests.reply.approved", object_id=str(application.pk))
    assert event.job is not None
    return JobRun.objects.get(pk=event.job.pk)


def test_the_reply_goes_out_through_the_outbox_with_the_issued_pdf(
    drafted, office_head, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(drafted, office_head)
        assert smtp_server.messages == []

    [message] = smtp_server.wait_for(1)
    [attachment] = list(message.iter_attachments())
    drafted.refresh_from_db()
    issued = issued_letter_pdf(drafted, "reply")
    assert issued is not None
    assert (
        attachment.get_filename(),
        attachment.get_content(),
    ) == issued  # the stored bytes, not a re-render
    delivery = OutboxDelivery.objects.get(event__object_id=str(drafted.pk), subscriber=SUBSCRIBER)
    assert (delivery.state, delivery.attempts) == ("done", 1)
    assert the_run(drafted).state == "done"
    assert LetterDelivery.objects.filter(application=drafted, method="email").count() == 1


def test_a_mail_server_away_is_retried_and_the_letter_goes_once_it_is_back(
    drafted, office_head, settings, django_capture_on_commit_callbacks, caplog, time_machine
):
    mail_server_away(settings)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        approve(drafted, office_head)

    drafted.refresh_from_db()
    assert drafted.status == Status.CLOSED  # the act stands
    run = the_run(drafted)
    delivery = OutboxDelivery.objects.get(event__object_id=str(drafted.pk), subscriber=SUBSCRIBER)
    assert (run.state, run.attempts, delivery.state) == ("queued", 1, "failed")
    assert drafted.tracking_number in delivery.last_error and drafted.tracking_number in caplog.text
    for personal in PERSONAL:
        assert personal not in caplog.text
        assert personal not in delivery.last_error and personal not in run.error
    assert not LetterDelivery.objects.exists()


def test_the_retry_sends_it_once_the_server_is_back(
    drafted, office_head, settings, smtp_server, django_capture_on_commit_callbacks
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9
    with django_capture_on_commit_callbacks(execute=True):
        approve(drafted, office_head)
    assert the_run(drafted).state == "queued" and smtp_server.messages == []

    settings.EMAIL_PORT = port
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep(now=dt.datetime(2021, 6, 20, 11, tzinfo=dt.UTC))
    assert len(smtp_server.wait_for(1)) == 1
    run = the_run(drafted)
    assert (run.state, run.attempts) == ("done", 2)
    assert LetterDelivery.objects.filter(application=drafted, method="email").count() == 1

    # Delivered again (a racing worker, a second event for the same act): no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("inforequests.reply.approved", drafted, actor=office_head)
    assert len(smtp_server.messages) == 1


def test_once_the_retries_are_spent_the_failure_is_recorded(
    drafted, office_head, settings, django_capture_on_commit_callbacks
):
    mail_server_away(settings)
    with django_capture_on_commit_callbacks(execute=True):
        approve(drafted, office_head)
    later = dt.datetime(2021, 6, 20, 10, tzinfo=dt.UTC)
    for _ in range(6):
        later += dt.timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            jobs.sweep(now=later)
    run = the_run(drafted)
    delivery = OutboxDelivery.objects.get(event__object_id=str(drafted.pk), subscriber=SUBSCRIBER)
    assert (run.state, run.attempts) == ("failed", 6)
    assert (delivery.state, delivery.attempts) == ("failed", 6)
    assert delivery.last_error.startswith("MailFailed: reply ")
