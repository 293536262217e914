"""The morning reminder of the publication deadline: last year's report, not yet published, is
brought to the disclosure office 15, 5 and 1 working days before 31 January (2019 Regulations)
or 31 March (2007 ones) and every working day once the day has passed, once a day, through the
outbox, with an audit event."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from gongkai.accounts.models import User
from gongkai.annualreport import reminders, services, tasks
from gongkai.annualreport.models import DeadlineReminder, DeadlineReminderMail
from gongkai.annualreport.tests.conftest import SEED
from gongkai.annualreport.tests.fakes import registry
from gongkai.core.models import AuditEvent, JobRun, OutboxDelivery, OutboxEvent

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
SUBSCRIBER = "gongkai.annualreport.reminders.mail_reminder"
OFFICE = ["office_editor@example.gov.cn", "reviewer@example.gov.cn"]
WITH_LEADER = sorted([*OFFICE, "leader@example.gov.cn"])


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def people(office_editor, reviewer, leader, editor):
    """The office's editor, the reviewer, a leader, and a department's editor (never reminded)."""
    for user in (office_editor, reviewer, leader, editor):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.gov.cn")
    return {"office_editor": office_editor, "reviewer": reviewer, "leader": leader, "editor": editor}


def run(day, capture, hour=8):
    """The day's reminder, with the e-mails its event carries delivered as the job runner would."""
    with capture(execute=True):
        return reminders.remind_deadline(at(day, hour))


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def reminded_days(start, end, capture):
    days = []
    day = start
    while day <= end:
        if run(day, capture) is not None:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def test_the_working_day_count_follows_the_calendar():
    # 2016: Thursday 31 March; Qingming 2–4 April.
    assert reminders.workdays_before(dt.date(2016, 3, 30), dt.date(2016, 3, 31)) == 1
    assert reminders.workdays_before(dt.date(2016, 3, 31), dt.date(2016, 3, 31)) == 0
    assert reminders.workdays_before(dt.date(2016, 3, 24), dt.date(2016, 3, 31)) == 5
    # 2021: 31 January a Sunday; the last working day before it is Friday the 29th.
    assert reminders.workdays_before(dt.date(2021, 1, 29), dt.date(2021, 1, 31)) == 1
    assert reminders.workdays_before(dt.date(2021, 1, 30), dt.date(2021, 1, 31)) == 0


def test_a_2007_rules_year_is_reminded_before_31_march(people, django_capture_on_commit_callbacks):
    """The 2015 report (2007 Regulations, Art. 31) is due 31 March 2016; not yet begun."""
    days = reminded_days(dt.date(2016, 2, 20), dt.date(2016, 4, 6), django_capture_on_commit_callbacks)
    assert days == [
        dt.date(2016, 3, 10),  # 15 working days before
        dt.date(2016, 3, 24),  # 5
        dt.date(2016, 3, 30),  # 1
        dt.date(2016, 4, 1),  # overdue, every working day: not the weekend nor Qingming (2–4 April)
        dt.date(2016, 4, 5),
        dt.date(2016, 4, 6),
    ]
    first = DeadlineReminder.objects.get(day=dt.date(2016, 3, 10))
    assert (first.year, first.rule_set, first.due_on) == (2015, "2007", dt.date(2016, 3, 31))
    assert first.workdays_left == 15 and first.report is None and not first.overdue
    # 3 reminders to the office, 3 overdue ones to the office and the leader.
    assert len(mail.outbox) == 3 * len(OFFICE) + 3 * len(WITH_LEADER)
    assert "editor@example.gov.cn" not in sent_to()  # a department's editor does not draft it
    message = mail.outbox[0]
    assert "2015年度报告" in message.subject and "2016-03-31" in message.subject
    assert "15 个工作日" in message.subject
    assert "尚未起草" in message.body and reverse("workbench:annualreport_staff:list") in message.body
    assert "2007年条例第三十一条" in message.body
    overdue = mail.outbox[-1]
    assert "已超过发布期限" in overdue.subject


def test_a_2019_rules_year_is_reminded_before_31_january(
    people, office_editor, django_capture_on_commit_callbacks
):
    """The 2020 report (2019 Regulations, Art. 49) is due 31 January 2021, a Sunday."""
    report = services.do_create_report(
        2020, actor=office_editor, registry=registry(SEED), now=at(dt.date(2021, 1, 4), 10)
    )
    assert report.rule_set == "2019"
    days = reminded_days(dt.date(2021, 1, 1), dt.date(2021, 2, 2), django_capture_on_commit_callbacks)
    assert days == [
        dt.date(2021, 1, 11),  # 15 working days before
        dt.date(2021, 1, 25),  # 5
        dt.date(2021, 1, 29),  # 1: the Friday
        dt.date(2021, 2, 1),  # overdue
        dt.date(2021, 2, 2),
    ]
    assert {r.report_id for r in DeadlineReminder.objects.all()} == {report.pk}
    message = mail.outbox[0]
    assert "2020年度报告" in message.subject and "2021-01-31" in message.subject
    assert "2019年条例第四十九条" in message.body and "当前状态：草稿" in message.body
    assert reverse("workbench:annualreport_staff:detail", args=[report.pk]) in message.body
    event = AuditEvent.objects.filter(action="annualreport.deadline.reminded").order_by("id").first()
    assert event is not None and event.after is not None and event.actor is None
    assert event.after["year"] == 2020 and event.after["due_on"] == "2021-01-31"
    assert event.after["recipients"] == ["office_editor", "reviewer"]
    assert event.after["overdue"] is False and event.after["workdays_left"] == 15
    last = AuditEvent.objects.filter(action="annualreport.deadline.reminded").order_by("-id").first()
    assert last is not None and last.after is not None
    assert last.after["overdue"] is True and last.after["recipients"] == [
        "leader",
        "office_editor",
        "reviewer",
    ]


def test_a_report_waiting_for_approval_reminds_the_leaders(
    people, office_editor, django_capture_on_commit_callbacks
):
    figures = registry(SEED)
    report = services.do_create_report(
        2015, actor=office_editor, registry=figures, now=at(dt.date(2016, 1, 4))
    )
    services.do_check_report(
        report,
        actor=office_editor,
        expected_version=report.version,
        registry=figures,
        now=at(dt.date(2016, 1, 4)),
    )
    run(dt.date(2016, 3, 24), django_capture_on_commit_callbacks)
    assert sent_to() == WITH_LEADER
    assert "当前状态：已校验待审批" in mail.outbox[0].body


def test_none_after_publication(
    people, office_editor, leader, reviewer, pdf_stub, django_capture_on_commit_callbacks
):
    figures = registry(SEED)
    now = at(dt.date(2016, 1, 4))
    report = services.do_create_report(2015, actor=office_editor, registry=figures, now=now)
    report = services.do_check_report(
        report, actor=office_editor, expected_version=report.version, registry=figures, now=now
    )
    report = services.do_approve_report(
        report, actor=leader, expected_version=report.version, registry=figures, now=now
    )
    services.do_publish_report(report, actor=reviewer, expected_version=report.version, now=now)
    for day in (dt.date(2016, 3, 10), dt.date(2016, 3, 30), dt.date(2016, 4, 1)):
        assert run(day, django_capture_on_commit_callbacks) is None
    assert mail.outbox == [] and not DeadlineReminder.objects.exists()
    # A redraft beside the published report is not a report left unpublished.
    report.refresh_from_db()
    services.do_redraft_report(
        report, actor=office_editor, expected_version=report.version, registry=figures, now=now
    )
    assert run(dt.date(2016, 4, 5), django_capture_on_commit_callbacks) is None


def test_a_report_published_before_the_mail_goes_is_not_mailed(
    people, office_editor, leader, reviewer, pdf_stub
):
    reminder = reminders.remind_deadline(at(dt.date(2016, 3, 10)))  # delivery not run
    assert reminder is not None
    figures = registry(SEED)
    now = at(dt.date(2016, 3, 10), 11)
    report = services.do_create_report(2015, actor=office_editor, registry=figures, now=now)
    report = services.do_check_report(
        report, actor=office_editor, expected_version=report.version, registry=figures, now=now
    )
    report = services.do_approve_report(
        report, actor=leader, expected_version=report.version, registry=figures, now=now
    )
    services.do_publish_report(report, actor=reviewer, expected_version=report.version, now=now)
    event = OutboxEvent.objects.get(code=reminders.REMINDED, object_id=str(reminder.pk))
    reminders.mail_reminder(event)
    assert mail.outbox == []


def test_a_second_run_the_same_day_sends_nothing_more(people, django_capture_on_commit_callbacks):
    assert run(dt.date(2016, 3, 24), django_capture_on_commit_callbacks) is not None
    assert sent_to() == OFFICE
    assert run(dt.date(2016, 3, 24), django_capture_on_commit_callbacks, hour=15) is None
    assert len(mail.outbox) == len(OFFICE)
    assert DeadlineReminder.objects.count() == 1
    assert AuditEvent.objects.filter(action="annualreport.deadline.reminded").count() == 1
    assert DeadlineReminderMail.objects.count() == len(OFFICE)
    # Handed the event again (a crash after sending): nobody is mailed twice.
    reminders.mail_reminder(OutboxEvent.objects.get(code=reminders.REMINDED))
    assert len(mail.outbox) == len(OFFICE)


def test_a_mail_server_away_is_retried_and_the_reminder_goes_once(
    people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens on discard
    settings.EMAIL_TIMEOUT = 2
    reminder = run(dt.date(2016, 3, 24), django_capture_on_commit_callbacks)
    assert reminder is not None
    delivery = OutboxDelivery.objects.get(subscriber=SUBSCRIBER, event__object_id=str(reminder.pk))
    assert delivery.state == "failed" and "2015" in delivery.last_error and "@" not in delivery.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from gongkai.core import events

    events.deliver_event.func(event=delivery.event_id)
    events.deliver_event.func(event=delivery.event_id)
    assert sent_to() == OFFICE


def test_the_periodic_task_queues_one_run_a_morning(people, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(dt.datetime(2016, 3, 24, 7, tzinfo=BEIJING), tick=False)
    assert tasks.daily_reminders() is None  # not yet eight o'clock
    time_machine.move_to(dt.datetime(2016, 3, 24, 8, tzinfo=BEIJING), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.daily_reminders()
    assert queued is not None
    assert JobRun.objects.get(pk=queued.pk).state == "done"
    assert sent_to() == OFFICE
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.daily_reminders() is None  # another worker's hourly tick: already queued
    assert len(mail.outbox) == len(OFFICE)


def test_the_list_shows_the_deadline_and_the_days_left(client, people, office_editor, time_machine):
    time_machine.move_to(dt.datetime(2016, 3, 24, 10, tzinfo=BEIJING), tick=False)
    client.login(username=office_editor.username, password=PASSWORD)
    url = reverse("workbench:annualreport_staff:list")
    page = client.get(url).content.decode()
    # The 2015 report, not yet begun: its deadline and what is left, above the list.
    assert "2015年度报告的发布期限：" in page and "2016-03-31" in page
    assert "（还有7天，5个工作日）" in page and "尚未起草。" in page
    services.do_create_report(
        2015, actor=office_editor, registry=registry(SEED), now=at(dt.date(2016, 3, 24))
    )
    time_machine.move_to(dt.datetime(2016, 4, 5, 10, tzinfo=BEIJING), tick=False)
    client.login(username=office_editor.username, password=PASSWORD)  # the session has run out
    page = client.get(url).content.decode()
    assert page.count("（已逾期5天）") == 2  # the notice and the report's row
    assert "尚未起草。" not in page
